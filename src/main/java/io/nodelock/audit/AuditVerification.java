package io.nodelock.audit;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Verifies the whole audit chain from its first entry: each entry's place, the hash of the one before it, its own hash
 * over its content, and every signed checkpoint (its signature, and that the chain passes through its hash). Reports the
 * first broken link: the entry at which the chain stops being what was written.
 */
@Service
public class AuditVerification {

    /** Why a link is broken. */
    public enum Break {
        /** The entry's content (time, actor, action, subject or detail) or its hash was changed. */
        CONTENT_CHANGED,
        /** The entry does not carry the hash of the entry before it: an entry before it was changed or replaced. */
        PREVIOUS_HASH_MISMATCH,
        /** Entries before this one are missing (deleted), or the entry was moved in the chain. */
        ENTRY_MISSING,
        /** The chain ends before a signed checkpoint or the chain head: entries were cut off its end. */
        ENTRIES_REMOVED_AT_END,
        /** A checkpoint's signature is not the service's: the checkpoint was forged or changed. */
        CHECKPOINT_SIGNATURE_INVALID,
        /** The chain does not pass through a signed checkpoint's hash: entries up to it were rewritten. */
        CHECKPOINT_MISMATCH,
        /** An entry was written outside the chain (no place, no hash). */
        UNCHAINED_ENTRY
    }

    /** The first broken link: the entry (by id and place in the chain) and why; {@code entryId} is null past the end. */
    public record BrokenLink(Long entryId, long seq, Break reason, String detail) {
    }

    /**
     * @param intact          whether the whole chain verifies
     * @param entries         entries checked
     * @param checkpoints     signed checkpoints checked
     * @param lastSeq         the chain's last place verified
     * @param lastHash        its hash
     * @param firstBrokenLink null when intact
     */
    public record Result(boolean intact, long entries, int checkpoints, long lastSeq, String lastHash, BrokenLink firstBrokenLink,
                         Instant verifiedAt) {
    }

    private final JdbcTemplate jdbc;
    private final AuditCheckpoints checkpoints;

    public AuditVerification(JdbcTemplate jdbc, AuditCheckpoints checkpoints) {
        this.jdbc = jdbc;
        this.checkpoints = checkpoints;
    }

    private static final class Walk {
        long count;
        long lastSeq;
        String lastHash = AuditChain.GENESIS;
        BrokenLink broken;
    }

    /** Reads the chain in one snapshot (a read-only transaction), streaming it, and checks every link. */
    @Transactional(readOnly = true)
    public Result verify() {
        // Read before the entries: everything they name was committed before the entries' query sees the table.
        List<AuditCheckpoints.Checkpoint> anchors = checkpoints.all();
        long headSeq = jdbc.queryForObject("select seq from audit_chain_head where id = 1", Long.class);
        Map<Long, AuditCheckpoints.Checkpoint> anchorAt = new HashMap<>();
        anchors.forEach(c -> anchorAt.put(c.seq(), c));
        Walk walk = new Walk();
        JdbcTemplate streaming = new JdbcTemplate(jdbc.getDataSource());
        streaming.setFetchSize(1000);
        streaming.query("select id, chain_seq, occurred_at, actor, action, subject, detail, prev_hash, entry_hash from audit_event "
                + "where chain_seq is not null order by chain_seq", (RowCallbackHandler) rs -> {
            if (walk.broken != null) {
                return;
            }
            long id = rs.getLong(1);
            long seq = rs.getLong(2);
            String prevHash = rs.getString(8);
            String entryHash = rs.getString(9);
            if (seq != walk.lastSeq + 1) {
                walk.broken = new BrokenLink(id, seq, Break.ENTRY_MISSING, seq > walk.lastSeq + 1
                        ? "entries " + (walk.lastSeq + 1) + " to " + (seq - 1) + " of the chain are missing"
                        : "place " + seq + " follows place " + walk.lastSeq);
                return;
            }
            if (!walk.lastHash.equals(prevHash)) {
                walk.broken = new BrokenLink(id, seq, Break.PREVIOUS_HASH_MISMATCH, "carries " + prevHash + " as the previous hash, "
                        + "but the entry before it hashes to " + walk.lastHash);
                return;
            }
            String computed = AuditChain.hash(prevHash, seq, rs.getTimestamp(3).toInstant(), rs.getString(4), rs.getString(5),
                    rs.getString(6), rs.getString(7));
            if (!computed.equals(entryHash)) {
                walk.broken = new BrokenLink(id, seq, Break.CONTENT_CHANGED, "its content hashes to " + computed + ", not to the "
                        + "recorded " + entryHash);
                return;
            }
            AuditCheckpoints.Checkpoint anchor = anchorAt.get(seq);
            if (anchor != null) {
                if (!checkpoints.signatureValid(anchor)) {
                    walk.broken = new BrokenLink(id, seq, Break.CHECKPOINT_SIGNATURE_INVALID, "the checkpoint at place " + seq
                            + " is not signed by a published service key");
                    return;
                }
                if (!anchor.entryHash().equals(entryHash)) {
                    walk.broken = new BrokenLink(id, seq, Break.CHECKPOINT_MISMATCH, "the checkpoint signed " + anchor.createdAt()
                            + " names " + anchor.entryHash() + " for this place");
                    return;
                }
            }
            walk.count++;
            walk.lastSeq = seq;
            walk.lastHash = entryHash;
        });
        if (walk.broken == null) {
            long end = Math.max(headSeq, anchors.isEmpty() ? 0 : anchors.get(anchors.size() - 1).seq());
            if (end > walk.lastSeq) {
                walk.broken = new BrokenLink(null, walk.lastSeq + 1, Break.ENTRIES_REMOVED_AT_END, "the chain ends at place "
                        + walk.lastSeq + " but reached place " + end);
            }
        }
        if (walk.broken == null) {
            List<Long> unchained = jdbc.queryForList("select id from audit_event where chain_seq is null order by id fetch first 1 rows only",
                    Long.class);
            if (!unchained.isEmpty()) {
                walk.broken = new BrokenLink(unchained.get(0), 0, Break.UNCHAINED_ENTRY, "written outside the chain");
            }
        }
        return new Result(walk.broken == null, walk.count, anchors.size(), walk.lastSeq, walk.lastHash, walk.broken, Instant.now());
    }
}
