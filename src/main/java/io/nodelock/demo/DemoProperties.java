package io.nodelock.demo;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param enabled         create demo accounts, sign-ins and PAKs at startup (the default run only)
 * @param credentialsFile where the generated demo tokens and passwords are kept (owner-only), so they survive restarts
 */
@ConfigurationProperties(prefix = "nodelock.demo")
public record DemoProperties(@DefaultValue("false") boolean enabled,
                             @DefaultValue("data/demo-credentials.env") Path credentialsFile) {
}
