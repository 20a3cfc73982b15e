package io.nodelock.fulfillment;

import static io.nodelock.fulfillment.FulfillmentStatus.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nodelock.licensefile.Udi;
import io.nodelock.pak.PakCode;
import java.time.Instant;
import java.util.EnumSet;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class FulfillmentStatusTest {

    @Test
    void aSubmittedFulfillmentEndsIssuedOrRejectedAndNeverMovesAgain() {
        assertThat(SUBMITTED.mayMoveTo(ISSUED)).isTrue();
        assertThat(SUBMITTED.mayMoveTo(REJECTED)).isTrue();
        for (FulfillmentStatus terminal : EnumSet.of(ISSUED, REJECTED)) {
            for (FulfillmentStatus next : FulfillmentStatus.values()) {
                assertThat(terminal.mayMoveTo(next)).as("%s -> %s", terminal, next).isFalse();
            }
        }
        assertThat(SUBMITTED.reachableFrom()).isEmpty();
        assertThat(SUBMITTED.mayMoveTo(SUBMITTED)).isFalse();
    }

    @Test
    void theAggregateRefusesATransitionTheTableForbids() {
        Fulfillment submitted = new Fulfillment(UUID.randomUUID(), "acct", PakCode.random(), "FL-C1111-SEC-K9",
                Udi.parse("PID:C1111-4P,SN:FGL2231001A"), "a@example.com", false, SUBMITTED, null, null, "pi", Instant.EPOCH, null);
        Fulfillment rejected = submitted.reject("PAK_EXHAUSTED", "no units left", Instant.EPOCH);
        assertThat(rejected.status()).isEqualTo(REJECTED);
        assertThat(rejected.rejectionCode()).isEqualTo("PAK_EXHAUSTED");
        assertThatThrownBy(() -> rejected.issue(Instant.EPOCH)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("is REJECTED and cannot become ISSUED");
        assertThatThrownBy(() -> submitted.issue(Instant.EPOCH).reject("X", "y", Instant.EPOCH)).isInstanceOf(IllegalStateException.class);
    }
}
