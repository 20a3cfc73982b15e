package io.nodelock.manufacturing;

import java.util.Set;

/** Where a manufacturing order stands, and the one place that says which status may follow which. */
public enum ManufacturingOrderStatus {
    /** Accepted; its devices and PAK are checked again, then claimed and redeemed at once. */
    SUBMITTED,
    /** Its devices are the account's and its units redeemed; batches of devices are being made. */
    MAKING,
    /** Every device is made or failed; the factory archive is ready for download. */
    COMPLETED,
    /** Refused before anything was made or consumed: the reason is recorded. */
    REJECTED,
    /** The factory confirmed it has the bundles; the stored bundles and archive (the private keys) are erased. */
    ERASED;

    public Set<ManufacturingOrderStatus> reachableFrom() {
        return switch (this) {
            case SUBMITTED -> Set.of();
            case MAKING, REJECTED -> Set.of(SUBMITTED);
            case COMPLETED -> Set.of(MAKING);
            case ERASED -> Set.of(COMPLETED);
        };
    }

    public boolean mayMoveTo(ManufacturingOrderStatus next) {
        return next.reachableFrom().contains(this);
    }

    /** Whether the order still holds its UDIs against other orders. */
    public boolean open() {
        return this == SUBMITTED || this == MAKING;
    }
}
