package io.nodelock.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class TaskTextTest {

    @Test
    void aLongHistoryKeepsItsHeadingAndLatestLinesWithinTheEnginesTextLimit() {
        String history = "Device PID:ISR4331/K9,SN:X1\n" + IntStream.rangeClosed(1, 200)
                .mapToObj(i -> "License NL-" + i + ": securityk9 extension 30 days of use, ACTIVE, issued 2026-12-01T00:00:00Z")
                .collect(Collectors.joining("\n")) + "\n";
        String fitted = TaskText.fit(history);
        assertThat(fitted.length()).isLessThanOrEqualTo(3900);
        assertThat(fitted).startsWith("Device PID:ISR4331/K9,SN:X1\n... ").contains("earlier lines left out")
                .contains("License NL-200:").doesNotContain("License NL-1:");
        assertThat(fitted.indexOf("License NL-199:")).isLessThan(fitted.indexOf("License NL-200:"));
        String short_ = "Device D\nLicense NL-1\n";
        assertThat(TaskText.fit(short_)).isEqualTo(short_);
    }
}
