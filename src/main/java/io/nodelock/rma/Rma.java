package io.nodelock.rma;

import java.time.Instant;
import java.util.UUID;

public record Rma(UUID id, String accountId, String rmaNumber, String failedUdi, String replacementUdi, String email,
                  RmaStatus status, String reviewReason, String reviewedBy, String reviewComment, String rejectionCode,
                  String rejectionMessage, String processInstanceId, Instant createdAt, Instant completedAt,
                  Instant policyCheckedAt, String reviewTaskId, String reviewDecision) {
}
