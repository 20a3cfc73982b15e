package io.nodelock.devicetool.command;

import io.nodelock.devicetool.DeviceException;
import io.nodelock.devicetool.Json;
import io.nodelock.devicetool.SimulatedDevice;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code bulk ...}: a bulk fulfillment's result on many devices, and its progress while it runs. */
@Command(name = "bulk", mixinStandardHelpOptions = true,
        description = "A bulk fulfillment (docs/bulk-fulfillment.md): install its archive on many devices, or watch it run.",
        subcommands = {BulkCommands.Install.class, BulkCommands.Watch.class})
final class BulkCommands extends DeviceToolCommand.Group {

    /** Entries of a bulk archive are license files of a few lines; anything far larger is not one. */
    static final int MAX_ENTRY_BYTES = 1024 * 1024;
    static final long MAX_ARCHIVE_BYTES = 512L * 1024 * 1024;

    @Command(name = "install", mixinStandardHelpOptions = true,
            description = "For each device folder under --devices (one simulated device each, made with 'device init'), "
                    + "install its license file <PID>_<SN>.lic from the bulk archive, and print a line per device and the "
                    + "totals. Exit 1 when a device rejected a line or could not be opened.")
    static final class Install extends DeviceToolCommand.Leaf {
        @Parameters(index = "0", paramLabel = "<archive.zip>")
        Path archive;

        @Option(names = "--devices", required = true, paramLabel = "<folder>",
                description = "The folder holding one state folder per device.")
        Path devices;

        @Override
        public Integer call() {
            Map<String, byte[]> files = licenseFiles(archive);
            if (!Files.isDirectory(devices)) {
                throw new DeviceException("no folder " + devices);
            }
            List<Path> folders;
            try (Stream<Path> list = Files.list(devices)) {
                folders = list.filter(Files::isDirectory).sorted(Comparator.comparing(p -> p.getFileName().toString())).toList();
            } catch (IOException e) {
                throw new DeviceException("cannot list " + devices + ": " + e.getMessage(), e);
            }
            Map<String, Integer> totals = new LinkedHashMap<>();
            for (String outcome : List.of("installed", "already installed", "rejected", "no file")) {
                totals.put(outcome, 0);
            }
            int notDevices = 0;
            List<String> used = new ArrayList<>();
            Path scratch;
            try {
                scratch = Files.createTempDirectory("nodelock-bulk-");
            } catch (IOException e) {
                throw new DeviceException("cannot create a temporary folder: " + e.getMessage(), e);
            }
            try {
                for (Path folder : folders) {
                    String name = folder.getFileName().toString();
                    if (!Files.isRegularFile(folder.resolve("device.properties"))) {
                        out().println(name + ": not a device (no device.properties), skipped");
                        notDevices++;
                        continue;
                    }
                    String[] outcome = installOn(folder, files, scratch, used);
                    totals.merge(outcome[0], 1, Integer::sum);
                    out().println(name + " " + outcome[1]);
                }
            } finally {
                try (Stream<Path> left = Files.list(scratch)) {
                    for (Path p : (Iterable<Path>) left::iterator) {
                        Files.deleteIfExists(p);
                    }
                    Files.deleteIfExists(scratch);
                } catch (IOException e) {
                    // a temporary copy of a license file (no secret) left behind
                }
            }
            int devicesSeen = folders.size() - notDevices;
            StringBuilder total = new StringBuilder(devicesSeen + " device(s): ");
            List<String> parts = new ArrayList<>();
            totals.forEach((outcome, n) -> parts.add(n + " " + outcome));
            total.append(String.join(", ", parts));
            long unused = files.keySet().stream().filter(f -> !used.contains(f)).count();
            total.append("; ").append(unused).append(" file(s) of the archive for no device here");
            out().println(total);
            err().flush();
            return totals.get("rejected") == 0 ? 0 : 1;
        }

