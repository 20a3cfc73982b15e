package io.nodelock.audit;

import java.time.Instant;

/**
 * One audited step. {@code subject} is typed, e.g. {@code fulfillment:<id>} or {@code pak:<code>}. {@code seq} is the
 * entry's place in the hash chain, {@code prevHash} the hash of the entry before it and {@code entryHash} its own
 * ({@link AuditChain}).
 */
public record AuditEvent(long id, Instant occurredAt, String actor, String action, String subject, String detail,
                         Long seq, String prevHash, String entryHash) {
}
