package io.nodelock.licensefile;

import java.util.Objects;

/**
 * Outcome of checking a device certificate; {@link #message()} is meant to be shown to an operator as is. Only an
 * {@link Status#OK} outcome yields the certified device key ({@link #certifiedKey()}).
 */
public record CertificateVerification(Status status, String message, DeviceCertificate certificate) {

    /** Why a certificate was accepted or rejected, in the order the checks run. */
    public enum Status {
        OK,
        /** The credential's own signature (proof of possession of the device key) does not verify. */
        BAD_CREDENTIAL,
        /** A credential without a certificate: the device key is only as good as the device's word. */
        UNCERTIFIED,
        /** The certificate text does not parse strictly. */
        MALFORMED,
        /** The issuer key id is not one of the trusted manufacturing authorities. */
        UNKNOWN_ISSUER,
        BAD_SIGNATURE,
        /** The certificate names another device (PID+SN) than the one checked. */
        UDI_MISMATCH,
        /** The certificate certifies another device key than the one the device presents. */
        KEY_MISMATCH,
        NOT_YET_VALID,
        EXPIRED
    }

    public CertificateVerification {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(message, "message");
        if (status == Status.OK) {
            Objects.requireNonNull(certificate, "an OK verification names its certificate");
        }
    }

    public boolean ok() {
        return status == Status.OK;
    }

    /** The device key the certificate vouches for; only after an OK verification, so no caller uses it unchecked. */
    public PublicKeyInfo certifiedKey() {
        if (!ok()) {
            throw new IllegalStateException("no certified key: " + status + ": " + message);
        }
        return certificate.deviceKey();
    }

    static CertificateVerification of(Status status, String message, DeviceCertificate certificate) {
        return new CertificateVerification(status, message, certificate);
    }
}
