package io.nodelock.notification;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Component;

/**
 * The outbox in the metrics (docs/operations.md, "Metrics"): {@code nodelock.mail.queue.depth} (mails waiting to be
 * delivered), {@code nodelock.mail.queue.oldest.age} (how long the oldest of them has waited, 0 when none does) and
 * {@code nodelock.mail.failed.parked} (mails given up on, waiting for an operator's retry); beside the dispatcher's
 * counter {@code nodelock.mail} by result ({@code sent}, {@code deferred}, {@code failed}, {@code repeat}). One query per
 * {@link #SNAPSHOT_AGE} however often they are scraped.
 */
@Component
class MailMetrics implements MeterBinder {

    static final Duration SNAPSHOT_AGE = Duration.ofSeconds(5);

    private final MailOutbox outbox;
    private volatile Instant takenAt = Instant.EPOCH;
    private volatile MailOutbox.Backlog backlog = new MailOutbox.Backlog(0, null, 0);

    MailMetrics(MailOutbox outbox) {
        this.outbox = outbox;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        gauge(registry, "nodelock.mail.queue.depth", "Mails waiting to be delivered", b -> b.queued());
        TimeGauge.builder("nodelock.mail.queue.oldest.age", this, TimeUnit.SECONDS, m -> age(m.current()))
                .description("How long the oldest undelivered mail has waited").register(registry);
        gauge(registry, "nodelock.mail.failed.parked", "Mails given up on, waiting for an operator's retry", b -> b.failed());
    }

    private void gauge(MeterRegistry registry, String name, String description, ToDoubleFunction<MailOutbox.Backlog> read) {
        Gauge.builder(name, this, m -> read.applyAsDouble(m.current())).description(description).register(registry);
    }

    private static double age(MailOutbox.Backlog b) {
        return b.oldestQueuedAt() == null ? 0 : Math.max(0, Duration.between(b.oldestQueuedAt(), Instant.now()).toMillis() / 1000.0);
    }

    private synchronized MailOutbox.Backlog current() {
        if (Duration.between(takenAt, Instant.now()).compareTo(SNAPSHOT_AGE) >= 0) {
            try {
                backlog = outbox.backlog();
            } catch (DataAccessException e) {
                // The database has its own health; the gauges keep their last values meanwhile.
            }
            takenAt = Instant.now();
        }
        return backlog;
    }
}
