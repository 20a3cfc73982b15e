package io.nodelock.bulk;

import java.util.Set;

/** Where a bulk fulfillment stands, and the one place that says which status may follow which. */
public enum BulkStatus {
    /** Accepted with its rows; no batch has run yet. */
    SUBMITTED,
    /** Batches of rows are being fulfilled. */
    RUNNING,
    /** Every row is issued or refused; the archive and the outcomes are final. */
    COMPLETED;

    public Set<BulkStatus> reachableFrom() {
        return switch (this) {
            case SUBMITTED -> Set.of();
            case RUNNING -> Set.of(SUBMITTED);
            case COMPLETED -> Set.of(SUBMITTED, RUNNING);
        };
    }

    public boolean mayMoveTo(BulkStatus next) {
        return next.reachableFrom().contains(this);
    }
}
