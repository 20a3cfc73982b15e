package io.nodelock.device;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * When the service trusts a device key (docs/device-identity.md) and where its manufacturing authority key comes from.
 *
 * @param trustOnFirstUse accept a credential without a certificate and record its key if the UDI has none yet (devices
 *                        made before certificates); off by default, so only certified keys are trusted
 * @param authority       the service's manufacturing authority
 */
@ConfigurationProperties(prefix = "nodelock.devices")
public record DeviceProperties(@DefaultValue("false") boolean trustOnFirstUse,
                               @DefaultValue Authority authority) {

    /**
     * The authority key that certifies the devices the service makes bundles for, and the other authorities whose
     * certificates the service accepts. The key itself never appears in configuration.
     *
     * @param keyFile             PKCS#8 PEM file with the authority's Ed25519 private key
     * @param generateIfMissing   generate and keep a key under {@code generatedKeyDir} when no key file is configured
     * @param generatedKeyDir     folder of the generated key (created owner-only)
     * @param trustedPublicKeys   PEM public keys of further authorities (factories) whose certificates are accepted
     * @param certificateValidity how long a certificate the service issues is valid
     */
    public record Authority(Path keyFile,
                            @DefaultValue("true") boolean generateIfMissing,
                            @DefaultValue("data/keys") Path generatedKeyDir,
                            @DefaultValue List<Path> trustedPublicKeys,
                            @DefaultValue("3650d") Duration certificateValidity) {
    }
}
