package io.nodelock.manufacturing;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How manufacturing orders run and where the key that encrypts their stored bundles comes from.
 *
 * @param batchSize  devices made per transaction of the order's batch loop
 * @param maxDevices the most devices one order may name
 * @param bundleKey  the AES-256 key of the bundles and archives at rest
 */
@ConfigurationProperties(prefix = "nodelock.manufacturing")
public record ManufacturingProperties(@DefaultValue("50") int batchSize,
                                      @DefaultValue("1000") int maxDevices,
                                      @DefaultValue BundleKey bundleKey) {

    public ManufacturingProperties {
        if (batchSize < 1 || batchSize > 1000) {
            throw new IllegalArgumentException("nodelock.manufacturing.batch-size must be 1 to 1000");
        }
        if (maxDevices < 1 || maxDevices > 10_000) {
            throw new IllegalArgumentException("nodelock.manufacturing.max-devices must be 1 to 10000");
        }
    }

    /**
     * The key file holds 32 random bytes, base64; it never appears in configuration.
     *
     * @param keyFile           the base64 key file
     * @param generateIfMissing generate and keep a key under {@code generatedKeyDir} when no key file is configured
     * @param generatedKeyDir   folder of the generated key (created owner-only)
     */
    public record BundleKey(Path keyFile,
                            @DefaultValue("true") boolean generateIfMissing,
                            @DefaultValue("data/keys") Path generatedKeyDir) {
    }
}
