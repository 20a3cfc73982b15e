package io.nodelock.devicetool;

import static io.nodelock.devicetool.Cli.DEV1;
import static io.nodelock.devicetool.Cli.DEV2;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.nodelock.licensefile.LicenseFile;
import io.nodelock.licensefile.LicenseLine;
import io.nodelock.licensefile.Udi;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bulk install} and {@code bulk watch}, through the command line. */
class DeviceToolBulkTest {

    static final Udi DEV3 = Udi.parse("PID:ISR4331/K9,SN:FDO2231AB3E");
    static final Udi ELSEWHERE = Udi.parse("PID:C1111-4P,SN:FGL9999ZZ9Z");

    @TempDir
    Path tmp;
    Cli cli;

    @BeforeEach
    void setUp() {
        cli = new Cli(tmp);
        assertThat(cli.init("devices/a-first", DEV1).exit()).isZero();
        assertThat(cli.init("devices/b-second", DEV2).exit()).isZero();
        assertThat(cli.init("devices/c-third", DEV3).exit()).isZero();
    }

    @Test
    void installsEachDevicesFileAndSummarisesPerDeviceAndInTotal() throws IOException {
        LicenseLine sec1 = cli.permanent("securityk9", DEV1);
        LicenseLine ais1 = cli.permanent("advipservices", DEV1);
        LicenseLine sec2 = cli.permanent("securityk9", DEV2);
        Path archive = archive(Map.of(DEV1.fileStem() + ".lic", LicenseFile.format(List.of(sec1, ais1)),
                DEV2.fileStem() + ".lic", LicenseFile.format(List.of(sec2)),
                ELSEWHERE.fileStem() + ".lic", LicenseFile.format(List.of(cli.permanent("securityk9", ELSEWHERE))),
                "outcomes.csv", "row,line,udi,sku,status,code,message,license_ids,file\r\n"));
        Files.createDirectories(tmp.resolve("devices/not-a-device"));

        Cli.Result first = cli.run("bulk", "install", archive.toString(), "--devices", tmp.resolve("devices").toString());
        assertThat(first.exit()).as(first.toString()).isZero();
        List<String> lines = first.out().lines().toList();
        assertThat(lines).hasSize(5);
        assertThat(lines.get(0)).startsWith("a-first " + DEV1 + ": installed 2 line(s); image level ");
        assertThat(lines.get(1)).startsWith("b-second " + DEV2 + ": installed 1 line(s); image level ");
        assertThat(lines.subList(2, 5)).containsExactly(
                "c-third " + DEV3 + ": no file for this device in the archive",
                "not-a-device: not a device (no device.properties), skipped",
                "3 device(s): 2 installed, 0 already installed, 0 rejected, 1 no file; 1 file(s) of the archive for no device here");
        assertThat(cli.on("devices/a-first", "show", "license", "feature").out()).contains("securityk9", "advipservices");

        // Applied again: nothing changes.
        Cli.Result again = cli.run("bulk", "install", archive.toString(), "--devices", tmp.resolve("devices").toString());
        assertThat(again.exit()).as(again.toString()).isZero();
        assertThat(again.out()).contains("a-first " + DEV1 + ": already installed (2 line(s))",
                "3 device(s): 0 installed, 2 already installed, 0 rejected, 1 no file");
    }

    @Test
    void aDeviceThatRejectsALineCountsAsRejectedAndTheOthersAreStillInstalled() throws IOException {
        LicenseLine forDev1 = cli.permanent("securityk9", DEV1);
        LicenseLine forDev3 = cli.permanent("securityk9", DEV3);
        // The file named for DEV2 holds a line locked to DEV1: DEV2 refuses it (UDI mismatch).
        Path archive = archive(Map.of(DEV1.fileStem() + ".lic", LicenseFile.format(List.of(forDev1)),
                DEV2.fileStem() + ".lic", LicenseFile.format(List.of(cli.permanent("ipservices", DEV1))),
                DEV3.fileStem() + ".lic", LicenseFile.format(List.of(forDev3))));
        Cli.Result result = cli.run("bulk", "install", archive.toString(), "--devices", tmp.resolve("devices").toString());
        assertThat(result.exit()).as(result.toString()).isEqualTo(1);
        assertThat(result.out()).contains("a-first " + DEV1 + ": installed 1 line(s)", "b-second " + DEV2 + ": rejected 1 of 1 line(s): line 2: ",
                "c-third " + DEV3 + ": installed 1 line(s)", "3 device(s): 2 installed, 0 already installed, 1 rejected, 0 no file");
        assertThat(cli.on("devices/c-third", "show", "license", "feature").out()).contains(forDev3.licenseId());
    }

