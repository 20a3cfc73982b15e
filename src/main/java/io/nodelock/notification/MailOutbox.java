package io.nodelock.notification;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import io.nodelock.audit.AuditLog;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/** Queues customer mail in the caller's transaction; the dispatcher delivers it after commit. */
@Service
public class MailOutbox {

    public enum Status { PENDING, SENT, FAILED }

    /** What waits in the outbox: mails not yet delivered, the oldest of them, and mails parked as FAILED. */
    public record Backlog(long queued, Instant oldestQueuedAt, long failed) {
    }

    public record MailStatus(String operationId, String recipient, Status status, int attempts, Instant sentAt, String lastError) {
    }

    /** A mail parked as FAILED, as an operator sees it before retrying it. */
    public record FailedMail(String operationId, String auditSubject, String recipient, String subject, int attempts,
                             Instant createdAt, Instant retriedAt, String lastError) {
    }

    /** What an operator's retry found. */
    public enum RetryOutcome { RETRIED, UNKNOWN, NOT_FAILED }

    private final JdbcTemplate jdbc;
    private final OutboxDispatcher dispatcher;
    private final AuditLog audit;

    public MailOutbox(JdbcTemplate jdbc, OutboxDispatcher dispatcher, AuditLog audit) {
        this.jdbc = jdbc;
        this.dispatcher = dispatcher;
        this.audit = audit;
    }

    /** Queues the mail unless its operation already queued one; returns whether a new mail was queued. */
    public boolean enqueue(OutgoingMail mail) {
        if (find(mail.operationId()).isPresent()) {
            return false;
        }
        Instant now = Instant.now();
        jdbc.update("insert into mail_outbox (operation_id, audit_subject, recipient, subject, body, attachment_name, attachment, "
                        + "status, attempts, next_attempt_at, created_at) values (?, ?, ?, ?, ?, ?, ?, 'PENDING', 0, ?, ?)",
                mail.operationId(), mail.auditSubject(), mail.recipient(), mail.subject(), mail.body(), mail.attachmentName(), mail.attachment(),
                Timestamp.from(now), Timestamp.from(now));
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    dispatcher.wakeUp();
                }
            });
        } else {
            dispatcher.wakeUp();
        }
        return true;
    }

    public Optional<MailStatus> find(String operationId) {
        return jdbc.query("select operation_id, recipient, status, attempts, sent_at, last_error from mail_outbox where operation_id = ?",
                (rs, n) -> new MailStatus(rs.getString(1), rs.getString(2), Status.valueOf(rs.getString(3)), rs.getInt(4),
                        rs.getTimestamp(5) == null ? null : rs.getTimestamp(5).toInstant(), rs.getString(6)), operationId)
                .stream().findFirst();
    }

    public Backlog backlog() {
        return jdbc.queryForObject("select count(*), min(created_at), (select count(*) from mail_outbox where status = 'FAILED') "
                + "from mail_outbox where status = 'PENDING'", (rs, n) -> new Backlog(rs.getLong(1),
                rs.getTimestamp(2) == null ? null : rs.getTimestamp(2).toInstant(), rs.getLong(3)));
    }

    /** Mails given up on (undeliverable for {@code nodelock.mail.give-up-after}); they wait for an operator. */
    public List<MailStatus> failed() {
        return jdbc.query("select operation_id, recipient, status, attempts, sent_at, last_error from mail_outbox where status = 'FAILED'",
                (rs, n) -> new MailStatus(rs.getString(1), rs.getString(2), Status.valueOf(rs.getString(3)), rs.getInt(4),
                        null, rs.getString(6)));
    }

    /** The mails parked as FAILED, oldest first, with what an operator needs to decide on a retry. */
    public List<FailedMail> failedMails(int limit) {
        return jdbc.query("select operation_id, audit_subject, recipient, subject, attempts, created_at, retried_at, last_error "
                        + "from mail_outbox where status = 'FAILED' order by created_at, id fetch first " + Math.max(1, Math.min(limit, 1000))
                        + " rows only",
                (rs, n) -> new FailedMail(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getInt(5),
                        rs.getTimestamp(6).toInstant(), rs.getTimestamp(7) == null ? null : rs.getTimestamp(7).toInstant(), rs.getString(8)));
    }

    /**
     * An operator sends a mail parked as FAILED again (e.g. once the relay or the address is fixed): it is queued at
     * once, and the give-up age counts from now. Audited as {@code mail.retried} under the mail's subject.
     */
    @Transactional
    public RetryOutcome retry(String operationId, String operator) {
        Optional<MailStatus> mail = find(operationId);
        if (mail.isEmpty()) {
            return RetryOutcome.UNKNOWN;
        }
        Timestamp now = Timestamp.from(Instant.now());
        if (jdbc.update("update mail_outbox set status = 'PENDING', next_attempt_at = ?, retried_at = ?, claim_token = null, "
                + "claimed_until = null where operation_id = ? and status = 'FAILED'", now, now, operationId) == 0) {
            return RetryOutcome.NOT_FAILED;
        }
        String subject = jdbc.queryForObject("select audit_subject from mail_outbox where operation_id = ?", String.class, operationId);
        if (subject != null) {
            audit.record(operator, "mail.retried", subject, "to " + mail.get().recipient() + " after " + mail.get().attempts() + " attempts");
        }
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                dispatcher.wakeUp();
            }
        });
        return RetryOutcome.RETRIED;
    }
}
