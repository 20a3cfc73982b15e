package io.nodelock.licensefile;

import java.nio.charset.StandardCharsets;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/** Pure Ed25519 (RFC 8032) over UTF-8 text, shared by the ticket formats; each call uses its own signer. */
public final class Ed25519 {

    private Ed25519() {
    }

    public static byte[] sign(SigningKey key, String signingInput) {
        byte[] message = signingInput.getBytes(StandardCharsets.UTF_8);
        Ed25519Signer signer = new Ed25519Signer();
        signer.init(true, key.parameters());
        signer.update(message, 0, message.length);
        return signer.generateSignature();
    }

    public static boolean verify(PublicKeyInfo key, String signingInput, byte[] signature) {
        if (signature == null || signature.length != LicenseLine.SIGNATURE_LENGTH) {
            return false;
        }
        byte[] message = signingInput.getBytes(StandardCharsets.UTF_8);
        try {
            Ed25519Signer verifier = new Ed25519Signer();
            verifier.init(false, key.parameters());
            verifier.update(message, 0, message.length);
            return verifier.verifySignature(signature);
        } catch (RuntimeException e) {
            return false; // a public key that is not a curve point verifies nothing
        }
    }
}
