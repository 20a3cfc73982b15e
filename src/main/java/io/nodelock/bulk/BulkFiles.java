package io.nodelock.bulk;

import io.nodelock.licensefile.LicenseFile;
import io.nodelock.licensefile.LicenseLine;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * The files of a bulk fulfillment: the uploaded CSV ({@code udi,sku}) in, the result archive and the outcomes CSV out.
 * Archive entries carry a fixed time, so the same outcomes give the same bytes.
 */
final class BulkFiles {

    static final String CSV_HEADER = "udi,sku";
    static final String OUTCOMES = "outcomes.csv";
    static final String OUTCOMES_HEADER = "row,line,udi,sku,status,code,message,license_ids,file";
    static final String EXTENSION = ".lic";
    private static final long ENTRY_TIME = 315_532_800_000L; // 1980-01-01, the earliest time a ZIP entry can hold

    private BulkFiles() {
    }

    /** A row as uploaded: its line in the file (or JSON index + 1), its UDI and SKU text, not yet checked. */
    record RawRow(int line, String udi, String sku) {
    }

    /** A line that is not a row: its number and why. */
    record BadLine(int line, String message) {
    }

    /** The rows of an upload and the lines that could not be read. */
    record Parsed(List<RawRow> rows, List<BadLine> bad) {
    }

    /**
     * Reads a CSV whose first line is the header {@code udi,sku}, then one row per line. A UDI holds commas: quote it
     * ({@code "PID:C1111-4P,SN:FGL1",FL-C1111-SEC-K9}), or leave it unquoted: in a line without quotes the last field
     * is the SKU (SKUs hold no comma) and everything before it the UDI. Blank lines are skipped; a byte-order mark and
     * CR before LF are dropped; spaces around a field do not count.
     */
    static Parsed parseCsv(String text) {
        List<RawRow> rows = new ArrayList<>();
        List<BadLine> bad = new ArrayList<>();
        String body = text.startsWith("\uFEFF") ? text.substring(1) : text;
        String[] lines = body.split("\n", -1);
        boolean header = false;
        for (int i = 0; i < lines.length; i++) {
            int number = i + 1;
            String line = lines[i].endsWith("\r") ? lines[i].substring(0, lines[i].length() - 1) : lines[i];
            if (line.isBlank()) {
                continue;
            }
            List<String> fields;
            boolean quoted = line.indexOf('"') >= 0;
            try {
                fields = fields(line);
            } catch (IllegalArgumentException e) {
                bad.add(new BadLine(number, e.getMessage()));
                header = true;
                continue;
            }
            if (!header) {
                header = true;
                if (fields.size() == 2 && fields.get(0).toLowerCase(Locale.ROOT).equals("udi")
                        && fields.get(1).toLowerCase(Locale.ROOT).equals("sku")) {
                    continue;
                }
                bad.add(new BadLine(number, "the first line must be the header " + CSV_HEADER));
                continue;
            }
            if (fields.size() < 2 || quoted && fields.size() != 2) {
                bad.add(new BadLine(number, "expected two fields, udi and sku (quote a UDI that holds commas), found "
                        + fields.size()));
                continue;
            }
            String sku = fields.get(fields.size() - 1);
            String udi = String.join(",", fields.subList(0, fields.size() - 1));
            rows.add(new RawRow(number, udi, sku));
        }
        if (!header) {
            bad.add(new BadLine(1, "the file is empty: expected the header " + CSV_HEADER + " and one line per row"));
        }
        return new Parsed(rows, bad);
    }

    /** The fields of one CSV line (RFC 4180 quoting, no line breaks inside a field), each stripped. */
    static List<String> fields(String line) {
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        int i = 0;
        while (true) {
            while (i < line.length() && line.charAt(i) == ' ') {
                i++;
            }
            if (i < line.length() && line.charAt(i) == '"') {
                i++;
                while (true) {
                    if (i >= line.length()) {
                        throw new IllegalArgumentException("a quoted field is not closed");
                    }
                    char c = line.charAt(i++);
                    if (c == '"') {
                        if (i < line.length() && line.charAt(i) == '"') {
                            field.append('"');
                            i++;
                            continue;
                        }
                        break;
                    }
                    field.append(c);
                }
                while (i < line.length() && line.charAt(i) == ' ') {
                    i++;
                }
                if (i < line.length() && line.charAt(i) != ',') {
                    throw new IllegalArgumentException("text after a closing quote at column " + (i + 1));
                }
            } else {
                int start = i;
                while (i < line.length() && line.charAt(i) != ',') {
                    if (line.charAt(i) == '"') {
                        throw new IllegalArgumentException("a quote inside an unquoted field at column " + (i + 1));
                    }
                    i++;
                }
                field.append(line, start, i);
            }
            fields.add(field.toString().strip());
            field.setLength(0);
            if (i >= line.length()) {
                return fields;
            }
            i++; // the comma
        }
    }

    /**
     * The result archive: one {@code <PID>_<SN>.lic} per device with the lines of every row issued for it (a device
     * may have rows of several SKUs), in row order, then {@code outcomes.csv} with every row.
     */
    static byte[] archive(List<BulkFulfillments.IssuedRow> issued, List<BulkRow> all) {
        Map<String, List<LicenseLine>> byDevice = new LinkedHashMap<>();
        for (BulkFulfillments.IssuedRow r : issued) {
            byDevice.computeIfAbsent(r.row().udi().fileStem(), k -> new ArrayList<>()).addAll(LicenseFile.parse(r.licenseFile()).lines());
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes, StandardCharsets.UTF_8)) {
            for (Map.Entry<String, List<LicenseLine>> device : byDevice.entrySet()) {
                put(zip, device.getKey() + EXTENSION, LicenseFile.format(device.getValue()));
            }
            put(zip, OUTCOMES, outcomes(all));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Every row in order with its outcome; a row still waiting shows PENDING. */
    static String outcomes(List<BulkRow> rows) {
        StringBuilder csv = new StringBuilder(rows.size() * 80 + 64).append(OUTCOMES_HEADER).append("\r\n");
        for (BulkRow r : rows) {
            csv.append(r.rowNo()).append(',').append(r.sourceLine()).append(',').append(quote(r.udi().toString())).append(',')
                    .append(r.sku()).append(',').append(r.state().name()).append(',')
                    .append(r.refusalCode() == null ? "" : r.refusalCode()).append(',')
                    .append(r.refusalMessage() == null ? "" : quote(r.refusalMessage())).append(',')
                    .append(String.join(" ", r.licenseIds())).append(',')
                    .append(r.state() == BulkRow.State.ISSUED ? r.udi().fileStem() + EXTENSION : "").append("\r\n");
        }
        return csv.toString();
    }

    private static String quote(String field) {
        return '"' + field.replace("\"", "\"\"") + '"';
    }

    private static void put(ZipOutputStream zip, String name, String content) throws IOException {
        ZipEntry entry = new ZipEntry(name);
        entry.setTime(ENTRY_TIME);
        zip.putNextEntry(entry);
        zip.write(content.getBytes(StandardCharsets.UTF_8));
        zip.closeEntry();
    }
}
