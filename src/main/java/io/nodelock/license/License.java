package io.nodelock.license;

import io.nodelock.licensefile.LicenseType;
import java.time.Instant;

/**
 * One issued license line as the service keeps it, with its lifecycle status.
 *
 * @param replacesId the license this one took the place of: the original of an RMA or rehost reissue, the license a
 *                   migration superseded; null for a first license
 * @param sku        the SKU the line was bought as (a reissue keeps its original's); null for self-serve evaluations,
 *                   TAC extensions and some manufactured lines
 */
public record License(String id, String issueId, String accountId, String udi, String feature, LicenseType type, int count,
                      int usageDays, Instant notBefore, Instant notAfter, Instant issuedAt, String keyId, Status status,
                      String replacesId, String line, String sku) {

    public enum Status {
        /** Valid on its device. */
        ACTIVE,
        /** Moved to another device by rehost; the source keeps only a grace license. */
        TRANSFERRED,
        /** Reissued for a replacement device by RMA. */
        REPLACED,
        /** Withdrawn by an operator: the device it was issued for was not the account's (a squatted UDI, released). */
        REVOKED,
        /**
         * Replaced on the same device by a license migration: an upgrade to a higher SKU, or an evaluation converted to
         * a permanent license. The new line names it in {@code replacesId}; the device's next file no longer holds it.
         */
        SUPERSEDED
    }

    /** Node-locked permanent licenses may move between devices; evaluation, extension and subscription ones may not. */
    public boolean transferable() {
        return status == Status.ACTIVE && type == LicenseType.PERMANENT;
    }
}
