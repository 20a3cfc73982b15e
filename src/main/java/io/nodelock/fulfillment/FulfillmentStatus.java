package io.nodelock.fulfillment;

import java.util.Set;

/** Where a fulfillment stands, and the one place that says which status may follow which. */
public enum FulfillmentStatus {
    /** Accepted, being worked on. */
    SUBMITTED,
    /** License lines signed and stored; the license mail is queued or sent. */
    ISSUED,
    /** Refused for a business reason the customer was told about. */
    REJECTED;

    /** The statuses this one may be reached from; a terminal status is reached from no other and left to none. */
    public Set<FulfillmentStatus> reachableFrom() {
        return switch (this) {
            case SUBMITTED -> Set.of();
            case ISSUED, REJECTED -> Set.of(SUBMITTED);
        };
    }

    public boolean mayMoveTo(FulfillmentStatus next) {
        return next.reachableFrom().contains(this);
    }
}