        /** {outcome, line}: installs the device's file, if the archive has one. */
        private String[] installOn(Path folder, Map<String, byte[]> files, Path scratch, List<String> used) {
            SimulatedDevice device;
            try {
                device = SimulatedDevice.open(folder, root().clock());
            } catch (DeviceException e) {
                return new String[] {"rejected", "(?): rejected: cannot open the device: " + e.getMessage()};
            }
            String label = device.udi().toString();
            if (device.tampered()) {
                return new String[] {"rejected", label + ": rejected: " + device.tamperMessage()};
            }
            String fileName = device.udi().fileStem() + ".lic";
            byte[] content = files.get(fileName);
            if (content == null) {
                return new String[] {"no file", label + ": no file for this device in the archive"};
            }
            used.add(fileName);
            Path file = scratch.resolve(fileName);
            List<SimulatedDevice.InstallResult> results;
            try {
                Files.write(file, content);
                results = device.install(file);
            } catch (IOException e) {
                throw new DeviceException("cannot write " + file + ": " + e.getMessage(), e);
            } catch (DeviceException e) {
                return new String[] {"rejected", label + ": rejected: " + e.getMessage()};
            }
            if (device.tampered()) {
                return new String[] {"rejected", label + ": rejected: " + device.tamperMessage()};
            }
            long rejected = results.stream().filter(SimulatedDevice.InstallResult::rejected).count();
            long already = results.stream().filter(r -> r.outcome() == SimulatedDevice.InstallResult.Outcome.ALREADY_INSTALLED).count();
            if (rejected > 0) {
                SimulatedDevice.InstallResult first = results.stream().filter(SimulatedDevice.InstallResult::rejected).findFirst().orElseThrow();
                return new String[] {"rejected", label + ": rejected " + rejected + " of " + results.size() + " line(s): line "
                        + first.lineNumber() + ": " + first.message()};
            }
            if (already == results.size()) {
                return new String[] {"already installed", label + ": already installed (" + results.size() + " line(s))"};
            }
            return new String[] {"installed", label + ": installed " + (results.size() - already) + " line(s)"
                    + (already > 0 ? ", " + already + " already installed" : "") + "; image level " + device.snapshot().imageLevel()};
        }

