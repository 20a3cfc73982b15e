package io.nodelock.licensefile;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A license file: license lines plus {@code #} comment lines and blank lines.
 *
 * <p>Parsing never stops at a bad line, because a device must install every good line and report each bad one.
 */
public final class LicenseFile {

    public static final String HEADER = "# Nodelock license file v1";

    private LicenseFile() {
    }

    /** Writes the header comment and one line per license, each terminated by {@code \n}. */
    public static String format(List<LicenseLine> lines) {
        StringBuilder sb = new StringBuilder(HEADER).append('\n');
        for (LicenseLine line : lines) {
            sb.append(line.toText()).append('\n');
        }
        return sb.toString();
    }

    /**
     * Parses every line of {@code text}. Lines are split at {@code \n}; a {@code \r} before it is dropped, as is a
     * leading byte-order mark. Blank lines and lines whose first non-blank character is {@code #} are skipped; blank
     * means Unicode white space, so a row of only U+00A0 (no-break space, as pasted from a web page) is blank too.
     */
    public static Parsed parse(String text) {
        List<Entry> entries = new ArrayList<>();
        List<Rejection> rejections = new ArrayList<>();
        if (text == null) {
            return new Parsed(entries, rejections);
        }
        String body = text.startsWith("\uFEFF") ? text.substring(1) : text;
        String[] rows = body.split("\n", -1);
        for (int i = 0; i < rows.length; i++) {
            parseRow(i + 1, rows[i], entries, rejections);
        }
        return new Parsed(entries, rejections);
    }

    /**
     * Parses a file as read from disk or the network. The bytes are split at LF before decoding, so a byte that is
     * not UTF-8 spoils only its own row: in a comment row it is ignored with the comment, in any other row that row
     * is rejected ({@code NON_ASCII}) and the other rows are parsed as usual.
     */
    public static Parsed parseBytes(byte[] bytes) {
        List<Entry> entries = new ArrayList<>();
        List<Rejection> rejections = new ArrayList<>();
        if (bytes == null) {
            return new Parsed(entries, rejections);
        }
        int start = bytes.length >= 3 && (bytes[0] & 0xff) == 0xEF && (bytes[1] & 0xff) == 0xBB
                && (bytes[2] & 0xff) == 0xBF ? 3 : 0;
        int number = 0;
        while (start <= bytes.length) {
            int end = start;
            while (end < bytes.length && bytes[end] != '\n') {
                end++;
            }
            number++;
            ByteBuffer row = ByteBuffer.wrap(bytes, start, end - start);
            try {
                String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(row).toString();
                parseRow(number, text, entries, rejections);
            } catch (CharacterCodingException e) {
                String lenient = new String(bytes, start, end - start, StandardCharsets.UTF_8);
                if (!isSkipped(lenient)) {
                    // After a failed decode the buffer stands at the first byte of the malformed sequence.
                    int at = Math.min(row.position(), end - 1);
                    rejections.add(new Rejection(number, lenient, new LicenseFormatException(
                            LicenseFormatException.Reason.NON_ASCII, String.format(
                                    "byte 0x%02X at byte %d of the row is not UTF-8 text", bytes[at] & 0xff,
                                    at - start + 1), e)));
                }
            }
            start = end + 1;
        }
        return new Parsed(entries, rejections);
    }

    private static void parseRow(int number, String raw, List<Entry> entries, List<Rejection> rejections) {
        String row = raw.endsWith("\r") ? raw.substring(0, raw.length() - 1) : raw;
        if (isSkipped(row)) {
            return;
        }
        try {
            entries.add(new Entry(number, LicenseLine.parse(row)));
        } catch (LicenseFormatException e) {
            rejections.add(new Rejection(number, row, e));
        }
    }

    /** Blank rows and comment rows, by the same Unicode notion of white space the line parser rejects. */
    private static boolean isSkipped(String row) {
        for (int i = 0; i < row.length(); i++) {
            char c = row.charAt(i);
            if (!Character.isWhitespace(c) && !Character.isSpaceChar(c)) {
                return c == '#';
            }
        }
        return true;
    }

    /** Result of {@link #parse}: the good lines and, separately, each rejected line with its reason. */
    public record Parsed(List<Entry> entries, List<Rejection> rejections) {
        public Parsed {
            entries = List.copyOf(entries);
            rejections = List.copyOf(rejections);
        }

        public List<LicenseLine> lines() {
            return entries.stream().map(Entry::line).toList();
        }

        public boolean hasRejections() {
            return !rejections.isEmpty();
        }
    }

    /** A parsed license line and its 1-based line number in the file. */
    public record Entry(int lineNumber, LicenseLine line) {
    }

    /** A line that could not be parsed, with its 1-based line number, its text and the parser's error. */
    public record Rejection(int lineNumber, String text, LicenseFormatException error) {
        public LicenseFormatException.Reason reason() {
            return error.reason();
        }

        public String message() {
            return error.getMessage();
        }

        @Override
        public String toString() {
            return "line " + lineNumber + ": " + reason() + ": " + message();
        }
    }
}
