package io.nodelock.licensefile;

import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;

/**
 * A device's UDI and public key, signed with that key (proof of possession), for the portal's rehost and RMA forms
 * (format v1, see {@code docs/tickets.md}).
 *
 * <p>Text: {@code NLDC1 udi=<udi> devicekey=<key> keyid=<kid> issued=<t> sig=<sig>}.
 */
public record DeviceCredential(Udi udi, PublicKeyInfo deviceKey, Instant issuedAt, byte[] signature) {

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

    public static DeviceCredential parseFile(String fileText) {
        return parse(SignedText.singleLine(KIND, PREFIX, fileText));
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

    public String toFile() {
        return "# Nodelock device credential v1\n" + toText() + "\n";
    }

    @Override
    public byte[] signature() {
        return signature == null ? null : signature.clone();
    }

    DeviceCredential withSignature(byte[] sig) {
        return new DeviceCredential(udi, deviceKey, issuedAt, sig);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DeviceCredential d && udi.equals(d.udi) && deviceKey.equals(d.deviceKey)
                && issuedAt.equals(d.issuedAt) && Arrays.equals(signature, d.signature);
    }

    @Override
    public int hashCode() {
        return Objects.hash(udi, deviceKey, issuedAt) * 31 + Arrays.hashCode(signature);
    }

    @Override
    public String toString() {
        return "DeviceCredential[" + unsignedText() + "]";
    }
}
