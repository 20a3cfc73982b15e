package io.nodelock.manufacturing;

import io.nodelock.license.KeyFiles;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Encrypts what holds device private keys (bundles, factory archives) while the service stores them: AES-256-GCM with
 * a random 96-bit nonce per value, the value's place ({@code bundle:<order>:<udi>}, {@code archive:<order>}) bound in
 * as associated data, so a stored value cannot be moved to another row and still open. Stored form: nonce, then
 * ciphertext with its 128-bit tag.
 */
@Component
public class BundleVault {

    static final String GENERATED_KEY_FILE = "manufacturing-bundle-key.b64";
    private static final String DOMAIN = "nodelock/manufacturing-bundle/v1\n";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKeySpec key;

    @Autowired
    BundleVault(ManufacturingProperties properties) {
        this(KeyFiles.loadOrGenerateSecret("manufacturing bundle key", 32, properties.bundleKey().keyFile(),
                properties.bundleKey().generateIfMissing(), properties.bundleKey().generatedKeyDir().resolve(GENERATED_KEY_FILE),
                "set nodelock.manufacturing.bundle-key.key-file (32 random bytes, base64)"));
    }

    BundleVault(byte[] key) {
        if (key.length != 32) {
            throw new IllegalArgumentException("an AES-256 key has 32 bytes, not " + key.length);
        }
        this.key = new SecretKeySpec(key.clone(), "AES");
    }

    /** Encrypts {@code plain} for the place {@code context}. */
    byte[] seal(String context, byte[] plain) {
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(aad(context));
            byte[] sealed = cipher.doFinal(plain);
            return ByteBuffer.allocate(NONCE_BYTES + sealed.length).put(nonce).put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot encrypt " + context, e);
        }
    }

    /**
     * Decrypts a value sealed for {@code context}.
     *
     * @throws IllegalStateException if it was sealed under another key or for another place, or was altered
     */
    byte[] open(String context, byte[] sealed) {
        if (sealed.length < NONCE_BYTES + TAG_BITS / 8) {
            throw new IllegalStateException("stored " + context + " is cut short");
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, sealed, 0, NONCE_BYTES));
            cipher.updateAAD(aad(context));
            return cipher.doFinal(sealed, NONCE_BYTES, sealed.length - NONCE_BYTES);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("stored " + context + " does not decrypt: another key, another place, or altered", e);
        }
    }

    static String bundleContext(java.util.UUID orderId, String udiBinding) {
        return "bundle:" + orderId + ":" + udiBinding;
    }

    static String archiveContext(java.util.UUID orderId) {
        return "archive:" + orderId;
    }

    private static byte[] aad(String context) {
        return (DOMAIN + context).getBytes(StandardCharsets.UTF_8);
    }
}
