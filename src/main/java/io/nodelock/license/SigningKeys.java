package io.nodelock.license;

import io.nodelock.licensefile.LicenseSigner;
import io.nodelock.licensefile.PublicKeyInfo;
import io.nodelock.licensefile.SigningKey;
import io.nodelock.licensefile.TicketSigner;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.Key;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/** Holds the active signing key and the public keys devices may trust; loads, or on a fresh default run generates, the key. */
@Component
public class SigningKeys {

    private static final Logger log = LoggerFactory.getLogger(SigningKeys.class);
    static final String GENERATED_KEY_FILE = "signing-key.pem";

    private final SigningKey active;
    private final LicenseSigner signer;
    private final List<PublicKeyInfo> published;

    public SigningKeys(SigningProperties properties) {
        this.active = load(properties);
        this.signer = new LicenseSigner(active);
        List<PublicKeyInfo> keys = new ArrayList<>();
        keys.add(active.publicKey());
        for (Path retired : properties.retiredPublicKeys()) {
            keys.add(PublicKeyInfo.fromPem(read(retired)));
        }
        this.published = Collections.unmodifiableList(keys);
        log.info("License signing key {} active; {} public key(s) published", active.publicKey().keyId(), published.size());
    }

    public LicenseSigner signer() {
        return signer;
    }

    /** Signs permission tickets with the active key. */
    public TicketSigner ticketSigner() {
        return new TicketSigner(active);
    }

    public String activeKeyId() {
        return active.publicKey().keyId();
    }

    /** The service's signed answer to a device's Call Home request, with the active key (docs/call-home.md). */
    public io.nodelock.licensefile.CallHomeResponse answer(io.nodelock.licensefile.CallHomeRequest request, java.time.Instant now,
                                                           String status, String bodyJson) {
        return io.nodelock.licensefile.CallHomeResponse.answer(request, now, status, bodyJson, active);
    }

    public List<PublicKeyInfo> publishedKeys() {
        return published;
    }

    private static SigningKey load(SigningProperties properties) {
        if (properties.keyFile() != null) {
            return SigningKey.fromPkcs8Pem(read(properties.keyFile()));
        }
        if (properties.keystore() != null) {
            return fromKeystore(properties);
        }
        if (!properties.generateIfMissing()) {
            throw new IllegalStateException("No license signing key configured: set nodelock.signing.key-file "
                    + "(PKCS#8 PEM) or nodelock.signing.keystore");
        }
        Path file = properties.generatedKeyDir().resolve(GENERATED_KEY_FILE);
        if (Files.exists(file)) {
            warnIfReadableByOthers(file);
            return SigningKey.fromPkcs8Pem(read(file));
        }
        SigningKey generated = SigningKey.generate();
        writeOwnerOnly(properties.generatedKeyDir(), file, generated.toPkcs8Pem());
        log.info("Generated a new license signing key {} in {}", generated.publicKey().keyId(), file.toAbsolutePath());
        return generated;
    }

    private static SigningKey fromKeystore(SigningProperties properties) {
        char[] password = properties.keystorePassword() == null ? new char[0] : properties.keystorePassword().toCharArray();
        try (InputStream in = Files.newInputStream(properties.keystore())) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, password);
            Key key = store.getKey(properties.keystoreAlias(), password);
            if (key == null) {
                throw new IllegalStateException("Keystore " + properties.keystore() + " has no key '" + properties.keystoreAlias() + "'");
            }
            String pem = "-----BEGIN PRIVATE KEY-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(key.getEncoded())
                    + "\n-----END PRIVATE KEY-----\n";
            return SigningKey.fromPkcs8Pem(pem);
        } catch (IOException | java.security.GeneralSecurityException e) {
            throw new IllegalStateException("Cannot load the signing key from keystore " + properties.keystore() + ": " + e.getMessage(), e);
        }
    }

    private static void writeOwnerOnly(Path dir, Path file, String content) {
        try {
            boolean posix = dir.getFileSystem().supportedFileAttributeViews().contains("posix");
            if (posix) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } else {
                Files.createDirectories(dir);
                Files.createFile(file);
            }
            Files.writeString(file, content, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot store the generated signing key in " + file, e);
        }
    }

    private static void warnIfReadableByOthers(Path file) {
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
            if (perms.contains(PosixFilePermission.GROUP_READ) || perms.contains(PosixFilePermission.OTHERS_READ)) {
                log.warn("Signing key file {} is readable by group or others; restrict it to its owner (chmod 600)", file);
            }
        } catch (IOException | UnsupportedOperationException e) {
            // Not a POSIX file system: nothing to check.
        }
    }

    private static String read(Path path) {
        try {
            return Files.readString(path, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read key file " + path, e);
        }
    }
}
