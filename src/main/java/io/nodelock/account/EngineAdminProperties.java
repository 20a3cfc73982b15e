package io.nodelock.account;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The engine administrator created at startup when a password is given (set it through the environment,
 * {@code NODELOCK_ENGINE_ADMIN_PASSWORD}; the default run generates one into its demo credentials file).
 */
@ConfigurationProperties(prefix = "nodelock.engine.admin")
public record EngineAdminProperties(@DefaultValue("admin") String id, String password) {

    @Override
    public String toString() {
        return "EngineAdminProperties[id=" + id + ", password=" + (password == null ? "unset" : "***") + "]";
    }
}
