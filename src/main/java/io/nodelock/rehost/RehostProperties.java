package io.nodelock.rehost;

import java.time.Duration;
import java.time.Instant;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Rehost policy.
 *
 * @param permissionValidity how long a permission ticket is valid; the device revokes only within it
 * @param lateUploadWindow   how long after the permission's expiry a rehost ticket that the device signed within the
 *                           validity is still redeemed; the default matches the device's 60-day grace license, so a
 *                           customer who revoked in time never loses the license for a late upload
 */
@ConfigurationProperties(prefix = "nodelock.rehost")
public record RehostProperties(@DefaultValue("7d") Duration permissionValidity,
                               @DefaultValue("60d") Duration lateUploadWindow) {

    /** Until when a rehost ticket signed within the validity of a permission that expires at {@code expiresAt} is redeemed. */
    public Instant lateUploadDeadline(Instant expiresAt) {
        return expiresAt.plus(lateUploadWindow);
    }
}
