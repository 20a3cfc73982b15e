package io.nodelock.manufacturing;

import io.nodelock.licensefile.Udi;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * The factory line's archive of an order: one {@code <file name>.nlmb} bundle per made device and a {@code manifest.csv}
 * with a row per device (made or failed), in the order's device order. Entries carry a fixed time, so the same devices
 * give the same bytes.
 */
final class FactoryArchive {

    static final String MANIFEST = "manifest.csv";
    static final String MANIFEST_HEADER = "udi,file,state,skus,license_ids,certificate_serial,failure_code";
    private static final long ENTRY_TIME = 315_532_800_000L; // 1980-01-01, the earliest time a ZIP entry can hold

    private FactoryArchive() {
    }

    /** One device of the archive; {@code bundle} is null for a device that failed. */
    record Entry(Udi udi, List<String> skus, List<String> licenseIds, String certificateSerial, String bundle, String failureCode) {
    }

    static final String EXTENSION = ".nlmb";

    /**
     * The bundle's file name: {@code <PID>_<SN>.nlmb}, a PID's {@code /} written {@code ~}. PIDs and serial numbers
     * hold neither {@code _} nor {@code ~}, so no two devices share a name, and the name needs no escaping in a URL.
     */
    static String fileName(Udi udi) {
        return stem(udi) + EXTENSION;
    }

    static String stem(Udi udi) {
        return udi.fileStem();
    }

    /** The UDI binding a file name or its stem stands for, if it is one ({@link #fileName}'s inverse). */
    static java.util.Optional<String> bindingOf(String name) {
        String stem = name.endsWith(EXTENSION) ? name.substring(0, name.length() - EXTENSION.length()) : name;
        int sep = stem.lastIndexOf('_');
        if (sep <= 0 || sep == stem.length() - 1) {
            return java.util.Optional.empty();
        }
        try {
            return java.util.Optional.of(Udi.parse("PID:" + stem.substring(0, sep).replace('~', '/') + ",SN:" + stem.substring(sep + 1))
                    .binding());
        } catch (io.nodelock.licensefile.UdiSyntaxException e) {
            return java.util.Optional.empty();
        }
    }

    static String manifest(List<Entry> entries) {
        StringBuilder csv = new StringBuilder(MANIFEST_HEADER).append("\r\n");
        for (Entry e : entries) {
            // UDIs hold a comma: quoted. SKU and license lists are separated by spaces. No other field holds a comma.
            csv.append('"').append(e.udi().binding()).append("\",").append(e.bundle() == null ? "" : fileName(e.udi())).append(',')
                    .append(e.bundle() == null ? "FAILED" : "MADE").append(',').append(String.join(" ", e.skus())).append(',')
                    .append(String.join(" ", e.licenseIds())).append(',')
                    .append(e.certificateSerial() == null ? "" : e.certificateSerial()).append(',')
                    .append(e.failureCode() == null ? "" : e.failureCode()).append("\r\n");
        }
        return csv.toString();
    }

    static byte[] build(List<Entry> entries) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes, StandardCharsets.UTF_8)) {
            for (Entry e : entries) {
                if (e.bundle() != null) {
                    put(zip, fileName(e.udi()), e.bundle());
                }
            }
            put(zip, MANIFEST, manifest(entries));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static void put(ZipOutputStream zip, String name, String content) throws IOException {
        ZipEntry entry = new ZipEntry(name);
        entry.setTime(ENTRY_TIME);
        zip.putNextEntry(entry);
        zip.write(content.getBytes(StandardCharsets.UTF_8));
        zip.closeEntry();
    }
}
