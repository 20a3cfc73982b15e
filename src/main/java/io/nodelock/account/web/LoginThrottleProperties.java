package io.nodelock.account.web;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Failed staff sign-ins (engine REST API with HTTP Basic, the webapps' login form) allowed per source address.
 *
 * @param maxFailures failed sign-ins from one address within {@code window} before that address is refused
 * @param window      how long failures are counted, and how long an address that exceeded them is refused
 * @param maxSources  addresses tracked at once; the oldest windows are dropped first beyond this
 */
@ConfigurationProperties(prefix = "nodelock.security.login-throttle")
public record LoginThrottleProperties(@DefaultValue("10") int maxFailures,
                                      @DefaultValue("5m") Duration window,
                                      @DefaultValue("10000") int maxSources) {
}
