package io.nodelock.account;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The customer portal's sign-in rules.
 *
 * @param baseUrl           the portal's public address, for the links in invitation and reset mails
 * @param maxFailures       wrong passwords for one sign-in name from one source address before that pair is locked
 * @param lockDuration      how long such a lock lasts; it ends by itself, and failures while locked do not extend it
 * @param invitationValidity how long an invitation link can be used
 * @param resetValidity     how long a password-reset link can be used
 */
@ConfigurationProperties(prefix = "nodelock.portal")
public record PortalProperties(@DefaultValue("http://localhost:8080") String baseUrl,
                               @DefaultValue("20") int maxFailures,
                               @DefaultValue("15m") Duration lockDuration,
                               @DefaultValue("7d") Duration invitationValidity,
                               @DefaultValue("1h") Duration resetValidity) {
}
