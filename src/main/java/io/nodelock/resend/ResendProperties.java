package io.nodelock.resend;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Resend policy.
 *
 * @param maxPerDay resends of one UDI per UTC day (refused ones do not count)
 */
@ConfigurationProperties(prefix = "nodelock.resend")
public record ResendProperties(@DefaultValue("3") int maxPerDay) {
    public ResendProperties {
        if (maxPerDay < 1) {
            throw new IllegalArgumentException("nodelock.resend.max-per-day must be at least 1");
        }
    }
}
