package io.nodelock.licensefile;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One complete, independently verifiable license line (format 1, or format 2 when it names the EULA it was accepted under).
 *
 * <p>{@code signature} and {@code keyId} are null on an unsigned line. {@link #toText()} and {@link #parse(String)}
 * are exact inverses: every valid line has exactly one text, which is what makes the signature cover the text.
 */
public record LicenseLine(
        int formatVersion,
        String licenseId,
        String feature,
        Udi udi,
        LicenseType type,
        int count,
        int usageDays,
        Instant notBefore,
        Instant notAfter,
        Instant issuedAt,
        String keyId,
        byte[] signature,
        String eulaVersion) {

    /** Format of a line without a EULA version; such lines are written exactly as before version 2 existed. */
    public static final int FORMAT_VERSION = 1;
    /** Format of a line that names the EULA it was accepted under (field {@code eula=}, prefix {@code NLIC2}). */
    public static final int FORMAT_VERSION_EULA = 2;
    public static final int SIGNATURE_LENGTH = 64;
    /**
     * Domain-separation prefix of the signing input, so a line signature can never be replayed as another kind. Both
     * formats use it: the signed text starts with its own prefix ({@code NLIC1} or {@code NLIC2}), which keeps them apart.
     */
    public static final String SIGNING_DOMAIN = "nodelock/license-line/v1\n";

    static final Pattern LICENSE_ID = Pattern.compile("[A-Za-z0-9-]{1,64}");
    static final Pattern FEATURE = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");
    static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    static final Pattern EULA_VERSION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,31}");
    /** Bounds keep every instant printable as exactly {@code yyyy-MM-ddTHH:mm:ssZ}. */
    static final Instant MIN_INSTANT = Instant.parse("1970-01-01T00:00:00Z");
    static final Instant MAX_INSTANT = Instant.parse("9999-12-31T23:59:59Z");

    public LicenseLine {
        // One spelling per line: the version follows from the content, so a v1 line can never be re-labelled v2.
        int expectedVersion = eulaVersion == null ? FORMAT_VERSION : FORMAT_VERSION_EULA;
        if (formatVersion != expectedVersion) {
            throw new IllegalArgumentException("formatVersion must be " + expectedVersion + " for a line "
                    + (eulaVersion == null ? "without" : "with") + " a EULA version, was " + formatVersion);
        }
        require(eulaVersion == null || EULA_VERSION.matcher(eulaVersion).matches(),
                "eulaVersion must match [A-Za-z0-9][A-Za-z0-9._-]{0,31}, was " + quote(eulaVersion));
        require(licenseId != null && LICENSE_ID.matcher(licenseId).matches(),
                "licenseId must be 1-64 characters of A-Z a-z 0-9 -, was " + quote(licenseId));
        require(feature != null && FEATURE.matcher(feature).matches(),
                "feature must match [a-z0-9][a-z0-9_-]{0,63}, was " + quote(feature));
        require(udi != null, "udi is required");
        require(type != null, "type is required");
        require(count >= 0, "count must be >= 0 (0 = uncounted), was " + count);
        require(usageDays >= 0, "usageDays must be >= 0, was " + usageDays);
        if (type == LicenseType.EVALUATION || type == LicenseType.EXTENSION) {
            require(usageDays > 0, type.wireName() + " license needs usageDays > 0 (days of use it grants)");
        } else {
            require(usageDays == 0, type.wireName() + " license must have usageDays 0, was " + usageDays);
        }
        if (type == LicenseType.SUBSCRIPTION) {
            require(notAfter != null, "subscription license needs notAfter (its end date)");
        }
        if (type == LicenseType.PERMANENT) {
            require(notAfter == null, "permanent license must not have notAfter");
        }
        checkInstant("notBefore", notBefore);
        checkInstant("notAfter", notAfter);
        require(issuedAt != null, "issuedAt is required");
        checkInstant("issuedAt", issuedAt);
        if (notBefore != null && notAfter != null) {
            require(notBefore.isBefore(notAfter),
                    "notBefore " + notBefore + " must be before notAfter " + notAfter);
        }
        require(keyId == null || KEY_ID.matcher(keyId).matches(),
                "keyId must match [A-Za-z0-9][A-Za-z0-9._-]{0,63}, was " + quote(keyId));
        if (signature != null) {
            require(signature.length == SIGNATURE_LENGTH,
                    "signature must be " + SIGNATURE_LENGTH + " bytes, was " + signature.length);
            require(keyId != null, "a signed line needs the keyId of its signing key");
            signature = signature.clone();
        }
    }

    /** A line without a EULA version (format 1), as lines were before version 2. */
    public LicenseLine(int formatVersion, String licenseId, String feature, Udi udi, LicenseType type, int count,
                       int usageDays, Instant notBefore, Instant notAfter, Instant issuedAt, String keyId, byte[] signature) {
        this(formatVersion, licenseId, feature, udi, type, count, usageDays, notBefore, notAfter, issuedAt, keyId,
                signature, null);
    }

    /** Starts an unsigned line; the builder's defaults are count 0, usageDays 0, no validity window, no EULA version. */
    public static Builder builder() {
        return new Builder();
    }

    /** Parses one line of v1 or v2 text strictly; throws {@link LicenseFormatException}. */
    public static LicenseLine parse(String text) {
        return LineCodec.parse(text);
    }

    /** The canonical one-line text, without a line terminator. */
    public String toText() {
        return LineCodec.format(this);
    }

    /** The text that is signed after {@link #SIGNING_DOMAIN}: the line up to, not including, {@code " sig="}. */
    public String unsignedText() {
        return LineCodec.formatUnsigned(this);
    }

    /** The exact string whose UTF-8 bytes are signed: {@link #SIGNING_DOMAIN} + {@link #unsignedText()}. */
    public String signingInput() {
        if (keyId == null) {
            throw new IllegalStateException("signing input needs a keyId, because the key id is signed too");
        }
        return SIGNING_DOMAIN + unsignedText();
    }

    byte[] signingInputBytes() {
        return signingInput().getBytes(StandardCharsets.UTF_8);
    }

    public boolean isSigned() {
        return signature != null;
    }

    /** A defensive copy, so a caller cannot alter the line after it was verified. */
    @Override
    public byte[] signature() {
        return signature == null ? null : signature.clone();
    }

    /** Signature as unpadded base64url, as written in the line, or null when unsigned. */
    public String signatureBase64Url() {
        return signature == null ? null : Base64.getUrlEncoder().withoutPadding().encodeToString(signature);
    }

    public LicenseLine withSignature(String newKeyId, byte[] newSignature) {
        return new LicenseLine(formatVersion, licenseId, feature, udi, type, count, usageDays, notBefore, notAfter,
                issuedAt, newKeyId, newSignature, eulaVersion);
    }

    /** Same content with the given key id and no signature; what a signer signs. */
    public LicenseLine unsigned(String newKeyId) {
        return withSignature(newKeyId, null);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LicenseLine l
                && formatVersion == l.formatVersion
                && count == l.count
                && usageDays == l.usageDays
                && licenseId.equals(l.licenseId)
                && feature.equals(l.feature)
                && udi.equals(l.udi)
                && type == l.type
                && Objects.equals(notBefore, l.notBefore)
                && Objects.equals(notAfter, l.notAfter)
                && issuedAt.equals(l.issuedAt)
                && Objects.equals(keyId, l.keyId)
                && Objects.equals(eulaVersion, l.eulaVersion)
                && Arrays.equals(signature, l.signature);
    }

    @Override
    public int hashCode() {
        return Objects.hash(formatVersion, licenseId, feature, udi, type, count, usageDays, notBefore, notAfter,
                issuedAt, keyId, eulaVersion) * 31 + Arrays.hashCode(signature);
    }

    @Override
    public String toString() {
        return "LicenseLine[" + toText() + "]";
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    private static String quote(String s) {
        return s == null ? "null" : "'" + s + "'";
    }

    private static void checkInstant(String name, Instant t) {
        if (t == null) {
            return;
        }
        require(t.getNano() == 0, name + " must have whole-second precision, was " + t);
        require(!t.isBefore(MIN_INSTANT) && !t.isAfter(MAX_INSTANT),
                name + " must be between " + MIN_INSTANT + " and " + MAX_INSTANT + ", was " + t);
    }

    /** Mutable helper for building unsigned lines; {@link #build()} validates like the constructor. */
    public static final class Builder {
        private String licenseId;
        private String feature;
        private Udi udi;
        private LicenseType type;
        private int count;
        private int usageDays;
        private Instant notBefore;
        private Instant notAfter;
        private Instant issuedAt;
        private String keyId;
        private String eulaVersion;

        private Builder() {
        }

        public Builder licenseId(String v) {
            licenseId = v;
            return this;
        }

        public Builder feature(String v) {
            feature = v;
            return this;
        }

        public Builder udi(Udi v) {
            udi = v;
            return this;
        }

        public Builder type(LicenseType v) {
            type = v;
            return this;
        }

        public Builder count(int v) {
            count = v;
            return this;
        }

        public Builder usageDays(int v) {
            usageDays = v;
            return this;
        }

        public Builder notBefore(Instant v) {
            notBefore = v;
            return this;
        }

        public Builder notAfter(Instant v) {
            notAfter = v;
            return this;
        }

        public Builder issuedAt(Instant v) {
            issuedAt = v;
            return this;
        }

        public Builder keyId(String v) {
            keyId = v;
            return this;
        }

        /** The EULA the license was accepted under; makes the line format 2. */
        public Builder eulaVersion(String v) {
            eulaVersion = v;
            return this;
        }

        public LicenseLine build() {
            return new LicenseLine(eulaVersion == null ? FORMAT_VERSION : FORMAT_VERSION_EULA, licenseId, feature, udi,
                    type, count, usageDays, notBefore, notAfter, issuedAt, keyId, null, eulaVersion);
        }
    }
}
