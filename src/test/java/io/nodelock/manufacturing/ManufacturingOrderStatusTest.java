package io.nodelock.manufacturing;

import static io.nodelock.manufacturing.ManufacturingOrderStatus.*;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ManufacturingOrderStatusTest {

    @Test
    void anOrderIsRejectedOnlyBeforeAnythingIsMadeAndErasedOnlyOnceComplete() {
        assertThat(SUBMITTED.mayMoveTo(MAKING)).isTrue();
        assertThat(SUBMITTED.mayMoveTo(REJECTED)).isTrue();
        assertThat(MAKING.mayMoveTo(REJECTED)).isFalse();
        assertThat(MAKING.mayMoveTo(COMPLETED)).isTrue();
        assertThat(SUBMITTED.mayMoveTo(COMPLETED)).isFalse();
        assertThat(COMPLETED.mayMoveTo(ERASED)).isTrue();
        assertThat(MAKING.mayMoveTo(ERASED)).isFalse();
        assertThat(REJECTED.mayMoveTo(ERASED)).isFalse();
        for (ManufacturingOrderStatus s : values()) {
            assertThat(s.mayMoveTo(SUBMITTED)).isFalse();
            assertThat(ERASED.mayMoveTo(s)).isFalse();
        }
        assertThat(List.of(values())).filteredOn(ManufacturingOrderStatus::open).containsExactly(SUBMITTED, MAKING);
    }

    @Test
    void percentCountsMadeAndFailedDevicesAndReaches100OnlyWhenAllAreDone() {
        assertThat(order(3, 0, 0).percent()).isZero();
        assertThat(order(3, 1, 0).percent()).isEqualTo(33);
        assertThat(order(3, 1, 1).percent()).isEqualTo(66);
        assertThat(order(1000, 999, 0).percent()).isEqualTo(99);
        assertThat(order(1000, 990, 10).percent()).isEqualTo(100);
        assertThat(order(3, 2, 1).devicesDone()).isEqualTo(3);
    }

    private static ManufacturingOrder order(int total, int made, int failed) {
        UUID id = UUID.randomUUID();
        return new ManufacturingOrder(id, "a", "op", "ref", ManufacturingOrder.Mode.UDI, null, List.of(), null, null, MAKING, total, made,
                failed, false, null, null, "pi", Instant.now(), null, null);
    }
}
