package io.nodelock.licensefile;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemReader;
import org.bouncycastle.util.io.pem.PemWriter;

/**
 * An Ed25519 public key a device trusts, with its key id.
 *
 * <p>The key id is always {@code nl1-} + the first 16 lower-case hex characters of SHA-256 over the raw 32-byte key,
 * so it cannot be chosen: the constructor rejects an id that does not match the key.
 */
public record PublicKeyInfo(String keyId, byte[] publicKey) {

    public static final int KEY_LENGTH = 32;
    public static final String KEY_ID_PREFIX = "nl1-";
    /** RFC 8410 id-Ed25519; spelled out because BC's named constant lives in bcutil, which a device need not ship. */
    static final ASN1ObjectIdentifier ID_ED25519 = new ASN1ObjectIdentifier("1.3.101.112");

    public PublicKeyInfo {
        if (publicKey == null || publicKey.length != KEY_LENGTH) {
            throw new IllegalArgumentException("Ed25519 public key must be " + KEY_LENGTH + " bytes, was "
                    + (publicKey == null ? "null" : publicKey.length));
        }
        publicKey = publicKey.clone();
        String derived = deriveKeyId(publicKey);
        if (!derived.equals(keyId)) {
            throw new IllegalArgumentException("key id " + keyId + " does not belong to this public key (its id is "
                    + derived + ")");
        }
    }

    /** Wraps a raw 32-byte Ed25519 public key, deriving its key id. */
    public static PublicKeyInfo of(byte[] rawPublicKey) {
        if (rawPublicKey == null || rawPublicKey.length != KEY_LENGTH) {
            throw new IllegalArgumentException("Ed25519 public key must be " + KEY_LENGTH + " bytes");
        }
        return new PublicKeyInfo(deriveKeyId(rawPublicKey), rawPublicKey);
    }

    /** Decodes the standard base64 of the raw key, as produced by {@link #base64()}. */
    public static PublicKeyInfo fromBase64(String base64) {
        return of(Base64.getDecoder().decode(base64.strip()));
    }

    /** Reads a {@code -----BEGIN PUBLIC KEY-----} (SubjectPublicKeyInfo) PEM holding an Ed25519 key. */
    public static PublicKeyInfo fromPem(String pem) {
        PemObject obj = readPem(pem, "PUBLIC KEY");
        SubjectPublicKeyInfo spki;
        try {
            spki = SubjectPublicKeyInfo.getInstance(obj.getContent());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("PUBLIC KEY PEM does not hold a SubjectPublicKeyInfo", e);
        }
        if (!ID_ED25519.equals(spki.getAlgorithm().getAlgorithm())) {
            throw new IllegalArgumentException("public key is not Ed25519 (algorithm "
                    + spki.getAlgorithm().getAlgorithm() + ")");
        }
        return of(spki.getPublicKeyData().getOctets());
    }

    /** The key id of a raw public key; see the class comment. */
    public static String deriveKeyId(byte[] rawPublicKey) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(rawPublicKey);
            return KEY_ID_PREFIX + HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }

    @Override
    public byte[] publicKey() {
        return publicKey.clone();
    }

    /** SubjectPublicKeyInfo PEM, readable by OpenSSL and the JDK. */
    public String toPem() {
        try {
            byte[] der = new SubjectPublicKeyInfo(new AlgorithmIdentifier(ID_ED25519), publicKey)
                    .getEncoded("DER");
            return writePem("PUBLIC KEY", der);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Standard base64 (with padding) of the raw 32-byte key. */
    public String base64() {
        return Base64.getEncoder().encodeToString(publicKey);
    }

    public String hex() {
        return HexFormat.of().formatHex(publicKey);
    }

    Ed25519PublicKeyParameters parameters() {
        return new Ed25519PublicKeyParameters(publicKey, 0);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PublicKeyInfo p && keyId.equals(p.keyId) && Arrays.equals(publicKey, p.publicKey);
    }

    @Override
    public int hashCode() {
        return keyId.hashCode() * 31 + Arrays.hashCode(publicKey);
    }

    @Override
    public String toString() {
        return "PublicKeyInfo[keyId=" + keyId + ", publicKey=" + hex() + "]";
    }

    static PemObject readPem(String pem, String expectedType) {
        if (pem == null || pem.isBlank()) {
            throw new IllegalArgumentException("PEM text is empty");
        }
        PemObject obj;
        try (PemReader reader = new PemReader(new StringReader(pem))) {
            obj = reader.readPemObject();
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("malformed PEM: " + e.getMessage(), e);
        }
        if (obj == null) {
            throw new IllegalArgumentException("no PEM block found; expected -----BEGIN " + expectedType + "-----");
        }
        if (!expectedType.equals(obj.getType())) {
            throw new IllegalArgumentException("expected a " + expectedType + " PEM block, found " + obj.getType());
        }
        return obj;
    }

    static String writePem(String type, byte[] der) {
        StringWriter out = new StringWriter();
        try (PemWriter writer = new PemWriter(out)) {
            writer.writeObject(new PemObject(type, der));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }
}
