package io.nodelock.notification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.nodelock.audit.AuditEvent;
import io.nodelock.audit.AuditLog;
import io.nodelock.support.ServiceIT;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.Status;

/**
 * A relay outage delays mail and nothing else: health stays UP for load balancers, the backlog shows in the outbox's
 * health details, and a mail past its give-up age is parked as FAILED where operators and the API see it.
 */
class MailRelayOutageHealthIT extends ServiceIT {

    @Autowired
    MailOutbox outbox;
    @Autowired
    MailOutboxHealthIndicator outboxHealth;
    @Autowired
    AuditLog audit;

    @Test
    void healthStaysUpWhileTheRelayIsDown() {
        String operation = "health-it:" + UUID.randomUUID();
        SMTP.stop();
        try {
            outbox.enqueue(new OutgoingMail(operation, null, "ops-" + UUID.randomUUID() + "@example.com", "Hello", "Body", null, null));
            // Only once a delivery has failed is the relay known to be down to the service.
            await().atMost(Duration.ofSeconds(30)).until(() -> outbox.find(operation)
                    .filter(m -> m.attempts() >= 2 && m.lastError() != null).isPresent());
            for (String path : new String[] {"/actuator/health", "/actuator/health/readiness", "/actuator/health/liveness"}) {
                Response health = get(path, null);
                assertThat(health.status()).as(path).isEqualTo(200);
                assertThat(health.body().path("status").asText()).as(path).isEqualTo("UP");
            }
            Health details = outboxHealth.health();
            assertThat(details.getStatus()).isEqualTo(Status.UP);
            assertThat((Long) details.getDetails().get("queued")).isGreaterThanOrEqualTo(1);
            assertThat(details.getDetails()).containsKey("oldestQueuedAge");
        } finally {
            SMTP.start();
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> outbox.find(operation).map(MailOutbox.MailStatus::status)
                .orElseThrow() == MailOutbox.Status.SENT);
    }

    @Test
    void mailUndeliverableBeyondItsGiveUpAgeIsParkedAsFailedAndVisible() {
        String operation = "give-up-it:" + UUID.randomUUID();
        String subject = "give-up-it:" + UUID.randomUUID();
        String recipient = "gone-" + UUID.randomUUID() + "@example.com";
        SMTP.stop();
        try {
            // Queued four days ago: past the default give-up age of three days, so the next failure is the last.
            Timestamp queued = Timestamp.from(Instant.now().minus(Duration.ofDays(4)));
            jdbc.update("insert into mail_outbox (operation_id, audit_subject, recipient, subject, body, status, attempts, "
                    + "next_attempt_at, created_at) values (?, ?, ?, 'Old', 'Body', 'PENDING', 0, ?, ?)",
                    operation, subject, recipient, queued, queued);
            await().atMost(Duration.ofSeconds(30)).until(() -> outbox.find(operation).orElseThrow().status() != MailOutbox.Status.PENDING);
            assertThat(outbox.find(operation).orElseThrow().status()).isEqualTo(MailOutbox.Status.FAILED);
            assertThat(outbox.find(operation).orElseThrow().lastError()).isNotBlank();
            assertThat(outbox.failed()).extracting(MailOutbox.MailStatus::operationId).contains(operation);
            assertThat(audit.forSubject(subject, 10)).extracting(AuditEvent::action).containsExactly("mail.failed");
            assertThat((Long) outboxHealth.health().getDetails().get("failed")).isGreaterThanOrEqualTo(1);
        } finally {
            SMTP.start();
        }
        // Parked means parked: the relay being back does not send it.
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() ->
                outbox.find(operation).orElseThrow().status() == MailOutbox.Status.FAILED);
        assertThat(Arrays.stream(SMTP.getReceivedMessages()).filter(m -> {
            try {
                return Arrays.stream(m.getAllRecipients()).anyMatch(a -> a.toString().equals(recipient));
            } catch (Exception e) {
                return false;
            }
        })).isEmpty();
    }
}
