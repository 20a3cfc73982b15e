package io.nodelock.licensefile;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A device's UDI and public key, signed with that key (proof of possession), for the portal's rehost and RMA forms
 * (format v1, see {@code docs/tickets.md}), optionally with the device's identity certificate.
 *
 * <p>Text: {@code NLDC1 udi=<udi> devicekey=<key> keyid=<kid> issued=<t> sig=<sig>}. The certificate
 * ({@link DeviceCertificate}, {@code docs/device-identity.md}) is not part of this line nor of what the device signs:
 * it is signed by its authority and travels as a second line of the credential file ({@link #toFile()},
 * {@link #parseFile}), so a credential without one is byte for byte what it always was.
 */
public record DeviceCredential(Udi udi, PublicKeyInfo deviceKey, Instant issuedAt, byte[] signature,
        DeviceCertificate certificate) {

    public static final String PREFIX = "NLDC1";
    public static final String SIGNING_DOMAIN = "nodelock/device-credential/v1\n";
    static final String KIND = "device credential";
    static final String[] FIELDS = {"udi", "devicekey", "keyid", "issued", "sig"};

    public DeviceCredential {
        SignedText.require(udi != null, "udi is required");
        SignedText.require(deviceKey != null, "deviceKey is required");
        SignedText.wholeSeconds("issuedAt", issuedAt);
        if (signature != null) {
            SignedText.require(signature.length == LicenseLine.SIGNATURE_LENGTH, "signature must be 64 bytes");
            signature = signature.clone();
        }
        SignedText.require(certificate == null || certificate.signature() != null,
                "a credential carries only a signed device certificate");
    }

    /** A credential without a device certificate, as before certificates existed. */
    public DeviceCredential(Udi udi, PublicKeyInfo deviceKey, Instant issuedAt, byte[] signature) {
        this(udi, deviceKey, issuedAt, signature, null);
    }

    public static DeviceCredential of(Udi udi, PublicKeyInfo deviceKey, Instant issuedAt) {
        return new DeviceCredential(udi, deviceKey, issuedAt, null);
    }

    public static DeviceCredential parse(String text) {
        Map<String, String> f = SignedText.split(KIND, PREFIX, text, FIELDS);
        PublicKeyInfo key = PublicKeyInfo.of(SignedText.bytes(KIND, "devicekey", f.get("devicekey"),
                PublicKeyInfo.KEY_LENGTH));
        if (!key.keyId().equals(SignedText.keyId(KIND, f.get("keyid")))) {
            throw new TicketFormatException(KIND + " keyid " + f.get("keyid") + " is not the id of its devicekey ("
                    + key.keyId() + ")");
        }
        DeviceCredential c;
        try {
            c = new DeviceCredential(SignedText.udi(KIND, f.get("udi")), key,
                    SignedText.instant(KIND, "issued", f.get("issued")),
                    SignedText.bytes(KIND, "sig", f.get("sig"), LicenseLine.SIGNATURE_LENGTH));
        } catch (TicketFormatException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new TicketFormatException(KIND + ": " + e.getMessage(), e);
        }
        if (!c.toText().equals(text)) {
            throw new TicketFormatException(KIND + " is not in canonical form");
        }
        return c;
    }

    /**
     * The credential of a file written by {@link #toFile()}: one {@code NLDC1} line, optionally followed by one
     * {@code NLDI1} certificate line; comment and blank rows are skipped. An older file (no certificate) reads as a
     * credential without a certificate.
     */
    public static DeviceCredential parseFile(String fileText) {
        List<String> rows = SignedText.rows(KIND, fileText);
        if (rows.isEmpty()) {
            throw new TicketFormatException(KIND + " file holds no " + PREFIX + " line");
        }
        if (rows.size() > 2) {
            throw new TicketFormatException(KIND + " file has more than a credential line and a certificate line ("
                    + rows.size() + " lines)");
        }
        DeviceCredential credential = parse(rows.get(0));
        if (rows.size() == 1) {
            return credential;
        }
        String second = rows.get(1);
        if (second.startsWith(PREFIX + " ")) {
            throw new TicketFormatException(KIND + " file has more than one " + KIND + " line");
        }
        if (!second.startsWith(DeviceCertificate.PREFIX + " ")) {
            throw new TicketFormatException(KIND + " file: the line after the credential must be its device"
                    + " certificate (" + DeviceCertificate.PREFIX + " ...), found '"
                    + (second.length() > 40 ? second.substring(0, 40) + "..." : second) + "'");
        }
        return credential.withCertificate(DeviceCertificate.parse(second));
    }

    /** The same credential carrying {@code certificate} (null: none); the credential's signature is unaffected. */
    public DeviceCredential withCertificate(DeviceCertificate certificate) {
        return new DeviceCredential(udi, deviceKey, issuedAt, signature, certificate);
    }

    public String unsignedText() {
        return PREFIX + " udi=" + udi + " devicekey=" + SignedText.b64(deviceKey.publicKey()) + " keyid="
                + deviceKey.keyId() + " issued=" + issuedAt;
    }

    public String signingInput() {
        return SIGNING_DOMAIN + unsignedText();
    }

    public String toText() {
        if (signature == null) {
            throw new IllegalStateException("an unsigned device credential has no text form");
        }
        return unsignedText() + " sig=" + SignedText.b64(signature);
    }

    /** Header comment, the credential line and, when there is one, the certificate line; LF-terminated. */
    public String toFile() {
        return "# Nodelock device credential v1\n" + toText() + "\n"
                + (certificate == null ? "" : certificate.toText() + "\n");
    }

    @Override
    public byte[] signature() {
        return signature == null ? null : signature.clone();
    }

    DeviceCredential withSignature(byte[] sig) {
        return new DeviceCredential(udi, deviceKey, issuedAt, sig, certificate);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DeviceCredential d && udi.equals(d.udi) && deviceKey.equals(d.deviceKey)
                && issuedAt.equals(d.issuedAt) && Arrays.equals(signature, d.signature)
                && Objects.equals(certificate, d.certificate);
    }

    @Override
    public int hashCode() {
        return Objects.hash(udi, deviceKey, issuedAt, certificate) * 31 + Arrays.hashCode(signature);
    }

    @Override
    public String toString() {
        return "DeviceCredential[" + unsignedText()
                + (certificate == null ? "" : ", certificate " + certificate.serial()) + "]";
    }
}
