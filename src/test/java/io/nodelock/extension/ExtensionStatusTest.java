package io.nodelock.extension;

import static io.nodelock.extension.ExtensionStatus.*;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ExtensionStatusTest {

    @Test
    void everyStatusIsReachableFromSubmittedAndEndedOnesLeadNowhere() {
        assertThat(SUBMITTED.mayMoveTo(AWAITING_TAC)).isTrue();
        assertThat(SUBMITTED.mayMoveTo(ISSUED)).isTrue();
        assertThat(SUBMITTED.mayMoveTo(AWAITING_LEAD)).as("a lead approves only after a TAC approver").isFalse();
        assertThat(AWAITING_TAC.mayMoveTo(AWAITING_LEAD)).isTrue();
        assertThat(AWAITING_LEAD.mayMoveTo(AWAITING_TAC)).isFalse();
        for (ExtensionStatus end : new ExtensionStatus[] {ISSUED, REJECTED, CANCELLED}) {
            for (ExtensionStatus next : values()) {
                assertThat(end.mayMoveTo(next)).as(end + " -> " + next).isFalse();
            }
        }
        assertThat(open()).containsExactlyInAnyOrder(SUBMITTED, AWAITING_TAC, AWAITING_LEAD);
    }
}
