package io.nodelock.license;

import io.nodelock.licensefile.Ed25519;
import io.nodelock.licensefile.LicenseSigner;
import io.nodelock.licensefile.PublicKeyInfo;
import io.nodelock.licensefile.SigningKey;
import io.nodelock.licensefile.TicketSigner;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Key;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
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
            keys.add(PublicKeyInfo.fromPem(KeyFiles.read(retired)));
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

    /** The signing domain of the audit trail's checkpoints: no other format the service signs starts with it. */
    public static final String AUDIT_CHECKPOINT_DOMAIN = "nodelock/audit-checkpoint/v1\n";

    /** A text signed with the active key: the key's id and the Ed25519 signature, base64url without padding. */
    public record Signed(String keyId, String signature) {
    }

    /** Signs an audit checkpoint ({@link #AUDIT_CHECKPOINT_DOMAIN} followed by {@code text}) with the active key. */
    public Signed signAuditCheckpoint(String text) {
        byte[] signature = Ed25519.sign(active, AUDIT_CHECKPOINT_DOMAIN + text);
        return new Signed(activeKeyId(), Base64.getUrlEncoder().withoutPadding().encodeToString(signature));
    }

    /** Whether one of the published keys (the active or a retired one) with this id signed this checkpoint text. */
    public boolean verifyAuditCheckpoint(String keyId, String text, String signature) {
        byte[] bytes;
        try {
            bytes = Base64.getUrlDecoder().decode(signature);
        } catch (IllegalArgumentException e) {
            return false;
        }
        return published.stream().filter(key -> key.keyId().equals(keyId))
                .anyMatch(key -> Ed25519.verify(key, AUDIT_CHECKPOINT_DOMAIN + text, bytes));
    }

    private static SigningKey load(SigningProperties properties) {
        if (properties.keyFile() == null && properties.keystore() != null) {
            return fromKeystore(properties);
        }
        return KeyFiles.loadOrGenerate("license signing key", properties.keyFile(), properties.generateIfMissing(),
                properties.generatedKeyDir().resolve(GENERATED_KEY_FILE), "set nodelock.signing.key-file (PKCS#8 PEM) or "
                        + "nodelock.signing.keystore");
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
}
