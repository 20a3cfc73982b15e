package io.nodelock.rma;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * RMA policy: when an RMA needs a TAC engineer's review instead of going through at once.
 *
 * @param maxOpenPerAccount       an account with more open RMAs than this goes to review
 * @param recentReplacementWindow a failed device that was itself a replacement within this window goes to review
 */
@ConfigurationProperties(prefix = "nodelock.rma")
public record RmaProperties(@DefaultValue("3") int maxOpenPerAccount,
                            @DefaultValue("90d") Duration recentReplacementWindow) {
}
