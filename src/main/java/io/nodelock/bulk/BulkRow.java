package io.nodelock.bulk;

import io.nodelock.licensefile.Udi;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * One row of a bulk fulfillment and its outcome. The license file an issued row got is read only for the archive.
 *
 * @param rowNo      its place in the bulk, from 1
 * @param sourceLine where it stood in the upload: the CSV line number, or the JSON index + 1
 */
public record BulkRow(UUID bulkId, int rowNo, int sourceLine, Udi udi, String sku, State state, String refusalCode,
                      String refusalMessage, List<String> licenseIds, Instant doneAt) {

    public enum State {
        /** Waiting for its batch. */
        PENDING,
        /** Its PAK unit redeemed and its license file signed. */
        ISSUED,
        /** Not fulfilled, for the reason recorded; no unit of it was used. */
        REFUSED
    }
}