    @Test
    void refusesAnArchiveWithoutLicenseFilesAndAMissingDevicesFolder() throws IOException {
        Path empty = archive(Map.of("outcomes.csv", "x"));
        Cli.Result noFiles = cli.run("bulk", "install", empty.toString(), "--devices", tmp.resolve("devices").toString());
        assertThat(noFiles.exit()).isEqualTo(1);
        assertThat(noFiles.err()).contains("holds no license files");
        Path good = archive(Map.of(DEV1.fileStem() + ".lic", LicenseFile.format(List.of(cli.permanent("securityk9", DEV1)))));
        Cli.Result noFolder = cli.run("bulk", "install", good.toString(), "--devices", tmp.resolve("nowhere").toString());
        assertThat(noFolder.exit()).isEqualTo(1);
        assertThat(noFolder.err()).contains("no folder");
        assertThat(cli.run("bulk", "install", good.toString()).exit()).isEqualTo(2);
    }

    @Test
    void watchPrintsProgressUntilCompleteAndSavesTheArchive() throws IOException {
        String id = "0b7c2a8e-9d0f-4a53-8f5e-2f9c1f7a6b11";
        List<String> states = List.of(
                view("SUBMITTED", 0, 0, 3000, 0, null, null),
                view("RUNNING", 1000, 10, 1990, 33, "101.0", 20L),
                view("RUNNING", 1000, 10, 1990, 33, "101.0", 20L),
                view("COMPLETED", 2950, 50, 0, 100, "150.2", 0L));
        AtomicInteger polls = new AtomicInteger();
        List<String> tokens = new ArrayList<>();
        byte[] zip = "PK-not-really".getBytes(StandardCharsets.UTF_8);
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/api/v1/bulk-fulfillments/" + id, exchange -> {
            tokens.add(exchange.getRequestHeaders().getFirst("Authorization"));
            byte[] body;
            if (exchange.getRequestURI().getPath().endsWith("/archive")) {
                body = zip;
            } else {
                body = states.get(Math.min(polls.getAndIncrement(), states.size() - 1)).getBytes(StandardCharsets.UTF_8);
            }
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.createContext("/api/v1/bulk-fulfillments/", exchange -> {
            byte[] body = "{\"type\":\"https://nodelock.io/problems/not-found\",\"status\":404,\"detail\":\"Bulk fulfillment 'x' does not exist\"}"
                    .getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(404, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try {
            String url = "http://127.0.0.1:" + server.getAddress().getPort();
            Path saved = tmp.resolve("bulk.zip");
            Cli.Result watch = cli.runWithEnv(Map.of("NODELOCK_TOKEN", "nlk_test"), "bulk", "watch", id, "--service", url,
                    "--interval-ms", "100", "--archive", saved.toString());
            assertThat(watch.exit()).as(watch.toString()).isZero();
            assertThat(watch.out().lines().toList()).containsExactly(
                    "SUBMITTED 0/3000 rows (0%): 0 issued, 0 refused, 3000 pending",
                    "RUNNING 1010/3000 rows (33%): 1000 issued, 10 refused, 1990 pending; 101.0 rows/s, about 20 s left",
                    "COMPLETED 3000/3000 rows (100%): 2950 issued, 50 refused, 0 pending; 150.2 rows/s",
                    "Saved the archive (13 bytes) to " + saved + "; install it with: bulk install " + saved + " --devices <folder>");
            assertThat(Files.readAllBytes(saved)).isEqualTo(zip);
            assertThat(tokens).containsOnly("Bearer nlk_test");

            Cli.Result unknown = cli.run("bulk", "watch", "11111111-2222-3333-4444-555555555555", "--service", url, "--token", "t");
            assertThat(unknown.exit()).isEqualTo(1);
            assertThat(unknown.err()).contains("answered 404", "does not exist");
            assertThat(cli.run("bulk", "watch", id, "--service", url).err()).contains("an API token is needed");
            assertThat(cli.run("bulk", "watch", "not-an-id", "--service", url, "--token", "t").err()).contains("not a bulk fulfillment id");
        } finally {
            server.stop(0);
        }
    }

    private static String view(String status, int issued, int refused, int pending, int percent, String rate, Long eta) {
        return "{\"id\":\"x\",\"status\":\"" + status + "\",\"counts\":{\"total\":" + (issued + refused + pending) + ",\"issued\":" + issued
                + ",\"refused\":" + refused + ",\"pending\":" + pending + "},\"percent\":" + percent
                + (rate == null ? "" : ",\"rowsPerSecond\":" + rate) + (eta == null ? "" : ",\"etaSeconds\":" + eta)
                + ",\"links\":{\"self\":\"/x\"},\"list\":[1,{\"a\":null}]}";
    }

    private Path archive(Map<String, String> entries) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, String> e : new LinkedHashMap<>(entries).entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey()));
                zip.write(e.getValue().getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
            }
        }
        Path file = Files.createTempFile(tmp, "bulk-", ".zip");
        Files.write(file, bytes.toByteArray());
        return file;
    }
}
