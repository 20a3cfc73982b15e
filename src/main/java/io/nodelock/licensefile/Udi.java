package io.nodelock.licensefile;

import io.nodelock.licensefile.UdiSyntaxException.Reason;
import java.util.Locale;

/**
 * Unique Device Identifier: product id (PID), serial number (SN) and optional version id (VID).
 *
 * <p>Canonical text is {@code PID:<pid>,SN:<sn>[,VID:<vid>]}. Only PID and SN identify the device for node-locking
 * (see {@link #binding()}): a hardware revision changes the VID but not the device.
 */
public record Udi(String productId, String serialNumber, String versionId) {

    public static final int PID_MAX_LENGTH = 18;
    public static final int SN_MAX_LENGTH = 20;

    public Udi {
        checkPid(productId, -1);
        checkSn(serialNumber, -1);
        if (versionId != null) {
            checkVid(versionId, -1);
        }
    }

    /** Builds a UDI from its parts; {@code vid} may be null. Throws {@link UdiSyntaxException} like {@link #parse}. */
    public static Udi of(String pid, String sn, String vid) {
        return new Udi(pid, sn, vid);
    }

    /** Parses strict canonical UDI text such as {@code PID:C9300-24T,SN:FOC2231X0AB,VID:V02}. */
    public static Udi parse(String text) {
        if (text == null || text.isEmpty()) {
            throw new UdiSyntaxException(Reason.EMPTY, "UDI is empty; expected PID:<pid>,SN:<sn>[,VID:<vid>]");
        }
        if (isAllWhitespace(text)) {
            throw new UdiSyntaxException(Reason.EMPTY,
                    "UDI is blank (only whitespace); expected PID:<pid>,SN:<sn>[,VID:<vid>]");
        }
        checkWhitespace(text);
        checkLowerCase(text);

        String pid = null;
        String sn = null;
        String vid = null;
        int[] fieldStart = new int[3];
        int expected = 0; // index into PID, SN, VID of the next field allowed
        int pos = 0;
        String[] parts = text.split(",", -1);
        for (String part : parts) {
            int colon = part.indexOf(':');
            if (part.isEmpty()) {
                throw new UdiSyntaxException(Reason.MALFORMED_FIELD,
                        "empty field at position " + (pos + 1) + " (stray comma?); expected PID:<pid>,SN:<sn>[,VID:<vid>]");
            }
            if (colon < 0) {
                throw new UdiSyntaxException(Reason.MALFORMED_FIELD,
                        "field '" + part + "' at position " + (pos + 1) + " has no ':'; fields are written NAME:value");
            }
            String name = part.substring(0, colon);
            String value = part.substring(colon + 1);
            int valuePos = pos + colon + 1;
            int index = switch (name) {
                case "PID" -> 0;
                case "SN" -> 1;
                case "VID" -> 2;
                default -> throw new UdiSyntaxException(Reason.UNKNOWN_FIELD,
                        "unknown field name '" + name + "' at position " + (pos + 1) + "; expected PID, SN or VID");
            };
            String seen = index == 0 ? pid : index == 1 ? sn : vid;
            if (seen != null) {
                throw new UdiSyntaxException(Reason.DUPLICATE_FIELD,
                        "duplicate field " + name + " at position " + (pos + 1) + " (first at position "
                                + (fieldStart[index] + 1) + ")");
            }
            if (index != expected) {
                if (index > expected && expected < 2 && contains(parts, FIELD_NAMES[expected])) {
                    throw new UdiSyntaxException(Reason.MISORDERED_FIELD,
                            "fields must be in the order PID, SN, VID, but " + name + " at position " + (pos + 1)
                                    + " comes before " + FIELD_NAMES[expected] + reorderHint(parts));
                }
                if (expected == 0) {
                    throw new UdiSyntaxException(Reason.MISSING_PID,
                            "missing PID; the UDI must start with PID:<pid>");
                }
                if (expected == 1) {
                    throw new UdiSyntaxException(Reason.MISSING_SN, "missing SN; PID must be followed by ,SN:<sn>");
                }
                throw new UdiSyntaxException(Reason.MISORDERED_FIELD,
                        "fields must be in the order PID, SN, VID, but " + name + " at position " + (pos + 1)
                                + " comes after VID");
            }
            fieldStart[index] = pos;
            switch (index) {
                case 0 -> {
                    checkPid(value, valuePos);
                    pid = value;
                }
                case 1 -> {
                    checkSn(value, valuePos);
                    sn = value;
                }
                default -> {
                    checkVid(value, valuePos);
                    vid = value;
                }
            }
            expected = index + 1;
            pos += part.length() + 1;
        }
        if (pid == null) {
            throw new UdiSyntaxException(Reason.MISSING_PID, "missing PID; the UDI must start with PID:<pid>");
        }
        if (sn == null) {
            throw new UdiSyntaxException(Reason.MISSING_SN, "missing SN; PID must be followed by ,SN:<sn>");
        }
        return new Udi(pid, sn, vid);
    }

