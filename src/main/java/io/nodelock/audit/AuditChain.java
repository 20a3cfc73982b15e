package io.nodelock.audit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;

/**
 * How an audit entry is chained to the one before it: {@code entry_hash = SHA-256(prev_hash, seq, content)} in hex,
 * over a text encoding in which every field carries its length, so no two different entries encode alike. The first
 * entry's {@code prev_hash} is {@link #GENESIS}. Anyone with read access can recompute the chain
 * (docs/operations.md, "Audit chain"); what makes a rewritten chain detectable is the signed checkpoints.
 */
public final class AuditChain {

    /** The {@code prev_hash} of the first entry. */
    public static final String GENESIS = "0".repeat(64);

    private AuditChain() {
    }

    /** The time as the database keeps it (microseconds), so an entry read back hashes as it was written. */
    public static Instant stored(Instant time) {
        return time.truncatedTo(ChronoUnit.MICROS);
    }

    public static String hash(String prevHash, long seq, Instant occurredAt, String actor, String action, String subject, String detail) {
        StringBuilder text = new StringBuilder(160 + (detail == null ? 0 : detail.length()))
                .append("nodelock/audit-entry/v1\n");
        field(text, prevHash);
        field(text, Long.toString(seq));
        field(text, stored(occurredAt).toString());
        field(text, actor);
        field(text, action);
        field(text, subject);
        field(text, detail);
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** {@code <length>:<value>\n}, or {@code -\n} for null (a missing detail differs from an empty one). */
    private static void field(StringBuilder text, String value) {
        if (value == null) {
            text.append("-\n");
        } else {
            text.append(value.length()).append(':').append(value).append('\n');
        }
    }
}
