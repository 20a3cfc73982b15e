package io.nodelock.notification;

import io.micrometer.core.instrument.MeterRegistry;
import io.nodelock.audit.AuditLog;
import jakarta.mail.MessagingException;
import jakarta.activation.DataHandler;
import jakarta.mail.Message;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.util.ByteArrayDataSource;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.mail.javamail.JavaMailSenderImpl;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Delivers queued mail through a few parallel senders, each with its own SMTP connection.
 *
 * <p>A sender claims a few mails under a token of its own; a renewer extends the claims of live senders, so a mail
 * stays with its sender however slow the relay is, and the mails of a node that died are taken over once its claims
 * lapse (seconds, not minutes). Each mail is recorded as SENT as soon as the relay accepted it. SMTP has no
 * exactly-once hand-off: a node that dies after the relay took a mail but before recording it causes one repeat of
 * that mail. Such a repeat carries the same Message-ID (derived from the outbox row), so receivers can drop it, and it
 * is counted in {@code attempts} and audited as {@code mail.repeat}.
 */
@Component
public class OutboxDispatcher implements SmartLifecycle {

    private static final String UTF_8 = StandardCharsets.UTF_8.name();
    private static final String STREAM_PROVIDER = "jakarta.mail.util.StreamProvider";

    static {
        // Unless named here, Jakarta Mail looks its stream provider up with a ServiceLoader scan of the classpath for
        // every body part it creates or writes.
        if (System.getProperty(STREAM_PROVIDER) == null) {
            System.setProperty(STREAM_PROVIDER, "org.eclipse.angus.mail.util.MailStreamProvider");
        }
    }

    private static final Logger log = LoggerFactory.getLogger(OutboxDispatcher.class);

    private static final String COLUMNS = "id, audit_subject, recipient, subject, body, attachment_name, attachment, attempts, "
            + "attempt_started_at, created_at, retried_at";

    private final JdbcTemplate jdbc;
    private final JavaMailSender mailSender;
    private final MailProperties properties;
    private final AuditLog audit;
    private final MeterRegistry meters;
    private final TransactionTemplate transactions;
    private final String messageIdDomain;
    private final Object signal = new Object();
    private final Object renewerSignal = new Object();
    /** Counts wake-ups, so a sender that was busy when one came does not then sleep through it. */
    private final AtomicLong wakeUps = new AtomicLong();
    /** Claim tokens of batches being sent now; the renewer keeps exactly these alive. */
    private final Set<String> heldClaims = ConcurrentHashMap.newKeySet();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running;

    public OutboxDispatcher(JdbcTemplate jdbc, JavaMailSender mailSender, MailProperties properties, AuditLog audit,
                            MeterRegistry meters, TransactionTemplate transactions) {
        this.transactions = transactions;
        this.jdbc = jdbc;
        this.audit = audit;
        this.meters = meters;
        this.mailSender = mailSender;
        this.properties = properties;
        this.messageIdDomain = domainOf(properties.from());
    }

    public void wakeUp() {
        wakeUps.incrementAndGet();
        synchronized (signal) {
            signal.notifyAll();
        }
    }

    @Override
    public synchronized void start() {
        running = true;
        for (int i = 1; i <= Math.max(1, properties.senders()); i++) {
            threads.add(daemon(this::senderLoop, "mail-sender-" + i));
        }
        threads.add(daemon(this::renewLoop, "mail-claim-renewer"));
        threads.forEach(Thread::start);
    }

