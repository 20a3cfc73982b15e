package io.nodelock.licensefile;

import io.nodelock.licensefile.LicenseFormatException.Reason;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.regex.Pattern;

/** Text encoding of v1 and v2 lines; kept apart from {@link LicenseLine} so the record stays a plain value. */
final class LineCodec {

    static final String PREFIX = "NLIC1";
    static final String PREFIX_EULA = "NLIC2";
    static final String ABSENT = "-";
    static final String[] FIELDS = {
        "id", "feature", "udi", "type", "count", "usagedays", "notbefore", "notafter", "issued", "keyid", "sig"
    };
    /** Version 2 adds {@code eula} after {@code issued}; everything else is as in version 1. */
    static final String[] FIELDS_EULA = {
        "id", "feature", "udi", "type", "count", "usagedays", "notbefore", "notafter", "issued", "eula", "keyid", "sig"
    };
    private static final Pattern PREFIX_LIKE = Pattern.compile("NLIC[0-9]+");
    private static final Pattern INSTANT = Pattern.compile("[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z");
    private static final Pattern UINT = Pattern.compile("0|[1-9][0-9]{0,9}");
    private static final Pattern BASE64URL = Pattern.compile("[A-Za-z0-9_-]*");
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private LineCodec() {
    }

    static String format(LicenseLine l) {
        StringBuilder sb = new StringBuilder(256);
        appendUnsigned(sb, l);
        sb.append(" sig=").append(l.signature() == null ? ABSENT : l.signatureBase64Url());
        return sb.toString();
    }

    static String formatUnsigned(LicenseLine l) {
        StringBuilder sb = new StringBuilder(160);
        appendUnsigned(sb, l);
        return sb.toString();
    }

    private static void appendUnsigned(StringBuilder sb, LicenseLine l) {
        sb.append(l.eulaVersion() == null ? PREFIX : PREFIX_EULA)
                .append(" id=").append(l.licenseId())
                .append(" feature=").append(l.feature())
                .append(" udi=").append(l.udi())
                .append(" type=").append(l.type().wireName())
                .append(" count=").append(l.count())
                .append(" usagedays=").append(l.usageDays())
                .append(" notbefore=").append(instant(l.notBefore()))
                .append(" notafter=").append(instant(l.notAfter()))
                .append(" issued=").append(instant(l.issuedAt()));
        if (l.eulaVersion() != null) {
            sb.append(" eula=").append(l.eulaVersion());
        }
        sb.append(" keyid=").append(l.keyId() == null ? ABSENT : l.keyId());
    }

    private static String instant(Instant t) {
        // Instant.toString always prints seconds and omits a zero fraction, which is the v1 spelling.
        return t == null ? ABSENT : t.toString();
    }

