package io.nodelock.audit;

import java.time.Instant;

/** One audited step. {@code subject} is typed, e.g. {@code fulfillment:<id>} or {@code pak:<code>}. */
public record AuditEvent(long id, Instant occurredAt, String actor, String action, String subject, String detail) {
}
