package io.nodelock.rma;

import java.util.EnumSet;
import java.util.Set;

/** Where an RMA stands, and the one place that says which status may follow which. */
public enum RmaStatus {
    /** Accepted; the failed device is being locked and checked against policy. */
    SUBMITTED,
    /** Waiting for a TAC engineer's decision. */
    IN_REVIEW,
    /** Replacement licenses signed and stored; their mail is queued or sent. */
    ISSUED,
    /** Refused, by a business check or by TAC. */
    REJECTED;

    /** The statuses this one may be reached from; SUBMITTED is where every RMA starts. */
    public Set<RmaStatus> reachableFrom() {
        return switch (this) {
            case SUBMITTED -> Set.of();
            case IN_REVIEW -> Set.of(SUBMITTED);
            case ISSUED, REJECTED -> Set.of(SUBMITTED, IN_REVIEW);
        };
    }

    /** Not yet ended: the statuses some other status is reached from. */
    public static Set<RmaStatus> open() {
        Set<RmaStatus> open = EnumSet.noneOf(RmaStatus.class);
        for (RmaStatus s : values()) {
            open.addAll(s.reachableFrom());
        }
        return open;
    }
}
