package io.nodelock.migration;

import io.nodelock.pak.PakService;

/** The codes of the migration flow's refusals (see {@link io.nodelock.workflow.Refusal}; HTTP statuses in MigrationProcess). */
public final class MigrationRefusals {

    public static final String REQUEST_INVALID = "REQUEST_INVALID";
    /** A PAK code that is malformed or fails its check character: refused before anything is looked up. */
    public static final String PAK_INVALID = "PAK_INVALID";
    /** Also the answer for another account's license, so the answer does not reveal that the license exists. */
    public static final String UNKNOWN_LICENSE = "UNKNOWN_LICENSE";
    /**
     * The license cannot move to that SKU: it is not active, it is permanent and the SKU is no upgrade of its SKU, or it
     * is an evaluation and the SKU is no permanent license of its feature for its product. Names the allowed targets.
     */
    public static final String NOT_MIGRATABLE = "NOT_MIGRATABLE";
    /** Another migration of the same license is still open. */
    public static final String MIGRATION_OPEN = "MIGRATION_OPEN";
    public static final String DEVICE_LOCKED = "DEVICE_LOCKED";
    public static final String PAK_UNKNOWN = PakService.PAK_UNKNOWN;
    public static final String SKU_NOT_ON_PAK = PakService.SKU_NOT_ON_PAK;
    public static final String PAK_EXHAUSTED = PakService.PAK_EXHAUSTED;

    private MigrationRefusals() {
    }
}
