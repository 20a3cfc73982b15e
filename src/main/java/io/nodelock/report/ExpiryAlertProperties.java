package io.nodelock.report;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The expiry alert: which thresholds (days before a license's end) send a mail, and how often the check runs.
 *
 * @param enabled    whether the scheduled check runs (the check itself can always be run by an operator)
 * @param thresholds days before the end at which the account is told, each once per license
 * @param interval   time between two scheduled checks
 */
@ConfigurationProperties(prefix = "nodelock.reports.expiry-alert")
public record ExpiryAlertProperties(@DefaultValue("true") boolean enabled,
                                    @DefaultValue({"30", "7", "1"}) List<Integer> thresholds,
                                    @DefaultValue("1h") Duration interval) {
}
