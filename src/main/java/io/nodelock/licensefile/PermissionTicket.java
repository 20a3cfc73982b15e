package io.nodelock.licensefile;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The service's signed permission to revoke licenses on one device, the first step of a rehost (format v1, see
 * {@code docs/tickets.md}).
 *
 * <p>Text: {@code NLPT1 id=<ticket-id> udi=<udi> licenses=<id>[,<id>...] issued=<t> expires=<t> keyid=<kid> sig=<sig>}.
 * Signed by a service signing key over {@link #SIGNING_DOMAIN} + the text up to {@code " sig="}.
 */
public record PermissionTicket(
        String ticketId,
        Udi udi,
        List<String> licenseIds,
        Instant issuedAt,
        Instant expiresAt,
        String keyId,
        byte[] signature) {

    public static final String PREFIX = "NLPT1";
    public static final String SIGNING_DOMAIN = "nodelock/permission-ticket/v1\n";
    static final String KIND = "permission ticket";
    static final String[] FIELDS = {"id", "udi", "licenses", "issued", "expires", "keyid", "sig"};

    public PermissionTicket {
        SignedText.require(ticketId != null && SignedText.ID.matcher(ticketId).matches(),
                "ticketId must be 1-64 characters of A-Z a-z 0-9 -, was " + ticketId);
        SignedText.require(udi != null, "udi is required");
        try {
            licenseIds = SignedText.checkIds(KIND, licenseIds);
        } catch (TicketFormatException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        SignedText.wholeSeconds("issuedAt", issuedAt);
        SignedText.wholeSeconds("expiresAt", expiresAt);
        SignedText.require(issuedAt.isBefore(expiresAt), "issuedAt must be before expiresAt");
        SignedText.require(keyId == null || LicenseLine.KEY_ID.matcher(keyId).matches(), "keyId is malformed");
        if (signature != null) {
            SignedText.require(signature.length == LicenseLine.SIGNATURE_LENGTH, "signature must be 64 bytes");
            SignedText.require(keyId != null, "a signed ticket needs its keyId");
            signature = signature.clone();
        }
    }

    /** An unsigned ticket; {@link TicketSigner#sign(PermissionTicket)} fills in key id and signature. */
    public static PermissionTicket of(String ticketId, Udi udi, List<String> licenseIds, Instant issuedAt,
            Instant expiresAt) {
        return new PermissionTicket(ticketId, udi, licenseIds, issuedAt, expiresAt, null, null);
    }

    /** Parses one v1 line strictly; throws {@link TicketFormatException}. */
    public static PermissionTicket parse(String text) {
        Map<String, String> f = SignedText.split(KIND, PREFIX, text, FIELDS);
        String keyId = SignedText.keyId(KIND, f.get("keyid"));
        PermissionTicket t;
        try {
            t = new PermissionTicket(SignedText.id(KIND, "id", f.get("id")), SignedText.udi(KIND, f.get("udi")),
                    SignedText.ids(KIND, f.get("licenses")), SignedText.instant(KIND, "issued", f.get("issued")),
                    SignedText.instant(KIND, "expires", f.get("expires")), keyId,
                    SignedText.bytes(KIND, "sig", f.get("sig"), LicenseLine.SIGNATURE_LENGTH));
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

    /** Parses a ticket file: the one {@code NLPT1} line among {@code #} comments and blank rows. */
    public static PermissionTicket parseFile(String fileText) {
        return parse(SignedText.singleLine(KIND, PREFIX, fileText));
    }

    public String unsignedText() {
        return PREFIX + " id=" + ticketId + " udi=" + udi + " licenses=" + String.join(",", licenseIds)
                + " issued=" + issuedAt + " expires=" + expiresAt + " keyid=" + (keyId == null ? "-" : keyId);
    }

    public String signingInput() {
        if (keyId == null) {
            throw new IllegalStateException("signing input needs a keyId");
        }
        return SIGNING_DOMAIN + unsignedText();
    }

    public String toText() {
        if (signature == null) {
            throw new IllegalStateException("an unsigned permission ticket has no text form");
        }
        return unsignedText() + " sig=" + SignedText.b64(signature);
    }

    /** A file: comment header and the line, LF-terminated. */
    public String toFile() {
        return "# Nodelock permission ticket v1\n" + toText() + "\n";
    }

    @Override
    public byte[] signature() {
        return signature == null ? null : signature.clone();
    }

    PermissionTicket withSignature(String newKeyId, byte[] sig) {
        return new PermissionTicket(ticketId, udi, licenseIds, issuedAt, expiresAt, newKeyId, sig);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PermissionTicket p && ticketId.equals(p.ticketId) && udi.equals(p.udi)
                && licenseIds.equals(p.licenseIds) && issuedAt.equals(p.issuedAt) && expiresAt.equals(p.expiresAt)
                && Objects.equals(keyId, p.keyId) && Arrays.equals(signature, p.signature);
    }

    @Override
    public int hashCode() {
        return Objects.hash(ticketId, udi, licenseIds, issuedAt, expiresAt, keyId) * 31 + Arrays.hashCode(signature);
    }

    @Override
    public String toString() {
        return "PermissionTicket[" + unsignedText() + "]";
    }
}
