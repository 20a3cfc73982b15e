package io.nodelock.bulk;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.nodelock.pak.Pak;
import io.nodelock.pak.PakService.NewLine;
import io.nodelock.support.ServiceIT;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Network-wide install with the packaged device simulator: the device tool follows a bulk fulfillment until it is
 * complete, downloads its archive, and installs each device's file on a folder of simulated devices.
 */
class BulkDeviceInstallIT extends ServiceIT {

    private static final Path DEVICE_JAR = Path.of("target", "nodelock-device.jar");
    private static final String SEC = "FL-C1111-SEC-K9";

    @Test
    void theDeviceToolWatchesABulkAndInstallsItsArchiveOnEveryDeviceOfAFolder() throws Exception {
        assertThat(DEVICE_JAR).as("run after 'package'").isRegularFile();
        Path work = Files.createTempDirectory("nodelock-bulk-devices-");
        TestAccount customer = newCustomer();
        TestAccount other = newCustomer();
        Pak pak = newPak(customer, new NewLine(SEC, 3));
        List<String> serials = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            String sn = randomSerial();
            serials.add(sn);
            run(work, "-d", "devices/dev" + (i + 1), "device", "init", "--pid", "C1111-4P", "--sn", sn, "--trust",
                    "http://localhost:" + port + "/api/v1/keys");
        }
        String theirs = "PID:C1111-4P,SN:" + randomSerial();
        ship(other, theirs);
        // dev1 to dev3 are in the bulk; a row for another account's device is refused; dev4 is not in it.
        List<BulkIntake.RowRequest> rows = List.of(BulkFulfillmentFlowIT.row(udi(serials.get(0)), SEC),
                BulkFulfillmentFlowIT.row(theirs, SEC), BulkFulfillmentFlowIT.row(udi(serials.get(1)), SEC),
                BulkFulfillmentFlowIT.row(udi(serials.get(2)), SEC));
        Response accepted = post("/api/v1/bulk-fulfillments", customer.token(), BulkFulfillmentFlowIT.json(pak, rows, null));
        assertThat(accepted.status()).as(accepted.raw()).isEqualTo(202);
        String id = accepted.body().path("id").asText();

        Run watch = run(work, "bulk", "watch", id, "--service", "http://localhost:" + port, "--token", customer.token(),
                "--interval-ms", "200", "--archive", "bulk.zip");
        assertThat(watch.output()).contains("COMPLETED 4/4 rows (100%): 3 issued, 1 refused, 0 pending", "Saved the archive");

        Run install = run(work, "bulk", "install", "bulk.zip", "--devices", "devices");
        List<String> lines = install.output().lines().toList();
        assertThat(lines).hasSize(5);
        for (int i = 0; i < 3; i++) {
            assertThat(lines.get(i)).startsWith("dev" + (i + 1) + " " + udi(serials.get(i)) + ": installed 1 line(s)");
        }
        assertThat(lines.get(3)).isEqualTo("dev4 " + udi(serials.get(3)) + ": no file for this device in the archive");
        assertThat(lines.get(4)).isEqualTo("4 device(s): 3 installed, 0 already installed, 0 rejected, 1 no file; "
                + "0 file(s) of the archive for no device here");

        JsonNode rowsView = get("/api/v1/bulk-fulfillments/" + id + "/rows?status=ISSUED", customer.token()).body();
        for (int i = 0; i < 3; i++) {
            String licenseId = rowsView.path("items").get(i).path("licenseIds").get(0).asText();
            JsonNode feature = JSON.readTree(run(work, "-d", "devices/dev" + (i + 1), "show", "license", "feature", "--json").output());
            JsonNode security = null;
            for (JsonNode f : feature.path("features")) {
                if (f.path("feature").asText().equals("securityk9")) {
                    security = f;
                }
            }
            assertThat(security).isNotNull();
            assertThat(security.path("enabled").asBoolean()).isTrue();
            assertThat(security.path("providedBy").asText()).isEqualTo(licenseId);
        }
        // Applied again, nothing changes on any device.
        assertThat(run(work, "bulk", "install", "bulk.zip", "--devices", "devices").output())
                .contains("4 device(s): 0 installed, 3 already installed, 0 rejected, 1 no file");
    }

    private static String udi(String sn) {
        return "PID:C1111-4P,SN:" + sn;
    }

    private record Run(int exit, String output) {
    }

    private Run run(Path work, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                DEVICE_JAR.toAbsolutePath().toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).directory(work.toFile()).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        Run run = new Run(process.exitValue(), out);
        assertThat(run.exit()).as(String.join(" ", args) + ":\n" + out).isZero();
        return run;
    }
}
