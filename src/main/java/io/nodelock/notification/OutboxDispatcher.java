package io.nodelock.notification;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.micrometer.core.instrument.MeterRegistry;
import io.nodelock.audit.AuditLog;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.mail.MailSendException;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.mail.javamail.MimeMessageHelper;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Delivers queued mail. A mail is claimed for a short while before sending, so several nodes can run dispatchers
 * without sending one mail twice in the normal case; SMTP gives no exactly-once guarantee, so a crash between the
 * SMTP hand-off and the status update may repeat a mail (at-least-once), never lose one.
 */
@Component
public class OutboxDispatcher implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(OutboxDispatcher.class);
    private static final Duration CLAIM = Duration.ofMinutes(2);

    private final JdbcTemplate jdbc;
    private final JavaMailSender mailSender;
    private final MailProperties properties;
    private final AuditLog audit;
    private final MeterRegistry meters;
    private final TransactionTemplate transactions;
    private final Object signal = new Object();
    private final AtomicBoolean pending = new AtomicBoolean();
    private volatile boolean running;
    private Thread thread;

    public OutboxDispatcher(JdbcTemplate jdbc, JavaMailSender mailSender, MailProperties properties, AuditLog audit,
                            MeterRegistry meters, TransactionTemplate transactions) {
        this.transactions = transactions;
        this.jdbc = jdbc;
        this.audit = audit;
        this.meters = meters;
        this.mailSender = mailSender;
        this.properties = properties;
    }

    public void wakeUp() {
        pending.set(true);
        synchronized (signal) {
            signal.notifyAll();
        }
    }

    @Override
    public void start() {
        running = true;
        thread = new Thread(this::loop, "mail-outbox");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void stop() {
        running = false;
        wakeUp();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return Integer.MAX_VALUE - 200;
    }

    private void loop() {
        while (running) {
            try {
                pending.set(false);
                int handled = dispatchDue();
                if (handled == 0) {
                    synchronized (signal) {
                        if (!pending.get() && running) {
                            signal.wait(properties.idlePoll().toMillis());
                        }
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                log.warn("Mail outbox round failed; trying again shortly", e);
                sleep(properties.idlePoll().toMillis());
            }
        }
    }

    /** One round: claim due mails, hand them to SMTP over one connection, record each outcome. Returns mails handled. */
    int dispatchDue() {
        Instant now = Instant.now();
        List<Map<String, Object>> due = jdbc.queryForList("select id, audit_subject, recipient, subject, body, attachment_name, "
                + "attachment, attempts from mail_outbox where status = 'PENDING' and next_attempt_at <= ? "
                + "and (claimed_until is null or claimed_until < ?) order by next_attempt_at fetch first " + properties.batchSize()
                + " rows only", Timestamp.from(now), Timestamp.from(now));
        if (due.isEmpty()) {
            return 0;
        }
        // Claim all in one round trip; a row another node claimed meanwhile counts 0 and is left to it.
        int[] claims = jdbc.batchUpdate("update mail_outbox set claimed_until = ? where id = ? and status = 'PENDING' "
                + "and (claimed_until is null or claimed_until < ?)", due.stream().map(row -> new Object[] {
                Timestamp.from(now.plus(CLAIM)), row.get("id"), Timestamp.from(now)}).toList());
        Map<MimeMessage, Map<String, Object>> messages = new LinkedHashMap<>();
        for (int i = 0; i < due.size(); i++) {
            if (claims[i] == 0) {
                continue;
            }
            Map<String, Object> row = due.get(i);
            try {
                messages.put(build(row), row);
            } catch (MessagingException | RuntimeException e) {
                failed(id(row), e);
            }
        }
        if (messages.isEmpty()) {
            return due.size();
        }
        List<Map<String, Object>> sent = new ArrayList<>();
        try {
            mailSender.send(messages.keySet().toArray(MimeMessage[]::new));
            sent.addAll(messages.values());
        } catch (MailSendException e) {
            Map<Object, Exception> failures = e.getFailedMessages();
            messages.forEach((message, row) -> {
                Exception failure = failures.get(message);
                if (failure == null && !failures.isEmpty()) {
                    sent.add(row);
                } else {
                    failed(id(row), failure != null ? failure : e);
                }
            });
        } catch (RuntimeException e) {
            messages.values().forEach(row -> failed(id(row), e));
        }
        markSent(sent);
        return due.size();
    }

    private void markSent(List<Map<String, Object>> rows) {
        if (rows.isEmpty()) {
            return;
        }
        Timestamp sentAt = Timestamp.from(Instant.now());
        transactions.executeWithoutResult(status -> {
            jdbc.batchUpdate("update mail_outbox set status = 'SENT', sent_at = ?, attempts = attempts + 1, claimed_until = null, "
                    + "last_error = null where id = ?", rows.stream().map(row -> new Object[] {sentAt, row.get("id")}).toList());
            for (Map<String, Object> row : rows) {
                if (row.get("audit_subject") != null) {
                    audit.record(AuditLog.SYSTEM, "mail.sent", (String) row.get("audit_subject"), "to " + row.get("recipient")
                            + ", attempt " + (((Number) row.get("attempts")).intValue() + 1));
                }
            }
        });
        meters.counter("nodelock.mail", "result", "sent").increment(rows.size());
    }

    private static long id(Map<String, Object> row) {
        return ((Number) row.get("id")).longValue();
    }

    private MimeMessage build(Map<String, Object> row) throws MessagingException {
        MimeMessage message = mailSender.createMimeMessage();
        boolean multipart = row.get("attachment_name") != null;
        MimeMessageHelper helper = new MimeMessageHelper(message, multipart, StandardCharsets.UTF_8.name());
        helper.setFrom(properties.from());
        helper.setTo((String) row.get("recipient"));
        helper.setSubject((String) row.get("subject"));
        helper.setText((String) row.get("body"), false);
        if (multipart) {
            // Not text/plain: a binary type keeps the file byte-exact (no CRLF canonicalisation in transit).
            helper.addAttachment((String) row.get("attachment_name"),
                    new ByteArrayResource(((String) row.get("attachment")).getBytes(StandardCharsets.US_ASCII)), "application/x-nodelock-license");
        }
        message.setHeader("X-Nodelock-Outbox-Id", row.get("id").toString());
        return message;
    }

    private void auditDelivery(long id, String action, String detail) {
        Map<String, Object> row = jdbc.queryForMap("select audit_subject, recipient, attempts from mail_outbox where id = ?", id);
        if (row.get("audit_subject") != null) {
            audit.record(AuditLog.SYSTEM, action, (String) row.get("audit_subject"), "to " + row.get("recipient")
                    + ", attempt " + row.get("attempts") + (detail == null ? "" : ": " + detail));
        }
    }

    private void failed(long id, Exception e) {
        Map<String, Object> row = jdbc.queryForMap("select attempts, created_at from mail_outbox where id = ?", id);
        int attempts = ((Number) row.get("attempts")).intValue() + 1;
        Instant created = ((Timestamp) row.get("created_at")).toInstant();
        long delay = Math.min(properties.firstRetry().toMillis() * (1L << Math.min(attempts - 1, 20)), properties.maxRetryDelay().toMillis());
        Instant next = Instant.now().plusMillis(delay);
        boolean giveUp = next.isAfter(created.plus(properties.giveUpAfter()));
        String error = String.valueOf(e.getMessage());
        jdbc.update("update mail_outbox set status = ?, attempts = ?, next_attempt_at = ?, claimed_until = null, last_error = ? where id = ?",
                giveUp ? "FAILED" : "PENDING", attempts, Timestamp.from(next), error.length() > 1900 ? error.substring(0, 1900) : error, id);
        auditDelivery(id, giveUp ? "mail.failed" : "mail.deferred", error.length() > 300 ? error.substring(0, 300) : error);
        meters.counter("nodelock.mail", "result", giveUp ? "failed" : "deferred").increment();
        if (giveUp) {
            log.error("Mail {} could not be delivered for {}; parked as FAILED: {}", id, properties.giveUpAfter(), error);
        } else {
            log.warn("Mail {} not delivered (attempt {}): {}; next attempt in {} ms", id, attempts, error, delay);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
