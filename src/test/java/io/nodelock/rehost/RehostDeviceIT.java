package io.nodelock.rehost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nodelock.account.Role;
import io.nodelock.pak.Pak;
import io.nodelock.pak.PakService.NewLine;
import io.nodelock.support.ServiceIT;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * End to end with the packaged device simulator ({@code target/nodelock-device.jar}, built in {@code package}): a
 * securityk9 license moves from device A to device B through the rehost API; A keeps it for 60 days of use in grace.
 */
class RehostDeviceIT extends ServiceIT {

    private static final Path DEVICE_JAR = Path.of("target", "nodelock-device.jar");

    @Test
    void rehostMovesSecurityFromDeviceAToDeviceB() throws Exception {
        assertThat(DEVICE_JAR).as("run after 'package'").isRegularFile();
        Path work = Files.createTempDirectory("nodelock-rehost-device-");
        TestAccount customer = newCustomer();
        Pak pak = newPak(customer, new NewLine("FL-C1111-SEC-K9", 1));
        String snA = randomSerial();
        String snB = randomSerial();
        String udiA = "PID:C1111-4P,SN:" + snA;
        String udiB = "PID:C1111-4P,SN:" + snB;
        String keys = "http://localhost:" + port + "/api/v1/keys";
        // A is a certified device, made from the manufacturing bundle an operator fetched for the customer's account.
        TestAccount operator = newAccount(EnumSet.of(Role.OPERATOR));
        Response bundle = post("/api/v1/devices/bundles", operator.token(), JsonNodeFactory.instance.objectNode()
                .put("accountId", customer.id()).put("udi", udiA).put("reference", "rehost device test").toString());
        assertThat(bundle.status()).as(bundle.raw()).isEqualTo(200);
        Files.writeString(work.resolve("a.bundle"), bundle.raw());
        device(work, "a", "device", "init", "--bundle", "a.bundle", "--trust", keys);
        device(work, "b", "device", "init", "--pid", "C1111-4P", "--sn", snB, "--trust", keys);

        // A gets securityk9 through the ordinary fulfillment and installs it.
        Response accepted = post("/api/v1/fulfillments", customer.token(), fulfillmentJson(pak.code().formatted(), "FL-C1111-SEC-K9",
                udiA, customer.email(), false));
        JsonNode fulfillment = awaitOutcome(accepted.headers().firstValue("Location").orElseThrow(), customer.token());
        assertThat(fulfillment.path("status").asText()).isEqualTo("ISSUED");
        String original = fulfillment.path("licenseIds").get(0).asText();
        Files.writeString(work.resolve("a.lic"), get(fulfillment.path("licenseFile").asText(), customer.token()).raw());
        device(work, "a", "license", "install", "a.lic");
        assertThat(security(work, "a").path("providedBy").asText()).isEqualTo(original);

        // The customer hands in A's credential and picks the license; the service issues the permission ticket.
        device(work, "a", "license", "save", "credential", "cred.txt");
        String credential = Files.readString(work.resolve("cred.txt"));
        Response listed = post("/api/v1/rehosts/transferable-licenses", customer.token(),
                JsonNodeFactory.instance.objectNode().put("credential", credential).toString());
        assertThat(listed.body().path("licenses").get(0).path("id").asText()).isEqualTo(original);
        ObjectNode request = JsonNodeFactory.instance.objectNode().put("credential", credential).put("email", customer.email());
        request.putArray("licenseIds").add(original);
        Response started = post("/api/v1/rehosts", customer.token(), request.toString());
        assertThat(started.status()).as(started.raw()).isEqualTo(202);
        String location = started.headers().firstValue("Location").orElseThrow();
        awaitStatus(location, customer, "AWAITING_REHOST_TICKET");
        Files.writeString(work.resolve("permission.txt"), get(location + "/permission-ticket", customer.token()).raw());

        // A revokes (keeping a grace license) and signs the rehost ticket; its upload names B.
        String revoked = device(work, "a", "license", "revoke", "permission.txt", "rehost.txt");
        assertThat(revoked).contains("Revoked " + original);
        JsonNode graceOnA = security(work, "a");
        assertThat(graceOnA.path("enabled").asBoolean()).isTrue();
        assertThat(graceOnA.path("providedBy").asText()).isEqualTo("GRACE-" + original);
        ObjectNode upload = JsonNodeFactory.instance.objectNode().put("rehostTicket", Files.readString(work.resolve("rehost.txt")))
                .put("destinationUdi", udiB);
        Response uploaded = post(location + "/rehost-ticket", customer.token(), upload.toString());
        assertThat(uploaded.status()).as(uploaded.raw()).isEqualTo(202);
        JsonNode issued = awaitStatus(location, customer, "ISSUED");

        // B installs its file: securityk9 permanently.
        Files.writeString(work.resolve("b.lic"), get(issued.path("licenseFile").asText(), customer.token()).raw());
        device(work, "b", "license", "install", "b.lic");
        String onB = issued.path("destinationLicenseIds").get(0).asText();
        assertThat(security(work, "b").path("providedBy").asText()).isEqualTo(onB);
        assertThat(line(work, "b", onB).path("type").asText()).isEqualTo("permanent");
        // The destination file does not work on A, and A's revoked original cannot come back.
        assertThat(deviceExit(work, "a", "license", "install", "b.lic")).isNotZero();
        assertThat(deviceExit(work, "a", "license", "install", "a.lic")).isNotZero();
        assertThat(security(work, "a").path("providedBy").asText()).isEqualTo("GRACE-" + original);

        // A keeps securityk9 in grace for 60 days of use, then loses it; B keeps it.
        device(work, "a", "device", "run", "--days", "58");
        device(work, "b", "device", "run", "--days", "58");
        assertThat(security(work, "a").path("enabled").asBoolean()).isTrue();
        assertThat(line(work, "a", "GRACE-" + original).path("daysLeft").asInt()).isPositive();
        device(work, "a", "device", "run", "--days", "3");
        device(work, "b", "device", "run", "--days", "3");
        JsonNode lostOnA = security(work, "a");
        assertThat(lostOnA.path("enabled").asBoolean()).as(lostOnA.toString()).isFalse();
        assertThat(line(work, "a", "GRACE-" + original).path("state").asText()).isEqualTo("EXPIRED");
        JsonNode keptOnB = security(work, "b");
        assertThat(keptOnB.path("enabled").asBoolean()).isTrue();
        assertThat(keptOnB.path("providedBy").asText()).isEqualTo(onB);

        assertThat(jdbc.queryForObject("select status from license where id = ?", String.class, original)).isEqualTo("TRANSFERRED");
        await().atMost(Duration.ofSeconds(30)).until(() -> "SENT".equals(get(location, customer.token()).body().path("mails")
                .path("licenses").asText()));
    }

