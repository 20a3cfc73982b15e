package io.nodelock.rehost;

import io.nodelock.licensefile.Udi;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** One rehost: the chosen licenses of {@code sourceUdi}, its permission ticket and, once redeemed, the destination. */
/** One license rehost: the source device and licenses, where it stands, and the destination once a rehost ticket named it. */
public record Rehost(UUID id, String accountId, Udi sourceUdi, Udi destinationUdi, String email, List<String> licenseIds,
                     RehostStatus status, String permissionTicketId, Instant expiresAt, String rejectionCode,
                     String rejectionMessage, String processInstanceId, Instant createdAt, Instant redeemedAt,
                     Instant completedAt) {
}
