package io.nodelock.extension;

import java.util.EnumSet;
import java.util.Set;

/** Where an extension request stands, and the one place that says which status may follow which. */
public enum ExtensionStatus {
    /** Accepted; the policy check has not decided yet, or approved it at once and the line is being signed. */
    SUBMITTED,
    /** Waiting for a TAC approver (or, once overdue, a TAC lead). */
    AWAITING_TAC,
    /** Approved once; waiting for the second approval a TAC lead gives to large or repeated extensions. */
    AWAITING_LEAD,
    /** The extension line is signed and stored; its mail is queued or sent. */
    ISSUED,
    /** Refused, by a business check or by TAC. */
    REJECTED,
    /** Its process instance was cancelled by an operator (Cockpit) before a decision: nothing was issued. */
    CANCELLED;

    /** The statuses this one may be reached from; SUBMITTED is where every request starts. */
    public Set<ExtensionStatus> reachableFrom() {
        return switch (this) {
            case SUBMITTED -> Set.of();
            case AWAITING_TAC -> Set.of(SUBMITTED);
            case AWAITING_LEAD -> Set.of(AWAITING_TAC);
            case ISSUED, REJECTED, CANCELLED -> Set.of(SUBMITTED, AWAITING_TAC, AWAITING_LEAD);
        };
    }

    public boolean mayMoveTo(ExtensionStatus next) {
        return next.reachableFrom().contains(this);
    }

    /** Not yet ended: the statuses some other status is reached from. */
    public static Set<ExtensionStatus> open() {
        Set<ExtensionStatus> open = EnumSet.noneOf(ExtensionStatus.class);
        for (ExtensionStatus s : values()) {
            open.addAll(s.reachableFrom());
        }
        return open;
    }
}