    static LicenseLine parse(String text) {
        if (text == null || text.isEmpty()) {
            throw fail(Reason.EMPTY, "license line is empty");
        }
        checkCharacters(text);
        String[] tokens = text.split(" ", -1);
        boolean withEula = checkPrefix(tokens[0]);
        String[] fields = withEula ? FIELDS_EULA : FIELDS;
        int sig = fields.length - 1;
        String[] values = new String[fields.length];
        for (int t = 1; t < tokens.length; t++) {
            String token = tokens[t];
            int eq = token.indexOf('=');
            int expected = t - 1;
            if (expected >= fields.length) {
                String name = eq > 0 ? token.substring(0, eq) : "";
                if (indexOf(fields, name) >= 0) {
                    throw fail(Reason.DUPLICATE_FIELD, "duplicate field '" + name + "' after sig");
                }
                throw fail(Reason.TRAILING_GARBAGE, "trailing text after sig: '" + abbreviate(token) + "'");
            }
            if (eq <= 0) {
                throw fail(Reason.MALFORMED_FIELD, "token " + (t + 1) + " '" + abbreviate(token)
                        + "' is not name=value; expected " + fields[expected] + "=...");
            }
            String name = token.substring(0, eq);
            int index = indexOf(fields, name);
            if (index < 0) {
                throw fail(Reason.UNKNOWN_FIELD, "unknown field '" + abbreviate(name) + "' where " + fields[expected]
                        + " was expected");
            }
            if (index < expected) {
                throw fail(Reason.DUPLICATE_FIELD, "duplicate field '" + name + "'");
            }
            if (index > expected) {
                if (appearsLater(tokens, t + 1, fields[expected])) {
                    throw fail(Reason.MISORDERED_FIELD, "field '" + name + "' is out of order: '" + fields[expected]
                            + "' must come first; order is " + String.join(", ", fields));
                }
                throw fail(Reason.MISSING_FIELD, "missing field '" + fields[expected] + "' before '" + name + "'");
            }
            values[index] = token.substring(eq + 1);
        }
        int present = tokens.length - 1;
        if (present < fields.length) {
            throw fail(Reason.MISSING_FIELD, "missing field '" + fields[present] + "'"
                    + (present == sig ? " (an unsigned line ends with sig=-)" : ""));
        }

        int k = withEula ? 1 : 0;
        LicenseLine line;
        try {
            line = new LicenseLine(
                    withEula ? LicenseLine.FORMAT_VERSION_EULA : LicenseLine.FORMAT_VERSION,
                    values[0],
                    values[1],
                    udi(values[2]),
                    type(values[3]),
                    uint("count", values[4]),
                    uint("usagedays", values[5]),
                    optionalInstant("notbefore", values[6]),
                    optionalInstant("notafter", values[7]),
                    requiredInstant("issued", values[8]),
                    ABSENT.equals(values[9 + k]) ? null : values[9 + k],
                    signature(values[sig]),
                    withEula ? eulaVersion(values[9]) : null);
        } catch (LicenseFormatException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw fail(Reason.BAD_VALUE, e.getMessage(), e);
        }
        // Guards every spelling the field checks might let through; the signature only covers the canonical text.
        String canonical = line.toText();
        if (!canonical.equals(text)) {
            throw fail(Reason.NON_CANONICAL, "line is not in canonical form; expected '" + canonical + "'");
        }
        return line;
    }

