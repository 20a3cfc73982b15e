package io.nodelock.rma;

import io.nodelock.licensefile.Udi;
import java.time.Instant;
import java.util.UUID;

/** One RMA license transfer: its request, where it stands, and the TAC decision if it needed one. */
public record Rma(UUID id, String accountId, String rmaNumber, Udi failedUdi, Udi replacementUdi, String email,
                  RmaStatus status, String reviewReason, String reviewedBy, String reviewComment, String rejectionCode,
                  String rejectionMessage, String processInstanceId, Instant createdAt, Instant completedAt,
                  Instant policyCheckedAt, String reviewTaskId, String reviewDecision) {
}
