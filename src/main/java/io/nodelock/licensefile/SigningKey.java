package io.nodelock.licensefile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.SecureRandom;
import java.util.Arrays;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;

/**
 * An Ed25519 private key with its derived key id. Immutable and safe to share between threads.
 *
 * <p>{@link #toString()} prints only the key id, so a key that reaches a log leaks nothing.
 */
public final class SigningKey {

    public static final int SEED_LENGTH = 32;

    private final Ed25519PrivateKeyParameters privateKey;
    private final PublicKeyInfo publicKey;

    private SigningKey(Ed25519PrivateKeyParameters privateKey) {
        this.privateKey = privateKey;
        this.publicKey = PublicKeyInfo.of(privateKey.generatePublicKey().getEncoded());
    }

    public static SigningKey generate() {
        return new SigningKey(new Ed25519PrivateKeyParameters(new SecureRandom()));
    }

    /** From the 32-byte RFC 8032 private seed; used for fixed test keys. */
    public static SigningKey fromSeed(byte[] seed) {
        if (seed == null || seed.length != SEED_LENGTH) {
            throw new IllegalArgumentException("Ed25519 private seed must be " + SEED_LENGTH + " bytes");
        }
        return new SigningKey(new Ed25519PrivateKeyParameters(seed, 0));
    }

    /** Reads a {@code PRIVATE KEY} (PKCS#8) PEM holding an Ed25519 key, as written by OpenSSL or {@link #toPkcs8Pem}. */
    public static SigningKey fromPkcs8Pem(String pem) {
        byte[] der = PublicKeyInfo.readPem(pem, "PRIVATE KEY").getContent();
        PrivateKeyInfo info;
        byte[] seed;
        try {
            info = PrivateKeyInfo.getInstance(der);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("PRIVATE KEY PEM does not hold PKCS#8 PrivateKeyInfo", e);
        }
        if (!PublicKeyInfo.ID_ED25519.equals(info.getPrivateKeyAlgorithm().getAlgorithm())) {
            throw new IllegalArgumentException("private key is not Ed25519 (algorithm "
                    + info.getPrivateKeyAlgorithm().getAlgorithm() + ")");
        }
        try {
            seed = ASN1OctetString.getInstance(info.parsePrivateKey()).getOctets();
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("malformed Ed25519 private key", e);
        }
        SigningKey key = fromSeed(seed);
        if (info.getPublicKeyData() != null
                && !Arrays.equals(info.getPublicKeyData().getOctets(), key.publicKey.publicKey())) {
            throw new IllegalArgumentException("PKCS#8 public key does not match its private key");
        }
        return key;
    }

    /** PKCS#8 v1 PEM ({@code -----BEGIN PRIVATE KEY-----}), the same layout {@code openssl genpkey} writes. */
    public String toPkcs8Pem() {
        try {
            byte[] der = new PrivateKeyInfo(new AlgorithmIdentifier(PublicKeyInfo.ID_ED25519),
                    new DEROctetString(privateKey.getEncoded())).getEncoded("DER");
            return PublicKeyInfo.writePem("PRIVATE KEY", der);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public PublicKeyInfo publicKey() {
        return publicKey;
    }

    public String keyId() {
        return publicKey.keyId();
    }

    Ed25519PrivateKeyParameters parameters() {
        return privateKey;
    }

    @Override
    public String toString() {
        return "SigningKey[keyId=" + keyId() + ", Ed25519]";
    }
}