    @Override
    public synchronized void stop() {
        running = false;
        wakeUp();
        synchronized (renewerSignal) {
            renewerSignal.notifyAll();
        }
        // Senders finish the mail in hand and release the rest of their claims, so another node takes them at once.
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        for (Thread thread : threads) {
            try {
                thread.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        threads.clear();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Sender threads alive now, of the {@code nodelock.mail.senders} started (0 before the start and after the stop). */
    synchronized int sendersAlive() {
        return (int) threads.stream().filter(t -> t.getName().startsWith("mail-sender-") && t.isAlive()).count();
    }

    @Override
    public int getPhase() {
        return Integer.MAX_VALUE - 200;
    }

    private static Thread daemon(Runnable body, String name) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        return thread;
    }

    private void senderLoop() {
        SmtpConnection smtp = new SmtpConnection(mailSender);
        try {
            while (running) {
                long seen = wakeUps.get();
                try {
                    if (!sendBatch(smtp)) {
                        // An idle connection would only be timed out by the relay; the next burst opens a new one.
                        smtp.close();
                        synchronized (signal) {
                            if (running && wakeUps.get() == seen) {
                                signal.wait(properties.idlePoll().toMillis());
                            }
                        }
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                } catch (RuntimeException e) {
                    log.warn("Mail sender round failed; trying again shortly", e);
                    smtp.close();
                    sleep(properties.idlePoll().toMillis());
                }
            }
        } finally {
            smtp.close();
        }
    }

    private void renewLoop() {
        long period = Math.max(100, properties.claim().toMillis() / 4);
        while (running) {
            synchronized (renewerSignal) {
                try {
                    renewerSignal.wait(period);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            if (running && !heldClaims.isEmpty()) {
                try {
                    Timestamp until = Timestamp.from(Instant.now().plus(properties.claim()));
                    jdbc.batchUpdate("update mail_outbox set claimed_until = ? where claim_token = ? and status = 'PENDING'",
                            heldClaims.stream().map(token -> new Object[] {until, token}).toList());
                } catch (RuntimeException e) {
                    log.warn("Could not renew mail claims; they lapse in {} unless renewed", properties.claim(), e);
                }
            }
        }
    }

    /**
     * Claims up to {@code batchSize} due mails and sends them one by one over {@code smtp}. Returns whether there may be
     * more to do right away: only after a full batch. Mails queued meanwhile ring {@link #wakeUp}, so the sender loop
     * comes back at once for them without a round that finds nothing.
     */
    boolean sendBatch(SmtpConnection smtp) {
        String token = UUID.randomUUID().toString();
        heldClaims.add(token);
        boolean allHandled = false;
        try {
            Instant now = Instant.now();
            int batchSize = Math.max(1, properties.batchSize());
            // One statement chooses and claims: a row another sender claims at the same moment fails the repeated
            // claimed_until test when this one gets to it, so no mail has two claimants.
            int claimed = jdbc.update("update mail_outbox set claim_token = ?, claimed_until = ? where id in ("
                    + "select id from mail_outbox where status = 'PENDING' and next_attempt_at <= ? "
                    + "and (claimed_until is null or claimed_until < ?) order by next_attempt_at, id fetch first "
                    + batchSize + " rows only) "
                    + "and status = 'PENDING' and (claimed_until is null or claimed_until < ?)",
                    token, Timestamp.from(now.plus(properties.claim())), Timestamp.from(now), Timestamp.from(now), Timestamp.from(now));
            if (claimed == 0) {
                allHandled = true;
                // Losing a race for the same rows to another sender says nothing about the rows after them.
                return !jdbc.queryForList("select id from mail_outbox where status = 'PENDING' and next_attempt_at <= ? "
                        + "and (claimed_until is null or claimed_until < ?) fetch first 1 rows only", Long.class,
                        Timestamp.from(now), Timestamp.from(now)).isEmpty();
            }
            List<Queued> mails = jdbc.query("select " + COLUMNS + " from mail_outbox where claim_token = ? and status = 'PENDING' "
                    + "order by next_attempt_at, id", OutboxDispatcher::queued, token);
            int handled = 0;
            for (Queued mail : mails) {
                if (!running) {
                    break;
                }
                deliver(mail, token, smtp);
                handled++;
            }
            // Every outcome (sent, deferred, failed) clears the mail's claim: only an interrupted batch has any to give back.
            allHandled = handled == mails.size();
            return claimed >= batchSize;
        } finally {
            heldClaims.remove(token);
            if (!allHandled) {
                release(token);
            }
        }
    }

    private void release(String token) {
        try {
            jdbc.update("update mail_outbox set claim_token = null, claimed_until = null where claim_token = ? and status = 'PENDING'", token);
        } catch (RuntimeException e) {
            log.warn("Could not release mail claims; they lapse in {}", properties.claim(), e);
        }
    }

    private void deliver(Queued mail, String token, SmtpConnection smtp) {
        // The request the mail belongs to (its audit subject is "<kind>:<id>") and the outbox row, on every line about it.
        String subject = mail.auditSubject();
        MDC.put("businessId", subject == null ? "" : subject.substring(subject.indexOf(':') + 1));
        MDC.put("mailId", Long.toString(mail.id()));
        try {
            deliverNow(mail, token, smtp);
        } finally {
            MDC.remove("businessId");
            MDC.remove("mailId");
        }
    }

    private void deliverNow(Queued mail, String token, SmtpConnection smtp) {
        // Counting the attempt before the hand-off (not after) is what makes a repeat after a crash visible.
        // Extending the claim here too: a claim that lapsed (renewals failing) but is still this sender's must not be
        // taken by another sender while this one is handing the mail over.
        Instant started = Instant.now();
        if (jdbc.update("update mail_outbox set attempts = attempts + 1, attempt_started_at = ?, claimed_until = ? where id = ? "
                + "and claim_token = ? and status = 'PENDING'", Timestamp.from(started), Timestamp.from(started.plus(properties.claim())),
                mail.id(), token) == 0) {
            return; // the claim lapsed while this node stalled and another sender has the mail now
        }
        int attempt = mail.attempts() + 1;
        if (mail.attemptStartedAt() != null) {
            repeat(mail, attempt);
        }
        try {
            smtp.send(build(mail, smtp));
        } catch (MessagingException | RuntimeException e) {
            smtp.close();
            failed(mail, attempt, e);
            return;
        }
        sent(mail, attempt);
    }

    private void sent(Queued mail, int attempt) {
        transactions.executeWithoutResult(status -> {
            jdbc.update("update mail_outbox set status = 'SENT', sent_at = ?, claimed_until = null, claim_token = null, "
                    + "attempt_started_at = null, last_error = null where id = ?", Timestamp.from(Instant.now()), mail.id());
            if (mail.auditSubject() != null) {
                audit.record(AuditLog.SYSTEM, "mail.sent", mail.auditSubject(), "to " + mail.recipient() + ", attempt " + attempt);
            }
        });
        meters.counter("nodelock.mail", "result", "sent").increment();
    }

    private void repeat(Queued mail, int attempt) {
        String detail = "to " + mail.recipient() + ", attempt " + attempt + ": attempt " + (attempt - 1) + " started "
                + mail.attemptStartedAt() + " and its sender stopped before recording an outcome; if the relay had taken it, "
                + "the customer gets this mail twice, with the same Message-ID";
        log.warn("Mail {} sent again: {}", mail.id(), detail);
        if (mail.auditSubject() != null) {
            audit.record(AuditLog.SYSTEM, "mail.repeat", mail.auditSubject(), detail);
        }
        meters.counter("nodelock.mail", "result", "repeat").increment();
    }

    private void failed(Queued mail, int attempt, Exception e) {
        long delay = Math.min(properties.firstRetry().toMillis() * (1L << Math.min(attempt - 1, 20)), properties.maxRetryDelay().toMillis());
        Instant next = Instant.now().plusMillis(delay);
        // An operator's retry gives the mail a new give-up age.
        Instant since = mail.retriedAt() != null ? mail.retriedAt() : mail.createdAt();
        boolean giveUp = next.isAfter(since.plus(properties.giveUpAfter()));
        String error = String.valueOf(e.getMessage());
        transactions.executeWithoutResult(status -> {
            jdbc.update("update mail_outbox set status = ?, next_attempt_at = ?, claimed_until = null, claim_token = null, "
                            + "attempt_started_at = null, last_error = ? where id = ?",
                    giveUp ? "FAILED" : "PENDING", Timestamp.from(next), error.length() > 1900 ? error.substring(0, 1900) : error, mail.id());
            if (mail.auditSubject() != null) {
                audit.record(AuditLog.SYSTEM, giveUp ? "mail.failed" : "mail.deferred", mail.auditSubject(), "to " + mail.recipient()
                        + ", attempt " + attempt + ": " + (error.length() > 300 ? error.substring(0, 300) : error));
            }
        });
        meters.counter("nodelock.mail", "result", giveUp ? "failed" : "deferred").increment();
        if (giveUp) {
            log.error("Mail {} could not be delivered for {}; parked as FAILED: {}", mail.id(), properties.giveUpAfter(), error);
        } else {
            log.warn("Mail {} not delivered (attempt {}): {}; next attempt in {} ms", mail.id(), attempt, error, delay);
        }
    }

    /**
     * Built with Jakarta Mail directly: Spring's MimeMessageHelper reads the classpath's MIME type table anew for every
     * message, which cost more CPU than everything else a mail takes.
     */
    private MimeMessage build(Queued mail, SmtpConnection smtp) throws MessagingException {
        MimeMessage message = smtp.newMessage(messageId(mail));
        message.setFrom(new InternetAddress(properties.from(), true));
        message.setRecipient(Message.RecipientType.TO, new InternetAddress(mail.recipient(), true));
        message.setSubject(mail.subject(), UTF_8);
        if (mail.attachmentName() == null) {
            message.setText(mail.body(), UTF_8);
        } else {
            MimeBodyPart text = new MimeBodyPart();
            text.setText(mail.body(), UTF_8);
            MimeBodyPart file = new MimeBodyPart();
            // Not text/plain: a binary type keeps the file byte-exact (no CRLF canonicalisation in transit).
            file.setDataHandler(new DataHandler(new ByteArrayDataSource(mail.attachment().getBytes(StandardCharsets.US_ASCII),
                    "application/x-nodelock-license")));
            file.setFileName(mail.attachmentName());
            file.setDisposition(Part.ATTACHMENT);
            message.setContent(new MimeMultipart("mixed", text, file));
        }
        message.setHeader("X-Nodelock-Outbox-Id", Long.toString(mail.id()));
        return message;
    }

    /** The same for every attempt of one outbox row; the creation time keeps ids apart across re-created databases. */
    String messageId(Queued mail) {
        return "<outbox." + mail.id() + "." + mail.createdAt().toEpochMilli() + "@" + messageIdDomain + ">";
    }

    private static String domainOf(String from) {
        try {
            String address = new InternetAddress(from).getAddress();
            int at = address == null ? -1 : address.lastIndexOf('@');
            if (at >= 0 && at < address.length() - 1) {
                return address.substring(at + 1);
            }
        } catch (AddressException e) {
            // fall through: the sender is validated when mail is built
        }
        return "nodelock.local";
    }

    private static Queued queued(ResultSet rs, int n) throws SQLException {
        Timestamp attemptStarted = rs.getTimestamp("attempt_started_at");
        Timestamp retried = rs.getTimestamp("retried_at");
        return new Queued(rs.getLong("id"), rs.getString("audit_subject"), rs.getString("recipient"), rs.getString("subject"),
                rs.getString("body"), rs.getString("attachment_name"), rs.getString("attachment"), rs.getInt("attempts"),
                attemptStarted == null ? null : attemptStarted.toInstant(), rs.getTimestamp("created_at").toInstant(),
                retried == null ? null : retried.toInstant());
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A claimed outbox row; {@code attemptStartedAt} is set only if an earlier attempt never recorded its outcome. */
    record Queued(long id, String auditSubject, String recipient, String subject, String body, String attachmentName,
                  String attachment, int attempts, Instant attemptStartedAt, Instant createdAt, Instant retriedAt) {
    }

    /**
     * One sender's SMTP connection, kept open across the mails of a burst. Spring's {@link JavaMailSender#send} opens a
     * connection per call; behind a relay that takes its time per mail that doubles the round trips for nothing.
     */
    static final class SmtpConnection {

        private final JavaMailSender sender;
        private Transport transport;

        SmtpConnection(JavaMailSender sender) {
            this.sender = sender;
        }

        MimeMessage newMessage(String messageId) throws MessagingException {
            MimeMessage message = sender instanceof JavaMailSenderImpl impl
                    ? new StableIdMessage(impl.getSession(), messageId) : sender.createMimeMessage();
            // Spring's own send keeps a Message-ID that is already set; StableIdMessage keeps it on our path.
            message.setHeader("Message-ID", messageId);
            return message;
        }

        void send(MimeMessage message) throws MessagingException {
            if (!(sender instanceof JavaMailSenderImpl impl)) {
                sender.send(message);
                return;
            }
            if (message.getSentDate() == null) {
                message.setSentDate(new Date());
            }
            message.saveChanges();
            if (transport == null) {
                transport = connect(impl);
            }
            transport.sendMessage(message, message.getAllRecipients());
        }

        private static Transport connect(JavaMailSenderImpl impl) throws MessagingException {
            Session session = impl.getSession();
            String protocol = impl.getProtocol() != null ? impl.getProtocol() : session.getProperty("mail.transport.protocol");
            Transport transport = session.getTransport(protocol != null ? protocol : "smtp");
            // As JavaMailSenderImpl does: empty credentials mean none.
            String username = impl.getUsername();
            String password = impl.getPassword();
            if ("".equals(username)) {
                username = null;
                if ("".equals(password)) {
                    password = null;
                }
            }
            transport.connect(impl.getHost(), impl.getPort(), username, password);
            return transport;
        }

        void close() {
            if (transport != null) {
                try {
                    transport.close();
                } catch (MessagingException e) {
                    // the connection is being dropped anyway
                }
                transport = null;
            }
        }
    }

    /** Jakarta Mail replaces the Message-ID on every save; an outbox mail must keep its own across attempts. */
    private static final class StableIdMessage extends MimeMessage {

        private final String messageId;

        StableIdMessage(Session session, String messageId) {
            super(session);
            this.messageId = messageId;
        }

        @Override
        protected void updateMessageID() throws MessagingException {
            setHeader("Message-ID", messageId);
        }
    }
}
