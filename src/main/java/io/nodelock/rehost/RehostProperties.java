package io.nodelock.rehost;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Rehost policy.
 *
 * @param permissionValidity how long a permission ticket is valid; the model waits this long for the rehost ticket
 */
@ConfigurationProperties(prefix = "nodelock.rehost")
public record RehostProperties(@DefaultValue("7d") Duration permissionValidity) {
}