    private static void checkCharacters(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == ' ') {
                if (i == 0) {
                    throw fail(Reason.BAD_WHITESPACE, "leading space at position 1");
                }
                if (i == text.length() - 1) {
                    throw fail(Reason.BAD_WHITESPACE, "trailing space at position " + (i + 1));
                }
                if (text.charAt(i - 1) == ' ') {
                    throw fail(Reason.BAD_WHITESPACE,
                            "double space at position " + i + "; fields are separated by exactly one space");
                }
            } else if (Character.isWhitespace(c) || Character.isSpaceChar(c)) {
                throw fail(Reason.BAD_WHITESPACE, String.format(
                        "whitespace character U+%04X at position %d; only single spaces separate fields", (int) c, i + 1));
            } else if (c < 0x21 || c > 0x7e) {
                throw fail(Reason.NON_ASCII,
                        String.format("character U+%04X at position %d is not printable ASCII", (int) c, i + 1));
            }
        }
    }

    /** True for a version 2 line (with a EULA version). */
    private static boolean checkPrefix(String first) {
        if (first.equals(PREFIX) || first.equals(PREFIX_EULA)) {
            return first.equals(PREFIX_EULA);
        }
        if (PREFIX_LIKE.matcher(first).matches()) {
            throw fail(Reason.UNSUPPORTED_VERSION, "unsupported license line version '" + first
                    + "'; this reader understands " + PREFIX + " and " + PREFIX_EULA + " only");
        }
        throw fail(Reason.BAD_PREFIX, "line must start with '" + PREFIX + " ', found '" + abbreviate(first) + "'");
    }

    private static String eulaVersion(String v) {
        // A version 2 line exists to name its EULA: "eula=-" would be a second spelling of a version 1 line.
        if (!LicenseLine.EULA_VERSION.matcher(v).matches()) {
            throw fail(Reason.BAD_VALUE, "eula: '" + abbreviate(v) + "' is not a EULA version "
                    + "([A-Za-z0-9][A-Za-z0-9._-]{0,31}); a line without one is written as " + PREFIX);
        }
        return v;
    }

    private static Udi udi(String v) {
        try {
            return Udi.parse(v);
        } catch (UdiSyntaxException e) {
            throw fail(Reason.BAD_VALUE, "udi: " + e.getMessage(), e);
        }
    }

    private static LicenseType type(String v) {
        try {
            return LicenseType.fromWire(v);
        } catch (IllegalArgumentException e) {
            throw fail(Reason.BAD_VALUE, "type: " + e.getMessage(), e);
        }
    }

    private static int uint(String name, String v) {
        if (!UINT.matcher(v).matches()) {
            throw fail(Reason.BAD_VALUE, name + ": '" + abbreviate(v)
                    + "' is not a non-negative decimal integer without sign or leading zeros");
        }
        long n = Long.parseLong(v);
        if (n > Integer.MAX_VALUE) {
            throw fail(Reason.BAD_VALUE, name + ": " + v + " exceeds " + Integer.MAX_VALUE);
        }
        return (int) n;
    }

    private static Instant optionalInstant(String name, String v) {
        return ABSENT.equals(v) ? null : requiredInstant(name, v);
    }

    private static Instant requiredInstant(String name, String v) {
        if (!INSTANT.matcher(v).matches()) {
            throw fail(Reason.BAD_VALUE, name + ": '" + abbreviate(v)
                    + "' is not a UTC instant like 2026-11-28T10:15:30Z" + (name.equals("issued") ? "" : " or -"));
        }
        Instant t;
        try {
            t = Instant.parse(v);
        } catch (DateTimeParseException e) {
            throw fail(Reason.BAD_VALUE, name + ": '" + v + "' is not a valid date and time", e);
        }
        if (!t.toString().equals(v)) {
            throw fail(Reason.BAD_VALUE, name + ": '" + v + "' is not a valid date and time");
        }
        return t;
    }

    private static byte[] signature(String v) {
        if (ABSENT.equals(v)) {
            return null;
        }
        if (v.indexOf('=') >= 0) {
            throw fail(Reason.BAD_SIGNATURE_ENCODING, "sig: base64url must be written without '=' padding");
        }
        if (!BASE64URL.matcher(v).matches()) {
            throw fail(Reason.BAD_SIGNATURE_ENCODING,
                    "sig: not base64url (allowed are A-Z a-z 0-9 - _), found '" + abbreviate(v) + "'");
        }
        if (v.length() % 4 == 1) {
            throw fail(Reason.BAD_SIGNATURE_ENCODING, "sig: " + v.length() + " characters is not a valid base64 length");
        }
        byte[] sig;
        try {
            sig = Base64.getUrlDecoder().decode(v);
        } catch (IllegalArgumentException e) {
            throw fail(Reason.BAD_SIGNATURE_ENCODING, "sig: " + e.getMessage(), e);
        }
        if (sig.length != LicenseLine.SIGNATURE_LENGTH) {
            throw fail(Reason.BAD_SIGNATURE_LENGTH, "sig: decodes to " + sig.length + " bytes; an Ed25519 signature is "
                    + LicenseLine.SIGNATURE_LENGTH + " bytes (86 base64url characters)");
        }
        if (!B64.encodeToString(sig).equals(v)) {
            // The last character carries unused bits; only the spelling with those bits zero is accepted.
            throw fail(Reason.BAD_SIGNATURE_ENCODING, "sig: non-canonical base64url (unused trailing bits are set)");
        }
        return sig;
    }

    private static int indexOf(String[] fields, String name) {
        for (int i = 0; i < fields.length; i++) {
            if (fields[i].equals(name)) {
                return i;
            }
        }
        return -1;
    }

    private static boolean appearsLater(String[] tokens, int from, String name) {
        for (int i = from; i < tokens.length; i++) {
            if (tokens[i].startsWith(name + "=")) {
                return true;
            }
        }
        return false;
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 37) + "...";
    }

    private static LicenseFormatException fail(Reason reason, String message) {
        return new LicenseFormatException(reason, message);
    }

    private static LicenseFormatException fail(Reason reason, String message, Throwable cause) {
        return new LicenseFormatException(reason, message, cause);
    }
}
