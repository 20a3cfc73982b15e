package io.nodelock.rehost;

import static io.nodelock.rehost.RehostStatus.*;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RehostStatusTest {

    @Test
    void aRehostMovesForwardOnlyAndAnExpiredOneMayStillBeRedeemedLate() {
        assertThat(SUBMITTED.reachableFrom()).isEmpty();
        assertThat(AWAITING_REHOST_TICKET.reachableFrom()).containsExactly(SUBMITTED);
        assertThat(REHOST_TICKET_RECEIVED.reachableFrom()).containsExactlyInAnyOrder(AWAITING_REHOST_TICKET, EXPIRED);
        assertThat(ISSUED.reachableFrom()).containsExactly(REHOST_TICKET_RECEIVED);
        assertThat(EXPIRED.reachableFrom()).containsExactlyInAnyOrder(SUBMITTED, AWAITING_REHOST_TICKET);
        assertThat(REJECTED.reachableFrom()).containsExactlyInAnyOrder(SUBMITTED, AWAITING_REHOST_TICKET);
        for (RehostStatus next : values()) {
            assertThat(next.reachableFrom()).as("nothing follows ISSUED or REJECTED").doesNotContain(ISSUED, REJECTED);
        }
        assertThat(inProgress()).containsExactlyInAnyOrder(SUBMITTED, AWAITING_REHOST_TICKET, REHOST_TICKET_RECEIVED);
    }

    @Test
    void noStatusMovesToItselfAndEveryStatusIsReachedFromSubmitted() {
        for (RehostStatus status : values()) {
            assertThat(status.mayMoveTo(status)).as("%s -> itself", status).isFalse();
            assertThat(reachable(SUBMITTED)).as("reached from SUBMITTED").contains(status);
        }
        assertThat(EXPIRED.mayMoveTo(REHOST_TICKET_RECEIVED)).as("a late rehost ticket after the expiry").isTrue();
        assertThat(ISSUED.mayMoveTo(EXPIRED)).isFalse();
    }

    private static java.util.Set<RehostStatus> reachable(RehostStatus from) {
        java.util.Set<RehostStatus> seen = java.util.EnumSet.of(from);
        boolean grew = true;
        while (grew) {
            grew = false;
            for (RehostStatus next : values()) {
                if (!seen.contains(next) && next.reachableFrom().stream().anyMatch(seen::contains)) {
                    grew = seen.add(next);
                }
            }
        }
        return seen;
    }
}