    /** The node-lock identity {@code PID:<pid>,SN:<sn>}; VID is deliberately left out. */
    public String binding() {
        return "PID:" + productId + ",SN:" + serialNumber;
    }

    /**
     * The device's name in a file name or URL path: {@code <PID>_<SN>}, a PID's {@code /} written {@code ~}. PIDs and
     * serial numbers hold neither {@code _} nor {@code ~}, so no two devices share it, and it needs no escaping. The
     * factory archive's bundles and the bulk archive's license files are named by it.
     */
    public String fileStem() {
        return productId.replace('/', '~') + "_" + serialNumber;
    }

    /** True when both UDIs name the same device, i.e. have the same {@link #binding()}. */
    public boolean sameDevice(Udi other) {
        return other != null && binding().equals(other.binding());
    }

    /** The full canonical text, including VID when present; {@link #parse} accepts it back. */
    @Override
    public String toString() {
        return versionId == null ? binding() : binding() + ",VID:" + versionId;
    }

    private static final String[] FIELD_NAMES = {"PID", "SN", "VID"};

    private static boolean contains(String[] parts, String name) {
        for (String p : parts) {
            if (p.startsWith(name + ":")) {
                return true;
            }
        }
        return false;
    }

    private static String reorderHint(String[] parts) {
        String p = null;
        String s = null;
        String v = null;
        for (String part : parts) {
            if (part.startsWith("PID:")) {
                p = part;
            } else if (part.startsWith("SN:")) {
                s = part;
            } else if (part.startsWith("VID:")) {
                v = part;
            }
        }
        if (p == null || s == null || parts.length != (v == null ? 2 : 3)) {
            return "";
        }
        return suggestion(p + "," + s + (v == null ? "" : "," + v));
    }

