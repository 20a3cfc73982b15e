package io.nodelock.notification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.nodelock.support.PackagedService;
import io.nodelock.testsupport.TestPostgres;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.subethamail.smtp.server.SMTPServer;

/**
 * The packaged service, a fresh PostgreSQL database and a relay that takes 100-300 ms to accept each mail; the service
 * is killed hard (SIGKILL) while mails are in flight and started again. Each mail must reach the relay under one
 * Message-ID, and only a mail that was in flight at the kill may arrive twice, as the same message and audited as a
 * repeat. Runs the shipped delivery settings (senders, claim length), not test-tuned ones.
 */
class OutboxCrashIT {

    private static final int MAILS = 240;
    private static final int SENDERS = 4; // nodelock.mail.senders default

    private final ConcurrentLinkedQueue<Received> arrivals = new ConcurrentLinkedQueue<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();
    private SMTPServer relay;
    private Process service;
    private Path dataDir;
    private Path log;

    record Received(String outboxId, String messageId, Instant at) {
    }

    @AfterEach
    void tearDown() throws Exception {
        if (service != null && service.isAlive()) {
            service.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        if (relay != null) {
            relay.stop();
        }
    }

    @Test
    void eachMailReachesTheRelayUnderOneMessageIdThroughAHardKill() throws Exception {
        relay = new SMTPServer.Builder().bindAddress(InetAddress.getLoopbackAddress()).port(PackagedService.freePort())
                .messageHandler((context, from, to, data) -> {
                    int now = inFlight.incrementAndGet();
                    maxInFlight.accumulateAndGet(now, Math::max);
                    try {
                        // The relay's own latency, before it answers 250: the window in which a sender can die.
                        Thread.sleep(ThreadLocalRandom.current().nextLong(100, 301));
                        MimeMessage message = new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(data));
                        arrivals.add(new Received(message.getHeader("X-Nodelock-Outbox-Id", null), message.getMessageID(), Instant.now()));
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    } finally {
                        inFlight.decrementAndGet();
                    }
                }).build();
        relay.start();

        TestPostgres pg = TestPostgres.instance();
        String url = pg.createDatabase("nodelock_crash");
        JdbcTemplate db = new JdbcTemplate(new DriverManagerDataSource(url, pg.username(), pg.password()));
        dataDir = Files.createTempDirectory("nodelock-crash-");
        log = dataDir.resolve("service.log");
        int port = PackagedService.freePort();
        List<String> command = command(port, url, pg);

        service = start(command, port);
        queue(db);

        awaitDeliveriesThenKill(100);
        List<Instant> times = arrivals.stream().map(Received::at).sorted().toList();
        // Steady state only: leaves out the first poll and the warm-up of the service's JVM.
        double rate = 80 / Math.max(0.001, Duration.between(times.get(19), times.get(99)).toMillis() / 1000.0);
        service = start(command, port);

        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).until(() ->
                db.queryForObject("select count(*) from mail_outbox where status = 'SENT'", Long.class) == MAILS);
        // A graceful stop lets any sender finish; nothing may arrive after it.
        service.destroy();
        assertThat(service.waitFor(60, TimeUnit.SECONDS)).isTrue();

        Map<String, List<Received>> byOutboxId = arrivals.stream().collect(Collectors.groupingBy(Received::outboxId));
        List<Long> ids = db.queryForList("select id from mail_outbox", Long.class);
        assertThat(byOutboxId.keySet()).containsExactlyInAnyOrderElementsOf(ids.stream().map(String::valueOf).toList());
        byOutboxId.forEach((id, copies) -> assertThat(copies.stream().map(Received::messageId).distinct().toList())
                .as("Message-IDs of outbox mail %s", id).singleElement().asString().startsWith("<outbox." + id + "."));

        // SMTP cannot tell a sender that died waiting for "250" that its mail was taken: those, and only those, repeat.
        List<String> repeated = byOutboxId.entrySet().stream().filter(e -> e.getValue().size() > 1).map(Map.Entry::getKey).toList();
        int copies = byOutboxId.values().stream().mapToInt(List::size).sum();
        assertThat(copies - MAILS).as("repeats of mails in flight at the kill").isLessThanOrEqualTo(SENDERS);
        // The relay held at least one mail at the kill, so the repeat path (same Message-ID, audited) was exercised.
        assertThat(repeated).isNotEmpty();
        for (String id : repeated) {
            assertThat(db.queryForObject("select attempts from mail_outbox where id = ?", Integer.class, Long.parseLong(id)))
                    .isGreaterThanOrEqualTo(2);
            assertThat(db.queryForList("select e.action from audit_event e join mail_outbox m on m.audit_subject = e.subject "
                    + "where m.id = ?", String.class, Long.parseLong(id))).contains("mail.repeat");
        }
        assertThat(maxInFlight.get()).as("mails in flight at once at the relay").isGreaterThan(1);
        System.out.printf("OutboxCrashIT: %d mails, %d copies at the relay (%d repeated: %s), up to %d in flight at once, "
                        + "%.1f mails/s before the kill behind a 100-300 ms relay%n",
                MAILS, copies, repeated.size(), repeated, maxInFlight.get(), rate);
    }

    private List<String> command(int port, String url, TestPostgres pg) throws IOException {
        return PackagedService.command(port, url, pg, dataDir,
                "--spring.mail.host=127.0.0.1",
                "--spring.mail.port=" + relay.getPortAllocated(),
                "--nodelock.mail.embedded.enabled=false",
                "--nodelock.demo.enabled=false",
                "--nodelock.engine.admin.password=crash-it-admin-password");
    }

    private Process start(List<String> command, int port) throws IOException {
        return PackagedService.start(command, Map.of(), dataDir, log, port);
    }

    /** Waits until {@code atLeast} copies arrived and the relay holds a mail it has not answered yet, then SIGKILL. */
    private void awaitDeliveriesThenKill(int atLeast) throws InterruptedException {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(5))
                .until(() -> arrivals.size() >= atLeast && inFlight.get() > 0);
        service.destroyForcibly();
        assertThat(service.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }

    private static void queue(JdbcTemplate db) {
        Timestamp now = Timestamp.from(Instant.now());
        List<Object[]> rows = new ArrayList<>();
        for (int i = 0; i < MAILS; i++) {
            rows.add(new Object[] {"crash-it-mail:" + i, "crash-it:" + i, "customer-" + i + "@example.com", now, now});
        }
        db.batchUpdate("insert into mail_outbox (operation_id, audit_subject, recipient, subject, body, attachment_name, "
                + "attachment, status, attempts, next_attempt_at, created_at) values (?, ?, ?, 'Your license', 'Attached.', "
                + "'license.lic', 'NLIC1 feature=securityk9', 'PENDING', 0, ?, ?)", rows);
    }
}
