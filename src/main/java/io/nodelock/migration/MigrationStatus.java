package io.nodelock.migration;

import java.util.EnumSet;
import java.util.Set;

/** Where a migration stands, and the one place that says which status may follow which. */
public enum MigrationStatus {
    /** Accepted; the license, the device and the target are checked again, then a PAK unit is redeemed. */
    SUBMITTED,
    /** One unit of the target SKU was redeemed from the PAK for this migration; the new line is not signed yet. */
    REDEEMED,
    /** The new line is signed and the old license superseded; its mail is queued or sent. */
    ISSUED,
    /** Refused before any unit was redeemed: nothing was consumed or signed. */
    REJECTED;

    public Set<MigrationStatus> reachableFrom() {
        return switch (this) {
            case SUBMITTED -> Set.of();
            case REDEEMED, REJECTED -> Set.of(SUBMITTED);
            case ISSUED -> Set.of(REDEEMED);
        };
    }

    public boolean mayMoveTo(MigrationStatus next) {
        return next.reachableFrom().contains(this);
    }

    /** Not yet ended: the statuses some other status is reached from. */
    public static Set<MigrationStatus> open() {
        Set<MigrationStatus> open = EnumSet.noneOf(MigrationStatus.class);
        for (MigrationStatus s : values()) {
            open.addAll(s.reachableFrom());
        }
        return open;
    }
}