    /** Blank by the same notion of white space as {@link #checkWhitespace}, so U+00A0 alone is blank too. */
    private static boolean isAllWhitespace(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!Character.isWhitespace(c) && !Character.isSpaceChar(c)) {
                return false;
            }
        }
        return true;
    }

    private static void checkWhitespace(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c) || Character.isSpaceChar(c)) {
                String stripped = text.replaceAll("[\\s\\p{Z}]", "");
                throw new UdiSyntaxException(Reason.STRAY_WHITESPACE,
                        "stray whitespace " + describe(c) + " at position " + (i + 1)
                                + "; a UDI contains no spaces" + suggestion(stripped));
            }
        }
    }

    private static void checkLowerCase(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= 'a' && c <= 'z') {
                String upper = text.toUpperCase(Locale.ROOT);
                throw new UdiSyntaxException(Reason.LOWER_CASE,
                        "lower case '" + c + "' at position " + (i + 1)
                                + "; field names and values of a UDI are upper case" + suggestion(upper));
            }
        }
    }

    /** Offers a corrected text only when it is itself valid, so a hint never leads to a second error. */
    private static String suggestion(String candidate) {
        try {
            return "; did you mean '" + parse(candidate) + "'?";
        } catch (UdiSyntaxException e) {
            return "";
        }
    }

    private static String where(int base, int i) {
        return base < 0 ? "at position " + (i + 1) : "at position " + (base + i + 1) + " of the UDI";
    }

    private static void checkPid(String pid, int base) {
        if (pid == null || pid.isEmpty()) {
            throw new UdiSyntaxException(Reason.PID_EMPTY, "PID is empty; it must be 1-" + PID_MAX_LENGTH + " characters");
        }
        if (pid.length() > PID_MAX_LENGTH) {
            throw new UdiSyntaxException(Reason.PID_TOO_LONG,
                    "PID '" + pid + "' is too long: " + pid.length() + " characters, at most " + PID_MAX_LENGTH);
        }
        char first = pid.charAt(0);
        if (!isUpperAlnum(first) && isPidChar(first)) {
            throw new UdiSyntaxException(Reason.PID_BAD_START,
                    "PID '" + pid + "' starts with '" + first + "'; it must start with a letter A-Z or a digit");
        }
        for (int i = 0; i < pid.length(); i++) {
            char c = pid.charAt(i);
            if (!isPidChar(c)) {
                throw new UdiSyntaxException(Reason.PID_BAD_CHARACTER,
                        "PID has bad character " + describe(c) + " " + where(base, i) + hintCase(c)
                                + "; allowed are A-Z 0-9 - / + = .");
            }
        }
    }

    private static void checkSn(String sn, int base) {
        if (sn == null || sn.isEmpty()) {
            throw new UdiSyntaxException(Reason.SN_EMPTY, "SN is empty; it must be 1-" + SN_MAX_LENGTH + " characters");
        }
        if (sn.length() > SN_MAX_LENGTH) {
            throw new UdiSyntaxException(Reason.SN_TOO_LONG,
                    "SN '" + sn + "' is too long: " + sn.length() + " characters, at most " + SN_MAX_LENGTH);
        }
        for (int i = 0; i < sn.length(); i++) {
            char c = sn.charAt(i);
            if (!isUpperAlnum(c)) {
                throw new UdiSyntaxException(Reason.SN_BAD_CHARACTER,
                        "SN has bad character " + describe(c) + " " + where(base, i) + hintCase(c)
                                + "; allowed are A-Z 0-9");
            }
        }
    }

    private static void checkVid(String vid, int base) {
        if (vid.length() != 3 || vid.charAt(0) != 'V' || !isDigit(vid.charAt(1)) || !isDigit(vid.charAt(2))) {
            throw new UdiSyntaxException(Reason.VID_MALFORMED,
                    "VID '" + vid + "'" + (base < 0 ? "" : " at position " + (base + 1) + " of the UDI")
                            + " is malformed; it must be V followed by two digits, e.g. V01" + hintCase(vid));
        }
    }

    private static String hintCase(char c) {
        return c >= 'a' && c <= 'z' ? " (lower case; use '" + Character.toUpperCase(c) + "')" : "";
    }

    private static String hintCase(String s) {
        String upper = s.toUpperCase(Locale.ROOT);
        return !upper.equals(s) && upper.matches("V[0-9]{2}") ? " (lower case; use '" + upper + "')" : "";
    }

    private static String describe(char c) {
        if (c >= 0x21 && c <= 0x7e) {
            return "'" + c + "'";
        }
        return String.format("U+%04X", (int) c);
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isUpperAlnum(char c) {
        return (c >= 'A' && c <= 'Z') || isDigit(c);
    }

    private static boolean isPidChar(char c) {
        return isUpperAlnum(c) || c == '-' || c == '/' || c == '+' || c == '=' || c == '.';
    }
}
