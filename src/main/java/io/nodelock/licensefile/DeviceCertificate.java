package io.nodelock.licensefile;

import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;

/**
 * A device identity certificate (format v1, see {@code docs/device-identity.md}): a manufacturing authority's
 * statement that the device with this UDI holds this Ed25519 device key, for a validity window, signed with the
 * authority's key. Nodelock's counterpart of Cisco's secure UDI certificate.
 *
 * <p>Text: {@code NLDI1 serial=<serial> udi=<udi> devicekey=<key> devicekeyid=<kid> notbefore=<t> notafter=<t>
 * issuer=<authority kid> sig=<sig>}. {@code notbefore} is inclusive, {@code notafter} exclusive, as in license lines.
 */
public record DeviceCertificate(String serial, Udi udi, PublicKeyInfo deviceKey, Instant notBefore, Instant notAfter,
        String issuerKeyId, byte[] signature) {

    public static final String PREFIX = "NLDI1";
    public static final String SIGNING_DOMAIN = "nodelock/device-certificate/v1\n";
    public static final String FILE_HEADER = "# Nodelock device identity certificate v1";
    static final String KIND = "device certificate";
    static final String[] FIELDS = {"serial", "udi", "devicekey", "devicekeyid", "notbefore", "notafter", "issuer",
        "sig"};

    public DeviceCertificate {
        SignedText.require(serial != null && SignedText.ID.matcher(serial).matches(),
                "serial must be 1-64 characters of A-Z a-z 0-9 -, was '" + serial + "'");
        SignedText.require(udi != null, "udi is required");
        SignedText.require(deviceKey != null, "deviceKey is required");
        SignedText.wholeSeconds("notBefore", notBefore);
        SignedText.wholeSeconds("notAfter", notAfter);
        SignedText.require(notBefore.isBefore(notAfter), "notBefore " + notBefore + " must be before notAfter "
                + notAfter);
        if (issuerKeyId != null) {
            SignedText.require(LicenseLine.KEY_ID.matcher(issuerKeyId).matches(),
                    "issuer key id is malformed: '" + issuerKeyId + "'");
        }
        if (signature != null) {
            SignedText.require(issuerKeyId != null, "a signed certificate names its issuer key id");
            SignedText.require(signature.length == LicenseLine.SIGNATURE_LENGTH, "signature must be 64 bytes");
            signature = signature.clone();
        }
    }

    /** An unsigned certificate; {@link ManufacturingAuthority#sign} sets the issuer and signs it. */
    public static DeviceCertificate of(String serial, Udi udi, PublicKeyInfo deviceKey, Instant notBefore,
            Instant notAfter) {
        return new DeviceCertificate(serial, udi, deviceKey, notBefore, notAfter, null, null);
    }

    /** Parses one certificate line strictly; anything but the one canonical spelling is a {@link TicketFormatException}. */
    public static DeviceCertificate parse(String text) {
        Map<String, String> f = SignedText.split(KIND, PREFIX, text, FIELDS);
        String serial = SignedText.id(KIND, "serial", f.get("serial"));
        Udi udi = SignedText.udi(KIND, f.get("udi"));
        PublicKeyInfo key = PublicKeyInfo.of(SignedText.bytes(KIND, "devicekey", f.get("devicekey"),
                PublicKeyInfo.KEY_LENGTH));
        if (!key.keyId().equals(SignedText.keyId(KIND, f.get("devicekeyid")))) {
            throw new TicketFormatException(KIND + " devicekeyid " + f.get("devicekeyid")
                    + " is not the id of its devicekey (" + key.keyId() + ")");
        }
        Instant notBefore = SignedText.instant(KIND, "notbefore", f.get("notbefore"));
        Instant notAfter = SignedText.instant(KIND, "notafter", f.get("notafter"));
        String issuer = SignedText.keyId(KIND, f.get("issuer"));
        byte[] sig = SignedText.bytes(KIND, "sig", f.get("sig"), LicenseLine.SIGNATURE_LENGTH);
        DeviceCertificate c;
        try {
            c = new DeviceCertificate(serial, udi, key, notBefore, notAfter, issuer, sig);
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

    /** The one certificate line of a file written by {@link #toFile()}; comment and blank rows are skipped. */
    public static DeviceCertificate parseFile(String fileText) {
        return parse(SignedText.singleLine(KIND, PREFIX, fileText));
    }

    /** The signed text: everything up to, not including, {@code " sig="}. Needs the issuer key id. */
    public String unsignedText() {
        if (issuerKeyId == null) {
            throw new IllegalStateException("certificate " + serial + " has no issuer yet; sign it first");
        }
        return PREFIX + " serial=" + serial + " udi=" + udi + " devicekey=" + SignedText.b64(deviceKey.publicKey())
                + " devicekeyid=" + deviceKey.keyId() + " notbefore=" + notBefore + " notafter=" + notAfter
                + " issuer=" + issuerKeyId;
    }

    /** {@code nodelock/device-certificate/v1} LF {@link #unsignedText()}: the bytes the issuer signs. */
    public String signingInput() {
        return SIGNING_DOMAIN + unsignedText();
    }

    public String toText() {
        if (signature == null) {
            throw new IllegalStateException("an unsigned device certificate has no text form");
        }
        return unsignedText() + " sig=" + SignedText.b64(signature);
    }

    public String toFile() {
        return FILE_HEADER + "\n" + toText() + "\n";
    }

    /** True when {@code now} lies in {@code [notBefore, notAfter)}. */
    public boolean validAt(Instant now) {
        return !now.isBefore(notBefore) && now.isBefore(notAfter);
    }

    @Override
    public byte[] signature() {
        return signature == null ? null : signature.clone();
    }

    DeviceCertificate withSignature(String issuer, byte[] sig) {
        return new DeviceCertificate(serial, udi, deviceKey, notBefore, notAfter, issuer, sig);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DeviceCertificate d && serial.equals(d.serial) && udi.equals(d.udi)
                && deviceKey.equals(d.deviceKey) && notBefore.equals(d.notBefore) && notAfter.equals(d.notAfter)
                && Objects.equals(issuerKeyId, d.issuerKeyId) && Arrays.equals(signature, d.signature);
    }

    @Override
    public int hashCode() {
        return Objects.hash(serial, udi, deviceKey, notBefore, notAfter, issuerKeyId) * 31
                + Arrays.hashCode(signature);
    }

    @Override
    public String toString() {
        return "DeviceCertificate[serial=" + serial + ", udi=" + udi + ", deviceKey=" + deviceKey.keyId()
                + ", valid " + notBefore + " to " + notAfter + ", issuer=" + issuerKeyId
                + (signature == null ? ", unsigned" : "") + "]";
    }
}
