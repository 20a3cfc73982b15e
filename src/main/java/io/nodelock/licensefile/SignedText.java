package io.nodelock.licensefile;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The shared single-line encoding of the ticket formats: {@code PREFIX name=value ... sig=<sig>}, every field present
 * once, in a fixed order, separated by single spaces, printable ASCII only, exactly one spelling per value.
 */
final class SignedText {

    static final Pattern ID = Pattern.compile("[A-Za-z0-9-]{1,64}");
    static final Pattern INSTANT = Pattern.compile("[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z");
    static final Pattern BASE64URL = Pattern.compile("[A-Za-z0-9_-]+");
    static final int MAX_LICENSE_IDS = 100;
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();

    private SignedText() {
    }

    /** Splits a line into its fields after checking prefix, characters, field names and order. */
    static Map<String, String> split(String kind, String prefix, String text, String... fields) {
        if (text == null || text.isEmpty()) {
            throw new TicketFormatException(kind + " is empty");
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c != ' ' && (c < 0x21 || c > 0x7e)) {
                throw new TicketFormatException(kind + " has a non-printable or non-ASCII character at position "
                        + (i + 1));
            }
        }
        if (text.startsWith(" ") || text.endsWith(" ") || text.contains("  ")) {
            throw new TicketFormatException(kind + " has stray spaces; fields are separated by exactly one space");
        }
        String[] parts = text.split(" ", -1);
        if (!parts[0].equals(prefix)) {
            throw new TicketFormatException(kind + " must start with " + prefix + ", starts with '" + parts[0] + "'");
        }
        if (parts.length - 1 != fields.length) {
            throw new TicketFormatException(kind + " must have " + fields.length + " fields ("
                    + String.join(", ", fields) + "), has " + (parts.length - 1));
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < fields.length; i++) {
            String part = parts[i + 1];
            int eq = part.indexOf('=');
            String name = eq < 0 ? part : part.substring(0, eq);
            if (eq < 0 || !name.equals(fields[i])) {
                throw new TicketFormatException(kind + " field " + (i + 1) + " must be " + fields[i] + "=..., was '"
                        + (part.length() > 40 ? part.substring(0, 40) + "..." : part) + "'");
            }
            values.put(name, part.substring(eq + 1));
        }
        return values;
    }

    static String id(String kind, String field, String value) {
        if (!ID.matcher(value).matches()) {
            throw new TicketFormatException(kind + " " + field + " must be 1-64 characters of A-Z a-z 0-9 -, was '"
                    + value + "'");
        }
        return value;
    }

    static Instant instant(String kind, String field, String value) {
        if (!INSTANT.matcher(value).matches()) {
            throw new TicketFormatException(kind + " " + field + " must be yyyy-MM-ddTHH:mm:ssZ, was '" + value + "'");
        }
        try {
            Instant t = Instant.parse(value);
            if (!t.toString().equals(value)) {
                throw new TicketFormatException(kind + " " + field + " is not a canonical instant: '" + value + "'");
            }
            return t;
        } catch (DateTimeParseException e) {
            throw new TicketFormatException(kind + " " + field + " is not a real instant: '" + value + "'", e);
        }
    }

    static Udi udi(String kind, String value) {
        try {
            return Udi.parse(value);
        } catch (UdiSyntaxException e) {
            throw new TicketFormatException(kind + " udi: " + e.getMessage(), e);
        }
    }

    static List<String> ids(String kind, String value) {
        List<String> ids = new ArrayList<>();
        for (String id : value.split(",", -1)) {
            ids.add(id(kind, "license id", id));
        }
        return checkIds(kind, ids);
    }

    static List<String> checkIds(String kind, List<String> ids) {
        if (ids == null || ids.isEmpty()) {
            throw new TicketFormatException(kind + " names no license ids");
        }
        if (ids.size() > MAX_LICENSE_IDS) {
            throw new TicketFormatException(kind + " names " + ids.size() + " licenses, at most " + MAX_LICENSE_IDS);
        }
        for (String id : ids) {
            id(kind, "license id", id == null ? "" : id);
        }
        if (new LinkedHashSet<>(ids).size() != ids.size()) {
            throw new TicketFormatException(kind + " names a license id twice: " + ids);
        }
        return List.copyOf(ids);
    }

    static String keyId(String kind, String value) {
        if (!LicenseLine.KEY_ID.matcher(value).matches()) {
            throw new TicketFormatException(kind + " keyid is malformed: '" + value + "'");
        }
        return value;
    }

    static byte[] bytes(String kind, String field, String value, int length) {
        if (!BASE64URL.matcher(value).matches()) {
            throw new TicketFormatException(kind + " " + field + " is not unpadded base64url");
        }
        byte[] raw;
        try {
            raw = B64D.decode(value);
        } catch (IllegalArgumentException e) {
            throw new TicketFormatException(kind + " " + field + " is not valid base64url", e);
        }
        if (raw.length != length) {
            throw new TicketFormatException(kind + " " + field + " must be " + length + " bytes, is " + raw.length
                    + " (truncated?)");
        }
        if (!B64.encodeToString(raw).equals(value)) {
            throw new TicketFormatException(kind + " " + field + " is not in canonical base64url");
        }
        return raw;
    }

    /** Canonical unpadded base64url of 1 to {@code max} bytes. */
    static byte[] bytesUpTo(String kind, String field, String value, int max) {
        if (!BASE64URL.matcher(value).matches() || value.length() > (max * 4 + 2) / 3) {
            throw new TicketFormatException(kind + " " + field + " is not unpadded base64url of at most " + max + " bytes");
        }
        byte[] raw;
        try {
            raw = B64D.decode(value);
        } catch (IllegalArgumentException e) {
            throw new TicketFormatException(kind + " " + field + " is not valid base64url", e);
        }
        if (raw.length == 0 || !b64(raw).equals(value)) {
            throw new TicketFormatException(kind + " " + field + " is not in canonical base64url");
        }
        return raw;
    }

    static String b64(byte[] raw) {
        return B64.encodeToString(raw);
    }

    static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    static void wholeSeconds(String name, Instant t) {
        require(t != null, name + " is required");
        require(t.getNano() == 0, name + " must have whole-second precision, was " + t);
        require(!t.isBefore(LicenseLine.MIN_INSTANT) && !t.isAfter(LicenseLine.MAX_INSTANT),
                name + " must be between " + LicenseLine.MIN_INSTANT + " and " + LicenseLine.MAX_INSTANT);
    }

    /** The rows of a file that are neither blank nor comments, in order (BOM and CR before LF dropped). */
    static List<String> rows(String kind, String fileText) {
        if (fileText == null) {
            throw new TicketFormatException(kind + " file is empty");
        }
        String body = fileText.startsWith("\uFEFF") ? fileText.substring(1) : fileText;
        List<String> rows = new ArrayList<>();
        for (String row : body.split("\n", -1)) {
            if (row.endsWith("\r")) {
                row = row.substring(0, row.length() - 1);
            }
            String s = row.strip();
            if (!s.isEmpty() && !s.startsWith("#")) {
                rows.add(row);
            }
        }
        return rows;
    }

    /** Finds the single line starting with {@code prefix} in a file: comments and blank rows are skipped. */
    static String singleLine(String kind, String prefix, String fileText) {
        if (fileText == null) {
            throw new TicketFormatException(kind + " file is empty");
        }
        String body = fileText.startsWith("\uFEFF") ? fileText.substring(1) : fileText;
        String found = null;
        int n = 0;
        for (String row : body.split("\n", -1)) {
            n++;
            if (row.endsWith("\r")) {
                row = row.substring(0, row.length() - 1);
            }
            String s = row.strip();
            if (s.isEmpty() || s.startsWith("#")) {
                continue;
            }
            if (found != null) {
                throw new TicketFormatException(kind + " file has more than one " + kind + " line (row " + n + ")");
            }
            found = row;
        }
        if (found == null) {
            throw new TicketFormatException(kind + " file holds no " + prefix + " line");
        }
        return found;
    }
}
