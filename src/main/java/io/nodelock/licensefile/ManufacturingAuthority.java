package io.nodelock.licensefile;

import java.time.Instant;
import java.util.Objects;

/**
 * The manufacturing certificate authority: an Ed25519 key that certifies, device by device, that a UDI holds a
 * device key ({@link DeviceCertificate}). Its public key is a device's and the service's trust anchor for device
 * identity; it is a different role from the service's license signing key (a different signing domain, so neither
 * key's signatures are ever valid as the other's). Thread-safe.
 */
public final class ManufacturingAuthority {

    private final SigningKey key;

    public ManufacturingAuthority(SigningKey key) {
        this.key = Objects.requireNonNull(key, "key");
    }

    public PublicKeyInfo publicKey() {
        return key.publicKey();
    }

    public String keyId() {
        return key.keyId();
    }

    /**
     * Issues a certificate binding {@code udi} to {@code deviceKey} for {@code [notBefore, notAfter)}. The serial is
     * the caller's (the manufacturing line's) to keep unique per authority.
     */
    public DeviceCertificate issue(String serial, Udi udi, PublicKeyInfo deviceKey, Instant notBefore,
            Instant notAfter) {
        return sign(DeviceCertificate.of(serial, udi, deviceKey, notBefore, notAfter));
    }

    /** Returns the certificate with this authority as issuer and its signature; an earlier issuer is replaced. */
    public DeviceCertificate sign(DeviceCertificate certificate) {
        if (certificate.deviceKey().equals(key.publicKey())) {
            throw new IllegalArgumentException("the authority's own key " + key.keyId()
                    + " cannot be certified as a device key");
        }
        DeviceCertificate unsigned = certificate.withSignature(key.keyId(), null);
        return unsigned.withSignature(key.keyId(), Ed25519.sign(key, unsigned.signingInput()));
    }

    @Override
    public String toString() {
        return "ManufacturingAuthority[keyId=" + key.keyId() + "]";
    }
}
