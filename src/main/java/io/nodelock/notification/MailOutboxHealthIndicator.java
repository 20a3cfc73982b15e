package io.nodelock.notification;

import java.time.Duration;
import java.time.Instant;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Component;

/**
 * The outbox in {@code /actuator/health}, in place of Spring's mail indicator: always UP. A relay outage only delays
 * mail, which the outbox keeps; taking nodes out of a load balancer for it would stop fulfillments for nothing. The
 * details (when shown) say how far behind delivery is and how many mails were given up on.
 */
@Component("mailOutboxHealthIndicator")
class MailOutboxHealthIndicator implements HealthIndicator {

    private final MailOutbox outbox;

    MailOutboxHealthIndicator(MailOutbox outbox) {
        this.outbox = outbox;
    }

    @Override
    public Health health() {
        try {
            MailOutbox.Backlog backlog = outbox.backlog();
            Health.Builder health = Health.up().withDetail("queued", backlog.queued()).withDetail("failed", backlog.failed());
            if (backlog.oldestQueuedAt() != null) {
                health.withDetail("oldestQueuedAge", Duration.between(backlog.oldestQueuedAt(), Instant.now()).toSeconds() + "s");
            }
            return health.build();
        } catch (DataAccessException e) {
            // The database has its own indicator; this one must not add a second DOWN for the same cause.
            return Health.unknown().withDetail("error", e.getClass().getSimpleName()).build();
        }
    }
}