    private JsonNode security(Path work, String dev) throws Exception {
        JsonNode features = JSON.readTree(device(work, dev, "show", "license", "feature", "--json")).path("features");
        for (JsonNode f : features) {
            if ("securityk9".equals(f.path("feature").asText())) {
                return f;
            }
        }
        throw new AssertionError("no securityk9 on " + dev + ": " + features);
    }

    private JsonNode line(Path work, String dev, String licenseId) throws Exception {
        for (JsonNode l : JSON.readTree(device(work, dev, "show", "license", "--json")).path("licenses")) {
            if (licenseId.equals(l.path("licenseId").asText())) {
                return l;
            }
        }
        throw new AssertionError("no line " + licenseId + " on " + dev);
    }

    private JsonNode awaitStatus(String location, TestAccount customer, String status) {
        JsonNode[] last = new JsonNode[1];
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            last[0] = get(location, customer.token()).body();
            return status.equals(last[0].path("status").asText());
        });
        return last[0];
    }

    private String device(Path work, String dev, String... args) throws Exception {
        Run run = run(work, dev, args);
        assertThat(run.exit()).as(String.join(" ", args) + " on " + dev + ":\n" + run.output()).isZero();
        return run.output();
    }

    private int deviceExit(Path work, String dev, String... args) throws Exception {
        return run(work, dev, args).exit();
    }

    private record Run(int exit, String output) {
    }

    private Run run(Path work, String dev, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                DEVICE_JAR.toAbsolutePath().toString(), "-d", dev));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).directory(work.toFile()).redirectErrorStream(false).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Run(process.exitValue(), err.isEmpty() ? out : out + err);
    }
}
