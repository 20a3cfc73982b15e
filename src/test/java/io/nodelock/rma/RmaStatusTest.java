package io.nodelock.rma;

import static io.nodelock.rma.RmaStatus.*;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import java.util.Set;
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

    @Test
    void noStatusLeadsBackToItselfOrToOneItWasReachedFrom() {
        for (RmaStatus status : values()) {
            assertThat(status.reachableFrom()).as("%s -> %s", status, status).doesNotContain(status);
            for (RmaStatus from : status.reachableFrom()) {
                assertThat(from.reachableFrom()).as("%s <-> %s", from, status).doesNotContain(status);
            }
        }
    }

    @Test
    void everyStatusIsReachedFromSubmitted() {
        Set<RmaStatus> reached = EnumSet.of(SUBMITTED);
        boolean grew = true;
        while (grew) {
            grew = false;
            for (RmaStatus status : values()) {
                if (!reached.contains(status) && status.reachableFrom().stream().anyMatch(reached::contains)) {
                    grew = reached.add(status);
                }
            }
        }
        assertThat(reached).containsExactlyInAnyOrder(values());
    }
}
