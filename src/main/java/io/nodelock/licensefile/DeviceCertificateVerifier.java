package io.nodelock.licensefile;

import io.nodelock.licensefile.CertificateVerification.Status;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * Checks device certificates against a fixed set of trusted manufacturing authorities. The rule it serves
 * ({@code docs/device-identity.md}): a device key is trusted only when a certificate from a trusted authority
 * presents it for that device. Thread-safe.
 */
public final class DeviceCertificateVerifier {

    private final Map<String, PublicKeyInfo> authorities;

    public DeviceCertificateVerifier(Collection<PublicKeyInfo> authorities) {
        Map<String, PublicKeyInfo> m = new LinkedHashMap<>();
        for (PublicKeyInfo k : authorities) {
            m.put(k.keyId(), k);
        }
        this.authorities = Map.copyOf(m);
    }

    /** Parses {@code certificateText} strictly ({@code MALFORMED} otherwise), then {@link #verify(DeviceCertificate, Udi, Instant)}. */
    public CertificateVerification verify(String certificateText, Udi device, Instant now) {
        DeviceCertificate certificate;
        try {
            certificate = DeviceCertificate.parse(certificateText);
        } catch (TicketFormatException e) {
            return CertificateVerification.of(Status.MALFORMED, "malformed device certificate: " + e.getMessage(),
                    null);
        }
        return verify(certificate, device, now);
    }

    /**
     * In this order: issuer is a trusted authority, signature, the certificate's UDI binding (PID+SN) is
     * {@code device}'s, {@code notBefore <= now}, {@code now < notAfter}.
     */
    public CertificateVerification verify(DeviceCertificate certificate, Udi device, Instant now) {
        return verifyFor(certificate, device, null, now);
    }

    /**
     * As {@link #verify(DeviceCertificate, Udi, Instant)}, and after the UDI check also that the certificate
     * certifies {@code deviceKey} ({@code KEY_MISMATCH}); a null {@code deviceKey} skips that check.
     */
    public CertificateVerification verifyFor(DeviceCertificate certificate, Udi device, PublicKeyInfo deviceKey,
            Instant now) {
        Objects.requireNonNull(certificate, "certificate");
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(now, "now");
        String name = "device certificate " + certificate.serial();
        if (certificate.signature() == null) {
            return CertificateVerification.of(Status.BAD_SIGNATURE, name + " is unsigned", certificate);
        }
        PublicKeyInfo issuer = authorities.get(certificate.issuerKeyId());
        if (issuer == null) {
            return CertificateVerification.of(Status.UNKNOWN_ISSUER, name + " is issued by "
                    + certificate.issuerKeyId() + ", which is not a trusted manufacturing authority (trusted: "
                    + (authorities.isEmpty() ? "none" : String.join(", ", new TreeSet<>(authorities.keySet())))
                    + ")", certificate);
        }
        if (!Ed25519.verify(issuer, certificate.signingInput(), certificate.signature())) {
            return CertificateVerification.of(Status.BAD_SIGNATURE, name + " has a bad signature: it was altered"
                    + " after signing or not signed by authority " + certificate.issuerKeyId(), certificate);
        }
        if (!certificate.udi().sameDevice(device)) {
            return CertificateVerification.of(Status.UDI_MISMATCH, "UDI mismatch: " + name + " is for "
                    + certificate.udi().binding() + ", device is " + device.binding(), certificate);
        }
        if (deviceKey != null && !deviceKey.equals(certificate.deviceKey())) {
            return CertificateVerification.of(Status.KEY_MISMATCH, "key mismatch: " + name + " certifies device key "
                    + certificate.deviceKey().keyId() + ", the device's key is " + deviceKey.keyId(), certificate);
        }
        if (now.isBefore(certificate.notBefore())) {
            return CertificateVerification.of(Status.NOT_YET_VALID, name + " is not valid before "
                    + certificate.notBefore() + " (now " + now + ")", certificate);
        }
        if (!now.isBefore(certificate.notAfter())) {
            return CertificateVerification.of(Status.EXPIRED, name + " expired at " + certificate.notAfter()
                    + " (now " + now + ")", certificate);
        }
        return CertificateVerification.of(Status.OK, name + " certifies device key "
                + certificate.deviceKey().keyId() + " for " + device.binding() + ", issued by "
                + certificate.issuerKeyId(), certificate);
    }

    /**
     * What a service checks when a device presents its credential: the credential's own signature
     * ({@code BAD_CREDENTIAL}), that it carries a certificate ({@code UNCERTIFIED}), then
     * {@link #verifyFor} with the credential's UDI and device key.
     */
    public CertificateVerification verifyCredential(DeviceCredential credential, Instant now) {
        Objects.requireNonNull(credential, "credential");
        TicketVerification proof = TicketVerifier.verifyCredential(credential);
        if (!proof.ok()) {
            return CertificateVerification.of(Status.BAD_CREDENTIAL, proof.message(), credential.certificate());
        }
        if (credential.certificate() == null) {
            return CertificateVerification.of(Status.UNCERTIFIED, "device credential of "
                    + credential.udi().binding() + " carries no device certificate; its key "
                    + credential.deviceKey().keyId() + " is vouched for by no manufacturing authority", null);
        }
        return verifyFor(credential.certificate(), credential.udi(), credential.deviceKey(), now);
    }
}
