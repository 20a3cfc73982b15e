package io.nodelock.rehost;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** One rehost: the chosen licenses of {@code sourceUdi}, its permission ticket and, once redeemed, the destination. */
public record Rehost(UUID id, String accountId, String sourceUdi, String destinationUdi, String email, List<String> licenseIds,
                     RehostStatus status, String permissionTicketId, Instant expiresAt, String rejectionCode,
                     String rejectionMessage, String processInstanceId, Instant createdAt, Instant redeemedAt,
                     Instant completedAt) {
}
