package io.nodelock.audit;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Appends audit events in the caller's transaction, so an event exists exactly when the step it describes committed.
 * Details never contain secrets (tokens, keys, passwords).
 *
 * <p>The trail is a hash chain ({@link AuditChain}). A transaction's events are appended when it commits, not when they
 * are recorded: the append locks the chain's head row, and holding that lock only from the commit's start to its end
 * (instead of from the first event of a long step chain on) keeps concurrent flows from queueing behind each other.
 * The lock makes every entry name the entry really before it, across threads and nodes.
 */
@Service
public class AuditLog implements SmartInitializingSingleton {

    /** The actor of steps the engine's workers carry out. */
    public static final String SYSTEM = "system";

    private static final Logger log = LoggerFactory.getLogger(AuditLog.class);
    private static final int MAX_DETAIL = 2000;

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    /** The key under which a transaction's pending events are bound to it. */
    private final Object pendingKey = new Object();

    public AuditLog(JdbcTemplate jdbc, TransactionTemplate transactions) {
        this.jdbc = jdbc;
        this.transactions = transactions;
    }

    private record Pending(Instant occurredAt, String actor, String action, String subject, String detail) {
    }

    public void record(String actor, String action, String subject, String detail) {
        Pending event = new Pending(AuditChain.stored(Instant.now()), actor, action, subject,
                detail == null || detail.length() <= MAX_DETAIL ? detail : detail.substring(0, MAX_DETAIL));
        if (!TransactionSynchronizationManager.isActualTransactionActive() || !TransactionSynchronizationManager.isSynchronizationActive()) {
            transactions.executeWithoutResult(status -> append(List.of(event)));
            return;
        }
        @SuppressWarnings("unchecked")
        List<Pending> pending = (List<Pending>) TransactionSynchronizationManager.getResource(pendingKey);
        if (pending == null) {
            List<Pending> events = new ArrayList<>();
            TransactionSynchronizationManager.bindResource(pendingKey, events);
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void beforeCommit(boolean readOnly) {
                    append(events);
                    events.clear();
                }

                @Override
                public void suspend() {
                    TransactionSynchronizationManager.unbindResource(pendingKey);
                }

                @Override
                public void resume() {
                    TransactionSynchronizationManager.bindResource(pendingKey, events);
                }

                @Override
                public void afterCompletion(int status) {
                    TransactionSynchronizationManager.unbindResourceIfPossible(pendingKey);
                }
            });
            pending = events;
        }
        pending.add(event);
    }

    /** Appends events at the end of the chain, in this order, holding the head row's lock until the caller commits. */
    private void append(List<Pending> events) {
        if (events.isEmpty()) {
            return;
        }
        Head head = lockHead();
        long seq = head.seq();
        String previous = head.entryHash();
        List<Object[]> rows = new ArrayList<>(events.size());
        for (Pending e : events) {
            seq++;
            String hash = AuditChain.hash(previous, seq, e.occurredAt(), e.actor(), e.action(), e.subject(), e.detail());
            rows.add(new Object[] {Timestamp.from(e.occurredAt()), e.actor(), e.action(), e.subject(), e.detail(), seq, previous, hash});
            previous = hash;
        }
        jdbc.batchUpdate("insert into audit_event (occurred_at, actor, action, subject, detail, chain_seq, prev_hash, entry_hash) "
                + "values (?, ?, ?, ?, ?, ?, ?, ?)", rows);
        jdbc.update("update audit_chain_head set seq = ?, entry_hash = ? where id = 1", seq, previous);
    }

    private record Head(long seq, String entryHash) {
    }

    private Head lockHead() {
        return jdbc.queryForObject("select seq, entry_hash from audit_chain_head where id = 1 for update",
                (rs, n) -> new Head(rs.getLong(1), rs.getString(2)));
    }

    /**
     * Chains the entries written before the trail became a chain (V19), in id order, once: the database refuses any
     * other change to an entry, and this one only while the entry has no hash yet.
     */
    @Override
    public void afterSingletonsInstantiated() {
        int sealed = transactions.execute(status -> {
            List<Long> unchained = jdbc.queryForList("select id from audit_event where entry_hash is null order by id", Long.class);
            if (unchained.isEmpty()) {
                return 0;
            }
            Head head = lockHead();
            long seq = head.seq();
            String previous = head.entryHash();
            for (Long id : unchained) {
                AuditEvent e = jdbc.queryForObject("select * from audit_event where id = ?", AuditLog::event, id);
                seq++;
                String hash = AuditChain.hash(previous, seq, e.occurredAt(), e.actor(), e.action(), e.subject(), e.detail());
                jdbc.update("update audit_event set chain_seq = ?, prev_hash = ?, entry_hash = ? where id = ?", seq, previous, hash, id);
                previous = hash;
            }
            jdbc.update("update audit_chain_head set seq = ?, entry_hash = ? where id = 1", seq, previous);
            return unchained.size();
        });
        if (sealed > 0) {
            log.info("Chained {} audit entries written before the audit trail was a hash chain", sealed);
        }
    }

    public List<AuditEvent> forSubject(String subject, int limit) {
        return jdbc.query("select * from audit_event where subject = ? order by id fetch first " + Math.max(1, Math.min(limit, 1000))
                + " rows only", AuditLog::event, subject);
    }

    static AuditEvent event(java.sql.ResultSet rs, int n) throws java.sql.SQLException {
        long chainSeq = rs.getLong("chain_seq");
        Long seq = rs.wasNull() ? null : chainSeq;
        return new AuditEvent(rs.getLong("id"), rs.getTimestamp("occurred_at").toInstant(), rs.getString("actor"),
                rs.getString("action"), rs.getString("subject"), rs.getString("detail"), seq,
                rs.getString("prev_hash"), rs.getString("entry_hash"));
    }
}
