package io.nodelock.notification;

import java.time.Duration;
import java.time.Instant;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Component;

/**
 * The outbox in {@code /actuator/health} and its readiness group, in place of Spring's mail indicator. A relay outage
 * only delays mail, which the outbox keeps: the indicator stays UP while the oldest undelivered mail has waited less
 * than {@code nodelock.mail.backlog-age-limit} (1 h by default), and turns DOWN past it, or when no mail sender of this
 * node is alive. The details say how far behind delivery is and how many mails were given up on.
 */
@Component("mailOutboxHealthIndicator")
class MailOutboxHealthIndicator implements HealthIndicator {

    private final MailOutbox outbox;
    private final OutboxDispatcher dispatcher;
    private final MailProperties properties;

    MailOutboxHealthIndicator(MailOutbox outbox, OutboxDispatcher dispatcher, MailProperties properties) {
        this.outbox = outbox;
        this.dispatcher = dispatcher;
        this.properties = properties;
    }

    @Override
    public Health health() {
        int senders = dispatcher.sendersAlive();
        MailOutbox.Backlog backlog;
        try {
            backlog = outbox.backlog();
        } catch (DataAccessException e) {
            // The database has its own indicator; this one must not add a second DOWN for the same cause.
            return Health.unknown().withDetail("error", e.getClass().getSimpleName()).withDetail("sendersAlive", senders).build();
        }
        Duration oldest = backlog.oldestQueuedAt() == null ? Duration.ZERO : Duration.between(backlog.oldestQueuedAt(), Instant.now());
        boolean behind = oldest.compareTo(properties.backlogAgeLimit()) > 0;
        Health.Builder health = (behind || senders == 0 ? Health.down() : Health.up())
                .withDetail("queued", backlog.queued()).withDetail("failed", backlog.failed())
                .withDetail("sendersAlive", senders).withDetail("backlogAgeLimit", properties.backlogAgeLimit().toSeconds() + "s");
        if (backlog.oldestQueuedAt() != null) {
            health.withDetail("oldestQueuedAge", oldest.toSeconds() + "s");
        }
        return health.build();
    }
}