        /** The archive's {@code *.lic} entries by name (outcomes.csv and anything else is left alone). */
        private static Map<String, byte[]> licenseFiles(Path archive) {
            Map<String, byte[]> files = new TreeMap<>();
            long total = 0;
            try (InputStream raw = Files.newInputStream(archive); ZipInputStream zip = new ZipInputStream(raw)) {
                for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
                    String name = e.getName();
                    if (e.isDirectory() || !name.endsWith(".lic") || name.contains("/") || name.contains("\\")) {
                        continue;
                    }
                    byte[] content = zip.readNBytes(MAX_ENTRY_BYTES + 1);
                    if (content.length > MAX_ENTRY_BYTES) {
                        throw new DeviceException("archive entry " + name + " is larger than " + MAX_ENTRY_BYTES
                                + " bytes: not a license file");
                    }
                    total += content.length;
                    if (total > MAX_ARCHIVE_BYTES) {
                        throw new DeviceException("archive " + archive + " holds more than " + MAX_ARCHIVE_BYTES + " bytes of license files");
                    }
                    files.put(name, content);
                }
            } catch (IOException e) {
                throw new DeviceException("cannot read archive " + archive + ": " + e.getMessage(), e);
            }
            if (files.isEmpty()) {
                throw new DeviceException("archive " + archive + " holds no license files (<PID>_<SN>.lic)");
            }
            return files;
        }
    }

    @Command(name = "watch", mixinStandardHelpOptions = true,
            description = "Follow a bulk fulfillment until it is complete: counts, percent, rate and the estimate of the "
                    + "time left, a line each time they change; then optionally download its archive.")
    static final class Watch extends DeviceToolCommand.Leaf {
        static final String TOKEN_ENV = "NODELOCK_TOKEN";

        @Parameters(index = "0", paramLabel = "<bulk-id>")
        String id;

        @Option(names = "--service", required = true, paramLabel = "<url>", description = "The service, e.g. http://localhost:8080")
        String service;

        @Option(names = "--token", paramLabel = "<token>", description = "API token (default: $" + TOKEN_ENV + ")")
        String token;

        @Option(names = "--interval-ms", defaultValue = "1000", paramLabel = "<ms>", description = "Poll interval (default 1000).")
        long intervalMs;

        @Option(names = "--timeout", defaultValue = "3600", paramLabel = "<seconds>",
                description = "Give up after this long (default 3600).")
        long timeoutSeconds;

        @Option(names = "--archive", paramLabel = "<file>", description = "Save the archive here once the bulk is complete.")
        Path archive;

        @Override
        public Integer call() {
            String bearer = token != null ? token : root().env(TOKEN_ENV);
            if (bearer == null || bearer.isBlank()) {
                throw new DeviceException("an API token is needed: --token <token> or $" + TOKEN_ENV);
            }
            if (!id.matches("[0-9a-fA-F-]{36}")) {
                throw new DeviceException("'" + id + "' is not a bulk fulfillment id (a UUID)");
            }
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
            String base = service.replaceAll("/+$", "") + "/api/v1/bulk-fulfillments/" + id;
            long deadline = System.nanoTime() + Duration.ofSeconds(timeoutSeconds).toNanos();
            String last = null;
            while (true) {
                Map<String, String> view;
                try {
                    view = Json.readObject(new String(get(http, base, bearer), java.nio.charset.StandardCharsets.UTF_8));
                } catch (IllegalArgumentException e) {
                    throw new DeviceException("the service's answer is not the JSON of a bulk fulfillment: " + e.getMessage());
                }
                String line = progress(view);
                if (!line.equals(last)) {
                    out().println(line);
                    out().flush();
                    last = line;
                }
                if ("COMPLETED".equals(view.get("status"))) {
                    if (archive != null) {
                        byte[] zip = get(http, base + "/archive", bearer);
                        try {
                            Files.write(archive, zip);
                        } catch (IOException e) {
                            throw new DeviceException("cannot write " + archive + ": " + e.getMessage(), e);
                        }
                        out().println("Saved the archive (" + zip.length + " bytes) to " + archive
                                + "; install it with: bulk install " + archive + " --devices <folder>");
                    }
                    return 0;
                }
                if (System.nanoTime() > deadline) {
                    throw new DeviceException("bulk " + id + " is not complete after " + timeoutSeconds + " s: " + line);
                }
                try {
                    Thread.sleep(Math.max(100, intervalMs));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new DeviceException("interrupted");
                }
            }
        }

        static String progress(Map<String, String> v) {
            StringBuilder line = new StringBuilder(v.getOrDefault("status", "?")).append(' ')
                    .append(number(v, "counts.issued") + number(v, "counts.refused")).append('/').append(number(v, "counts.total"))
                    .append(" rows (").append(number(v, "percent")).append("%): ").append(number(v, "counts.issued")).append(" issued, ")
                    .append(number(v, "counts.refused")).append(" refused, ").append(number(v, "counts.pending")).append(" pending");
            if (v.get("rowsPerSecond") != null) {
                line.append("; ").append(String.format(Locale.ROOT, "%.1f", Double.parseDouble(v.get("rowsPerSecond")))).append(" rows/s");
            }
            if (v.get("etaSeconds") != null && !"COMPLETED".equals(v.get("status"))) {
                line.append(", about ").append(v.get("etaSeconds")).append(" s left");
            }
            return line.toString();
        }

        private static long number(Map<String, String> v, String key) {
            String value = v.get(key);
            return value == null ? 0 : (long) Double.parseDouble(value);
        }

        private byte[] get(HttpClient http, String url, String bearer) {
            try {
                HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60))
                        .header("Authorization", "Bearer " + bearer).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
                if (r.statusCode() != 200) {
                    String body = new String(r.body(), java.nio.charset.StandardCharsets.UTF_8);
                    String detail = body;
                    try {
                        detail = Json.readObject(body).getOrDefault("detail", body);
                    } catch (IllegalArgumentException notJson) {
                        // shown as it came
                    }
                    throw new DeviceException("the service answered " + r.statusCode() + " to GET " + url + ": "
                            + (detail.length() > 300 ? detail.substring(0, 300) + "..." : detail));
                }
                return r.body();
            } catch (IOException e) {
                throw new DeviceException("cannot reach " + url + ": " + e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new DeviceException("interrupted");
            } catch (IllegalArgumentException e) {
                throw new DeviceException("bad service URL '" + service + "': " + e.getMessage());
            }
        }
    }
}
