package io.nodelock.report;

import io.nodelock.account.Account;
import io.nodelock.account.Accounts;
import io.nodelock.audit.AuditLog;
import io.nodelock.notification.MailOutbox;
import io.nodelock.notification.OutgoingMail;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Tells each account, by mail to its registered address, which of its evaluations, extensions and subscriptions end
 * within a threshold (30, 7 and 1 days by default): once per license and threshold. The {@code expiry_alert} row and
 * the mail commit together, and the row's primary key lets only one run (on any node) announce a license at a
 * threshold; a license first seen inside several thresholds is announced at the nearest only.
 */
@Service
public class ExpiryAlerts {

    private static final Logger log = LoggerFactory.getLogger(ExpiryAlerts.class);

    private final Reports reports;
    private final Accounts accounts;
    private final MailOutbox outbox;
    private final AuditLog audit;
    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final ExpiryAlertProperties properties;

    public ExpiryAlerts(Reports reports, Accounts accounts, MailOutbox outbox, AuditLog audit, JdbcTemplate jdbc,
                        TransactionTemplate transactions, ExpiryAlertProperties properties) {
        this.reports = reports;
        this.accounts = accounts;
        this.outbox = outbox;
        this.audit = audit;
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.properties = properties;
    }

    /** What one check did. */
    public record Run(int alerts, int mails) {
    }

    @Scheduled(fixedDelayString = "${nodelock.reports.expiry-alert.interval:1h}", initialDelayString = "PT1M")
    void scheduled() {
        if (properties.enabled()) {
            try {
                Run run = check(Instant.now());
                if (run.mails() > 0) {
                    log.info("Expiry alert: {} license(s) announced in {} mail(s)", run.alerts(), run.mails());
                }
            } catch (RuntimeException e) {
                log.warn("Expiry alert check failed; the next one tries again: {}", e.toString());
            }
        }
    }

    /** Finds what ends within the thresholds as of {@code now} and announces what was not announced yet, per account. */
    public Run check(Instant now) {
        List<Integer> thresholds = properties.thresholds().stream().filter(t -> t != null && t > 0).sorted().distinct().toList();
        if (thresholds.isEmpty()) {
            return new Run(0, 0);
        }
        Instant horizon = now.plus(Duration.ofDays(thresholds.get(thresholds.size() - 1)));
        Map<String, List<TimeBoundLicense>> byAccount = new LinkedHashMap<>();
        for (TimeBoundLicense l : reports.timeBound(null, horizon)) {
            if (l.endsAt().isAfter(now)) {
                byAccount.computeIfAbsent(l.accountId(), k -> new ArrayList<>()).add(l);
            }
        }
        int alerts = 0;
        int mails = 0;
        for (Map.Entry<String, List<TimeBoundLicense>> e : byAccount.entrySet()) {
            Integer announced;
            try {
                announced = transactions.execute(status -> announce(e.getKey(), e.getValue(), thresholds, now));
            } catch (DataIntegrityViolationException race) {
                // Another run (another node) announced one of these first; its mail stands and this one rolled back.
                continue;
            }
            if (announced != null && announced > 0) {
                alerts += announced;
                mails++;
            }
        }
        return new Run(alerts, mails);
    }

    private int announce(String accountId, List<TimeBoundLicense> licenses, List<Integer> thresholds, Instant now) {
        Account account = accounts.find(accountId).orElse(null);
        if (account == null) {
            return 0;
        }
        String mailId = "expiry-alert-mail:" + accountId + ":" + UUID.randomUUID();
        List<String> lines = new ArrayList<>();
        licenses.sort(Comparator.comparing(TimeBoundLicense::endsAt));
        for (TimeBoundLicense l : licenses) {
            long daysLeft = Math.max(0, ChronoUnit.DAYS.between(now, l.endsAt()));
            // The nearest threshold the license is inside: one mail line, however many thresholds it crossed at once.
            int threshold = thresholds.stream().filter(t -> !l.endsAt().isAfter(now.plus(Duration.ofDays(t)))).findFirst().orElseThrow();
            if (!claim(l, threshold, mailId, now)) {
                continue;
            }
            lines.add("- %s on %s: %s license %s %s %s (in %d day%s)".formatted(l.feature(), l.udi(), l.type().toLowerCase(), l.id(),
                    "SUBSCRIPTION".equals(l.type()) ? "ends" : "can run out at the earliest", l.endsAt().truncatedTo(ChronoUnit.MINUTES),
                    daysLeft, daysLeft == 1 ? "" : "s"));
        }
        if (lines.isEmpty()) {
            return 0;
        }
        outbox.enqueue(new OutgoingMail(mailId, "account:" + accountId, account.email(), lines.size() == 1
                ? "A license of yours ends soon" : lines.size() + " licenses of yours end soon", """
                Hello,

                These licenses of %s end soon:

                %s

                Evaluations and extensions count days of use on the device: the date is the earliest they can run out,
                if the feature is used every day. Subscriptions end at the date shown. To keep a feature, ask for an
                extension, convert an evaluation to a permanent license with a PAK, or renew the subscription.

                Nodelock Licensing
                """.formatted(account.displayName(), String.join("\n", lines)), null, null));
        audit.record(AuditLog.SYSTEM, "report.expiry-alert", "account:" + accountId, lines.size() + " license(s) in mail " + mailId);
        return lines.size();
    }

    /** Records the announcement; false when this license was announced at this threshold (or a nearer one) before. */
    private boolean claim(TimeBoundLicense l, int threshold, String mailId, Instant now) {
        Integer nearer = jdbc.queryForObject("select count(*) from expiry_alert where license_id = ? and threshold_days <= ?",
                Integer.class, l.id(), threshold);
        if (nearer != null && nearer > 0) {
            return false;
        }
        jdbc.update("insert into expiry_alert (license_id, threshold_days, account_id, ends_at, alerted_at, mail_id) "
                + "values (?, ?, ?, ?, ?, ?)", l.id(), threshold, l.accountId(), Timestamp.from(l.endsAt()), Timestamp.from(now), mailId);
        return true;
    }
}
