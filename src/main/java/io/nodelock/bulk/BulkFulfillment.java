package io.nodelock.bulk;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * A bulk fulfillment as stored, with its progress counts.
 *
 * @param eulaVersion the EULA version rows that need it are fulfilled under (the request accepted it); null if none
 * @param startedAt   when its first batch began
 */
public record BulkFulfillment(UUID id, String accountId, String requestedBy, String pakCode, String email, UUID eulaConsentId,
                              String eulaVersion, String source, BulkStatus status, int rowCount, int rowsIssued, int rowsRefused,
                              String processInstanceId, Instant createdAt, Instant startedAt, Instant completedAt) {

    public int rowsDone() {
        return rowsIssued + rowsRefused;
    }

    public int rowsPending() {
        return rowCount - rowsDone();
    }

    /** Whole percent of the rows done; 100 only when every row is. */
    public int percent() {
        return rowCount == 0 ? 100 : (int) ((long) rowsDone() * 100 / rowCount);
    }

    /** Rows done per second since the first batch began (until the last row, once completed); null before any. */
    public Double rowsPerSecond(Instant now) {
        if (startedAt == null || rowsDone() == 0) {
            return null;
        }
        Instant until = completedAt != null ? completedAt : now;
        double seconds = Math.max(Duration.between(startedAt, until).toMillis(), 1) / 1000.0;
        return rowsDone() / seconds;
    }

    /** Seconds until every row is done at the rate observed so far; 0 once completed, null before a rate is known. */
    public Long etaSeconds(Instant now) {
        if (status == BulkStatus.COMPLETED) {
            return 0L;
        }
        Double rate = rowsPerSecond(now);
        return rate == null ? null : (long) Math.ceil(rowsPending() / rate);
    }

    public String archiveFileName() {
        return "nodelock-bulk-" + id + ".zip";
    }
}
