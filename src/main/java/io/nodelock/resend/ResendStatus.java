package io.nodelock.resend;

import java.util.Set;

/** Where a resend stands, and the one place that says which status may follow which. */
public enum ResendStatus {
    /** Accepted; ownership and the device's state are checked again, then the file is built. */
    SUBMITTED,
    /** The file is built from the device's active licenses; its mail is queued or sent. */
    ISSUED,
    /** Refused: the device is another account's, locked, or has no active licenses. */
    REJECTED;

    public Set<ResendStatus> reachableFrom() {
        return switch (this) {
            case SUBMITTED -> Set.of();
            case ISSUED, REJECTED -> Set.of(SUBMITTED);
        };
    }

    public boolean mayMoveTo(ResendStatus next) {
        return next.reachableFrom().contains(this);
    }
}
