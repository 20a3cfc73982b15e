package io.nodelock.notification;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Outbox delivery settings; the SMTP server itself is configured with Spring's standard {@code spring.mail.*}.
 *
 * @param from            sender address of customer mail
 * @param firstRetry      delay after the first failed delivery; doubles per attempt up to {@code maxRetryDelay}
 * @param maxRetryDelay   longest delay between attempts
 * @param giveUpAfter     age after which an undeliverable mail is parked as FAILED for an operator to look at
 * @param batchSize       mails one sender claims at a time
 * @param senders         parallel senders, each with its own SMTP connection: behind a relay that takes 100 ms to
 *                        accept a mail, one sender delivers at most about 10 mails/s
 * @param claim           how long a claim on a mail lasts unless renewed; a live sender renews its claims every quarter
 *                        of this, so it bounds how long the mails of a node that died wait for another sender
 * @param idlePoll        how often an idle dispatcher looks for due mail (new mail wakes it at once)
 * @param backlogAgeLimit readiness ({@code /actuator/health/readiness}) turns DOWN while the oldest undelivered mail has
 *                        waited longer than this: a relay outage shorter than it keeps the node in the load balancer
 * @param embedded        the zero-setup run's in-process SMTP/IMAP server
 */
@ConfigurationProperties(prefix = "nodelock.mail")
public record MailProperties(@DefaultValue("Nodelock Licensing <licensing@nodelock.local>") String from,
                             @DefaultValue("5s") Duration firstRetry,
                             @DefaultValue("15m") Duration maxRetryDelay,
                             @DefaultValue("3d") Duration giveUpAfter,
                             @DefaultValue("5") int batchSize,
                             @DefaultValue("4") int senders,
                             @DefaultValue("20s") Duration claim,
                             @DefaultValue("1s") Duration idlePoll,
                             @DefaultValue("1h") Duration backlogAgeLimit,
                             @DefaultValue Embedded embedded) {

    public record Embedded(@DefaultValue("false") boolean enabled,
                           @DefaultValue("3025") int smtpPort,
                           @DefaultValue("3143") int imapPort) {
    }
}
