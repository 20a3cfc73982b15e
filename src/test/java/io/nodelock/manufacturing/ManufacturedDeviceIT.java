package io.nodelock.manufacturing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.nodelock.account.Role;
import io.nodelock.pak.Pak;
import io.nodelock.pak.PakService.NewLine;
import io.nodelock.support.ServiceIT;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * End to end with the packaged device simulator: a device made by a manufacturing order boots from its downloaded
 * bundle with its preinstalled licenses active, and the service trusts it and lists those licenses as its own.
 */
class ManufacturedDeviceIT extends ServiceIT {

    private static final Path DEVICE_JAR = Path.of("target", "nodelock-device.jar");

    @Test
    void aDeviceMadeByAnOrderBootsWithItsPreinstalledLicensesActive() throws Exception {
        assertThat(DEVICE_JAR).as("run after 'package'").isRegularFile();
        TestAccount operator = newAccount(EnumSet.of(Role.OPERATOR));
        TestAccount customer = newCustomer();
        Pak pak = newPak(customer, new NewLine("FL-C1111-SEC-K9", 2), new NewLine("SL-1100-AIS-K9", 2));
        String udi = "PID:C1111-4P,SN:" + randomSerial();
        Response accepted = post("/api/v1/manufacturing-orders", operator.token(), ManufacturingFlowIT.pakOrder(customer, pak,
                List.of("FL-C1111-SEC-K9", "SL-1100-AIS-K9"), udi, "PID:C1111-4P,SN:" + randomSerial()).toString());
        assertThat(accepted.status()).as(accepted.raw()).isEqualTo(201);
        String location = accepted.headers().firstValue("Location").orElseThrow();
        JsonNode[] order = new JsonNode[1];
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            order[0] = get(location, operator.token()).body();
            return "COMPLETED".equals(order[0].path("status").asText());
        });
        JsonNode device = order[0].path("devices").get(0);
        List<String> licenseIds = new ArrayList<>();
        device.path("licenseIds").forEach(n -> licenseIds.add(n.asText()));
        assertThat(licenseIds).hasSize(2);

        // The factory line: the bundle as the operator downloads it, then 'device init --bundle' on the device.
        Path work = Files.createTempDirectory("nodelock-manufactured-");
        HttpResponse<byte[]> bundle = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port
                + device.path("bundle").asText())).header("Authorization", "Bearer " + operator.token()).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(bundle.statusCode()).isEqualTo(200);
        Files.write(work.resolve("dev.nlmb"), bundle.body());
        String init = device(work, "device", "init", "--bundle", "dev.nlmb", "--trust", "http://localhost:" + port + "/api/v1/keys");
        assertThat(init).contains("Device " + udi + " created in ", "2 preinstalled line(s) installed, 0 rejected",
                "Device certificate: serial " + device.path("certificateSerial").asText());

        // It boots with them: both lines ACTIVE, their features enabled by them.
        Map<String, JsonNode> lines = new HashMap<>();
        for (JsonNode l : JSON.readTree(device(work, "show", "license", "--json")).path("licenses")) {
            lines.put(l.path("licenseId").asText(), l);
        }
        for (String id : licenseIds) {
            assertThat(lines.get(id)).as(id + " on the device").isNotNull();
            assertThat(lines.get(id).path("state").asText()).isEqualTo("ACTIVE");
            assertThat(lines.get(id).path("origin").asText()).isNotEqualTo("GRACE");
        }
        JsonNode security = null;
        for (JsonNode f : JSON.readTree(device(work, "show", "license", "feature", "--json")).path("features")) {
            if (f.path("feature").asText().equals("securityk9")) {
                security = f;
            }
        }
        assertThat(security).isNotNull();
        assertThat(security.path("enabled").asBoolean()).isTrue();
        assertThat(licenseIds).contains(security.path("providedBy").asText());
        assertThat(device(work, "show", "license", "udi")).contains("Status: OK");

        // The service trusts its credential and lists the preinstalled licenses as the account's, on that device.
        device(work, "license", "save", "credential", "cred.txt");
        Response transferable = post("/api/v1/rehosts/transferable-licenses", customer.token(), JsonNodeFactory.instance.objectNode()
                .put("credential", Files.readString(work.resolve("cred.txt"))).toString());
        assertThat(transferable.status()).as(transferable.raw()).isEqualTo(200);
        List<String> listed = new ArrayList<>();
        transferable.body().path("licenses").forEach(l -> listed.add(l.path("id").asText()));
        assertThat(listed).containsExactlyInAnyOrderElementsOf(licenseIds);
    }

    private String device(Path work, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                DEVICE_JAR.toAbsolutePath().toString(), "-d", "dev"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).directory(work.toFile()).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(90, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(String.join(" ", args) + ":\n" + out).isZero();
        return out;
    }
}
