package io.nodelock.fulfillment;

import io.nodelock.licensefile.Udi;
import io.nodelock.pak.PakCode;
import java.time.Instant;
import java.util.UUID;

/**
 * One fulfillment request and what became of it. Its status changes only through {@link #issue} and {@link #reject},
 * which refuse a transition {@link FulfillmentStatus} does not allow; {@link Fulfillments#update} stores the result
 * only if nobody changed the status meanwhile.
 */
public record Fulfillment(UUID id, String accountId, PakCode pakCode, String sku, Udi udi, String email,
                          boolean eulaAccepted, FulfillmentStatus status, String rejectionCode, String rejectionMessage,
                          String processInstanceId, Instant createdAt, Instant completedAt) {

    /** The license of this fulfillment was signed and stored. */
    public Fulfillment issue(Instant at) {
        return moveTo(FulfillmentStatus.ISSUED, null, null, at);
    }

    /** The fulfillment was refused for a business reason; the customer is told the code and message. */
    public Fulfillment reject(String code, String message, Instant at) {
        return moveTo(FulfillmentStatus.REJECTED, code, message, at);
    }

    private Fulfillment moveTo(FulfillmentStatus next, String code, String message, Instant at) {
        if (!status.mayMoveTo(next)) {
            throw new IllegalStateException("fulfillment " + id + " is " + status + " and cannot become " + next);
        }
        return new Fulfillment(id, accountId, pakCode, sku, udi, email, eulaAccepted, next, code, message, processInstanceId,
                createdAt, at);
    }
}
