package io.nodelock.rma;

import static io.nodelock.rma.RmaStatus.*;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import org.junit.jupiter.api.Test;

class RmaStatusTest {

    @Test
    void anRmaIsReviewedAtMostOnceAndEndsIssuedOrRejected() {
        assertThat(SUBMITTED.reachableFrom()).isEmpty();
        assertThat(IN_REVIEW.reachableFrom()).containsExactly(SUBMITTED);
        assertThat(ISSUED.reachableFrom()).containsExactlyInAnyOrder(SUBMITTED, IN_REVIEW);
        assertThat(REJECTED.reachableFrom()).containsExactlyInAnyOrder(SUBMITTED, IN_REVIEW);
        for (RmaStatus terminal : EnumSet.of(ISSUED, REJECTED)) {
            for (RmaStatus next : values()) {
                assertThat(next.reachableFrom()).as("%s -> %s", terminal, next).doesNotContain(terminal);
            }
        }
        assertThat(RmaStatus.open()).containsExactlyInAnyOrder(SUBMITTED, IN_REVIEW);
    }
}
