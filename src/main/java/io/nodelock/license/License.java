package io.nodelock.license;

import io.nodelock.licensefile.LicenseType;
import java.time.Instant;

/** One issued license line as the service keeps it, with its lifecycle status. */
public record License(String id, String issueId, String accountId, String udi, String feature, LicenseType type, int count,
                      int usageDays, Instant notBefore, Instant notAfter, Instant issuedAt, String keyId, Status status,
                      String replacesId, String line) {

    public enum Status {
        /** Valid on its device. */
        ACTIVE,
        /** Moved to another device by rehost; the source keeps only a grace license. */
        TRANSFERRED,
        /** Reissued for a replacement device by RMA. */
        REPLACED,
        /** Withdrawn by an operator: the device it was issued for was not the account's (a squatted UDI, released). */
        REVOKED
    }

    /** Node-locked permanent licenses may move between devices; evaluation, extension and subscription ones may not. */
    public boolean transferable() {
        return status == Status.ACTIVE && type == LicenseType.PERMANENT;
    }
}
