package io.nodelock.licensefile;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/** Signs license lines with one {@link SigningKey}. Thread-safe: each call uses its own Ed25519Signer. */
public final class LicenseSigner {

    private final SigningKey key;

    public LicenseSigner(SigningKey key) {
        this.key = Objects.requireNonNull(key, "key");
    }

    public String keyId() {
        return key.keyId();
    }

    /**
     * Returns a copy of {@code line} with keyId set to this signer's key id and the signature filled in. Any key id
     * or signature already on the line is replaced.
     */
    public LicenseLine sign(LicenseLine line) {
        LicenseLine unsigned = line.unsigned(key.keyId());
        byte[] message = unsigned.signingInputBytes();
        // Ed25519Signer buffers the message internally, so sharing one across threads would mix messages.
        Ed25519Signer signer = new Ed25519Signer();
        signer.init(true, key.parameters());
        signer.update(message, 0, message.length);
        return unsigned.withSignature(key.keyId(), signer.generateSignature());
    }

    /** The exact string {@link #sign} signs for {@code line} (UTF-8 encoded), i.e. with this signer's key id. */
    public String signingInput(LicenseLine line) {
        return line.unsigned(key.keyId()).signingInput();
    }

    byte[] signingInputBytes(LicenseLine line) {
        return signingInput(line).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "LicenseSigner[keyId=" + key.keyId() + "]";
    }
}
