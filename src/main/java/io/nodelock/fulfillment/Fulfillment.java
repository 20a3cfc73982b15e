package io.nodelock.fulfillment;

import java.time.Instant;
import java.util.UUID;

public record Fulfillment(UUID id, String accountId, String pakCode, String sku, String udi, String email,
                          boolean eulaAccepted, FulfillmentStatus status, String rejectionCode, String rejectionMessage,
                          String processInstanceId, Instant createdAt, Instant completedAt) {
}
