package io.nodelock.rehost;

import java.util.EnumSet;
import java.util.Set;

public enum RehostStatus {
    /** Accepted; the permission ticket is being issued. */
    SUBMITTED,
    /** Permission ticket issued and mailed; waiting for the device's rehost ticket until the ticket expires. */
    AWAITING_REHOST_TICKET,
    /** The rehost ticket was accepted (redeemed); the destination licenses are being signed. */
    REHOST_TICKET_RECEIVED,
    /** Destination licenses signed and stored; the source's licenses are recorded as transferred. */
    ISSUED,
    /** The permission ticket expired before a rehost ticket came back; nothing moved. */
    EXPIRED,
    /** Refused by a business check of a step; the customer is told the code and message. */
    REJECTED;

    /**
     * The statuses this one may be reached from. EXPIRED is not quite the end: a rehost ticket the device signed
     * within the permission's validity is still redeemed in the late-upload window.
     */
    public Set<RehostStatus> reachableFrom() {
        return switch (this) {
            case SUBMITTED -> Set.of();
            case AWAITING_REHOST_TICKET -> Set.of(SUBMITTED);
            case REHOST_TICKET_RECEIVED -> Set.of(AWAITING_REHOST_TICKET, EXPIRED);
            case ISSUED -> Set.of(REHOST_TICKET_RECEIVED);
            case EXPIRED, REJECTED -> Set.of(SUBMITTED, AWAITING_REHOST_TICKET);
        };
    }

    public boolean mayMoveTo(RehostStatus next) {
        return next.reachableFrom().contains(this);
    }

    /** In progress: its licenses are promised to this rehost (an EXPIRED one's are free again). */
    public static Set<RehostStatus> inProgress() {
        return EnumSet.of(SUBMITTED, AWAITING_REHOST_TICKET, REHOST_TICKET_RECEIVED);
    }
}
