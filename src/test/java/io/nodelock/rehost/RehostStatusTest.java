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
}
