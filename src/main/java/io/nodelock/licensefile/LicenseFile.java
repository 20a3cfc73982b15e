package io.nodelock.licensefile;

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
     * leading byte-order mark. Blank lines and lines whose first non-blank character is {@code #} are skipped.
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
            String row = rows[i];
            if (row.endsWith("\r")) {
                row = row.substring(0, row.length() - 1);
            }
            String stripped = row.strip();
            if (stripped.isEmpty() || stripped.startsWith("#")) {
                continue;
            }
            try {
                entries.add(new Entry(i + 1, LicenseLine.parse(row)));
            } catch (LicenseFormatException e) {
                rejections.add(new Rejection(i + 1, row, e));
            }
        }
        return new Parsed(entries, rejections);
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
