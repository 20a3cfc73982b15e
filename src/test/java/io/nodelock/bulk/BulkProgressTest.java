package io.nodelock.bulk;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The progress figures of a bulk and its status table. */
class BulkProgressTest {

    static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

    static BulkFulfillment bulk(BulkStatus status, int total, int issued, int refused, Instant startedAt, Instant completedAt) {
        return new BulkFulfillment(UUID.randomUUID(), "a", "a", "ABCDEFGHJKLMNPQR", "a@example.com", null, null, "csv", status, total,
                issued, refused, "pi", T0, startedAt, completedAt);
    }

    @Test
    void percentRateAndEstimateFollowTheRowsDone() {
        BulkFulfillment waiting = bulk(BulkStatus.SUBMITTED, 10_000, 0, 0, null, null);
        assertThat(waiting.percent()).isZero();
        assertThat(waiting.rowsPerSecond(T0.plusSeconds(5))).isNull();
        assertThat(waiting.etaSeconds(T0.plusSeconds(5))).isNull();

        BulkFulfillment running = bulk(BulkStatus.RUNNING, 10_000, 3_950, 50, T0, null);
        assertThat(running.rowsPending()).isEqualTo(6_000);
        assertThat(running.percent()).isEqualTo(40);
        assertThat(running.rowsPerSecond(T0.plusSeconds(20))).isEqualTo(200.0);
        assertThat(running.etaSeconds(T0.plusSeconds(20))).isEqualTo(30L);
        // 9,999 of 10,000 is not 100 %.
        assertThat(bulk(BulkStatus.RUNNING, 10_000, 9_999, 0, T0, null).percent()).isEqualTo(99);

        BulkFulfillment done = bulk(BulkStatus.COMPLETED, 10_000, 9_900, 100, T0, T0.plusSeconds(40));
        assertThat(done.percent()).isEqualTo(100);
        assertThat(done.etaSeconds(T0.plusSeconds(500))).isZero();
        assertThat(done.rowsPerSecond(T0.plusSeconds(500))).isEqualTo(250.0);
    }

    @Test
    void statusesMoveForwardOnly() {
        assertThat(BulkStatus.SUBMITTED.mayMoveTo(BulkStatus.RUNNING)).isTrue();
        assertThat(BulkStatus.RUNNING.mayMoveTo(BulkStatus.COMPLETED)).isTrue();
        assertThat(BulkStatus.SUBMITTED.mayMoveTo(BulkStatus.COMPLETED)).isTrue();
        assertThat(BulkStatus.COMPLETED.mayMoveTo(BulkStatus.RUNNING)).isFalse();
        assertThat(BulkStatus.RUNNING.mayMoveTo(BulkStatus.SUBMITTED)).isFalse();
        assertThat(BulkStatus.SUBMITTED.reachableFrom()).isEmpty();
    }
}
