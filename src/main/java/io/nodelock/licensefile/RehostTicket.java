package io.nodelock.licensefile;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A device's signed proof that it revoked the licenses a permission ticket named (format v1, see
 * {@code docs/tickets.md}).
 *
 * <p>Text: {@code NLRT1 ticket=<permission-ticket-id> udi=<udi> licenses=<ids> revoked=<t> devicekey=<key> keyid=<kid>
 * sig=<sig>}; {@code devicekey} is the device's raw 32-byte Ed25519 public key as unpadded base64url, {@code keyid}
 * its derived key id. Signed by that device key over {@link #SIGNING_DOMAIN} + the text up to {@code " sig="}.
 */
public record RehostTicket(
        String permissionTicketId,
        Udi udi,
        List<String> licenseIds,
        Instant revokedAt,
        PublicKeyInfo deviceKey,
        byte[] signature) {

    public static final String PREFIX = "NLRT1";
    public static final String SIGNING_DOMAIN = "nodelock/rehost-ticket/v1\n";
    static final String KIND = "rehost ticket";
    static final String[] FIELDS = {"ticket", "udi", "licenses", "revoked", "devicekey", "keyid", "sig"};

    public RehostTicket {
        SignedText.require(permissionTicketId != null && SignedText.ID.matcher(permissionTicketId).matches(),
                "permissionTicketId must be 1-64 characters of A-Z a-z 0-9 -, was " + permissionTicketId);
        SignedText.require(udi != null, "udi is required");
        try {
            licenseIds = SignedText.checkIds(KIND, licenseIds);
        } catch (TicketFormatException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        SignedText.wholeSeconds("revokedAt", revokedAt);
        SignedText.require(deviceKey != null, "deviceKey is required");
        if (signature != null) {
            SignedText.require(signature.length == LicenseLine.SIGNATURE_LENGTH, "signature must be 64 bytes");
            signature = signature.clone();
        }
    }

    public static RehostTicket of(String permissionTicketId, Udi udi, List<String> licenseIds, Instant revokedAt,
            PublicKeyInfo deviceKey) {
        return new RehostTicket(permissionTicketId, udi, licenseIds, revokedAt, deviceKey, null);
    }

    public static RehostTicket parse(String text) {
        Map<String, String> f = SignedText.split(KIND, PREFIX, text, FIELDS);
        PublicKeyInfo key = PublicKeyInfo.of(SignedText.bytes(KIND, "devicekey", f.get("devicekey"),
                PublicKeyInfo.KEY_LENGTH));
        if (!key.keyId().equals(SignedText.keyId(KIND, f.get("keyid")))) {
            throw new TicketFormatException(KIND + " keyid " + f.get("keyid") + " is not the id of its devicekey ("
                    + key.keyId() + ")");
        }
        RehostTicket t;
        try {
            t = new RehostTicket(SignedText.id(KIND, "ticket", f.get("ticket")), SignedText.udi(KIND, f.get("udi")),
                    SignedText.ids(KIND, f.get("licenses")), SignedText.instant(KIND, "revoked", f.get("revoked")),
                    key, SignedText.bytes(KIND, "sig", f.get("sig"), LicenseLine.SIGNATURE_LENGTH));
        } catch (TicketFormatException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new TicketFormatException(KIND + ": " + e.getMessage(), e);
        }
        if (!t.toText().equals(text)) {
            throw new TicketFormatException(KIND + " is not in canonical form");
        }
        return t;
    }

    public static RehostTicket parseFile(String fileText) {
        return parse(SignedText.singleLine(KIND, PREFIX, fileText));
    }

    public String unsignedText() {
        return PREFIX + " ticket=" + permissionTicketId + " udi=" + udi + " licenses=" + String.join(",", licenseIds)
                + " revoked=" + revokedAt + " devicekey=" + SignedText.b64(deviceKey.publicKey())
                + " keyid=" + deviceKey.keyId();
    }

    public String signingInput() {
        return SIGNING_DOMAIN + unsignedText();
    }

    public String toText() {
        if (signature == null) {
            throw new IllegalStateException("an unsigned rehost ticket has no text form");
        }
        return unsignedText() + " sig=" + SignedText.b64(signature);
    }

    public String toFile() {
        return "# Nodelock rehost ticket v1\n" + toText() + "\n";
    }

    @Override
    public byte[] signature() {
        return signature == null ? null : signature.clone();
    }

    RehostTicket withSignature(byte[] sig) {
        return new RehostTicket(permissionTicketId, udi, licenseIds, revokedAt, deviceKey, sig);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RehostTicket r && permissionTicketId.equals(r.permissionTicketId) && udi.equals(r.udi)
                && licenseIds.equals(r.licenseIds) && revokedAt.equals(r.revokedAt) && deviceKey.equals(r.deviceKey)
                && Arrays.equals(signature, r.signature);
    }

    @Override
    public int hashCode() {
        return Objects.hash(permissionTicketId, udi, licenseIds, revokedAt, deviceKey) * 31
                + Arrays.hashCode(signature);
    }

    @Override
    public String toString() {
        return "RehostTicket[" + unsignedText() + "]";
    }
}
