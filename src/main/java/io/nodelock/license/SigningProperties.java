package io.nodelock.license;

import java.nio.file.Path;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where the license signing key comes from. Production points {@code key-file} at a PKCS#8 PEM file (or
 * {@code keystore} at a PKCS#12 file whose password comes from the environment); the zero-setup run generates a
 * key under {@code generated-key-dir} on first start. The key itself never appears in configuration.
 *
 * @param keyFile             PKCS#8 PEM file with the Ed25519 private key
 * @param keystore            PKCS#12 keystore holding the Ed25519 key under {@code keystoreAlias}
 * @param keystorePassword    the keystore's password (set through the environment, never committed)
 * @param keystoreAlias       alias of the key entry
 * @param generateIfMissing   generate and keep a key under {@code generatedKeyDir} when no key is configured
 * @param generatedKeyDir     folder of the generated key (created owner-only)
 * @param retiredPublicKeys   PEM public keys of earlier signing keys, still published so devices can verify old lines
 */
@ConfigurationProperties(prefix = "nodelock.signing")
public record SigningProperties(Path keyFile,
                                Path keystore,
                                String keystorePassword,
                                @DefaultValue("nodelock-signing") String keystoreAlias,
                                @DefaultValue("true") boolean generateIfMissing,
                                @DefaultValue("data/keys") Path generatedKeyDir,
                                @DefaultValue List<Path> retiredPublicKeys) {

    @Override
    public String toString() {
        // The keystore password must never reach a log line.
        return "SigningProperties[keyFile=" + keyFile + ", keystore=" + keystore + ", keystoreAlias=" + keystoreAlias
                + ", generateIfMissing=" + generateIfMissing + ", generatedKeyDir=" + generatedKeyDir
                + ", retiredPublicKeys=" + retiredPublicKeys + "]";
    }
}
