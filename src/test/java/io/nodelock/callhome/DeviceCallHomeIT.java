package io.nodelock.callhome;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.sun.net.httpserver.HttpServer;
import io.nodelock.account.Role;
import io.nodelock.pak.Pak;
import io.nodelock.pak.PakService.NewLine;
import io.nodelock.support.ServiceIT;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * End to end with the packaged device simulator: a certified device asks for its licenses by License Call Home,
 * installs them, and refuses an answer that was changed on the way or replayed from an earlier request.
 */
class DeviceCallHomeIT extends ServiceIT {

    private static final Path DEVICE_JAR = Path.of("target", "nodelock-device.jar");

    @Test
    void aCertifiedDeviceResendsItsLicensesByCallHomeAndRefusesChangedOrReplayedAnswers() throws Exception {
        assertThat(DEVICE_JAR).as("run after 'package'").isRegularFile();
        Path work = Files.createTempDirectory("nodelock-call-home-");
        TestAccount customer = newCustomer();
        TestAccount operator = newAccount(EnumSet.of(Role.OPERATOR));
        String sn = randomSerial();
        String udi = "PID:C1111-4P,SN:" + sn;
        Response bundle = post("/api/v1/devices/bundles", operator.token(), JsonNodeFactory.instance.objectNode()
                .put("accountId", customer.id()).put("udi", udi).put("reference", "call home device test").toString());
        assertThat(bundle.status()).as(bundle.raw()).isEqualTo(200);
        Files.writeString(work.resolve("dev.bundle"), bundle.raw());
        device(work, "device", "init", "--bundle", "dev.bundle", "--trust", "http://localhost:" + port + "/api/v1/keys");

        Pak pak = newPak(customer, new NewLine("FL-C1111-SEC-K9", 1));
        Response accepted = post("/api/v1/fulfillments", customer.token(), fulfillmentJson(pak.code().formatted(), "FL-C1111-SEC-K9",
                udi, customer.email(), false));
        String licenseId = awaitOutcome(accepted.headers().firstValue("Location").orElseThrow(), customer.token())
                .path("licenseIds").get(0).asText();

        // The customer never copies a file: the device asks, verifies every answer, and installs what it got.
        String resent = device(work, "license", "call-home", "resend", "--service", "http://localhost:" + port);
        assertThat(resent).contains("signed answer verified").contains("installed " + licenseId);
        JsonNode security = feature(work, "securityk9");
        assertThat(security.path("enabled").asBoolean()).isTrue();
        assertThat(security.path("providedBy").asText()).isEqualTo(licenseId);

        // Between device and service, an answer changed in transit, or one replayed from an earlier request, is refused.
        AtomicReference<UnaryOperator<String>> tamper = new AtomicReference<>(UnaryOperator.identity());
        AtomicReference<String> lastAnswer = new AtomicReference<>();
        HttpServer proxy = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        proxy.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            HttpResponse<String> real;
            try {
                real = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + exchange.getRequestURI()))
                    .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                    HttpResponse.BodyHandlers.ofString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.IOException(e);
            }
            String answer = tamper.get().apply(real.body());
            lastAnswer.compareAndSet(null, real.body());
            byte[] out = answer.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(real.statusCode(), out.length);
            exchange.getResponseBody().write(out);
            exchange.close();
        });
        proxy.start();
        try {
            String via = "http://127.0.0.1:" + proxy.getAddress().getPort();
            tamper.set(answer -> answer.replace("status=ok", "status=no"));
            Run changed = run(work, "license", "call-home", "resend", "--service", via);
            assertThat(changed.exit()).isNotZero();
            assertThat(changed.output()).contains("refused the service's answer").contains("BAD_SIGNATURE");

            tamper.set(answer -> lastAnswer.get());
            Run replayed = run(work, "license", "call-home", "resend", "--service", via);
            assertThat(replayed.exit()).isNotZero();
            assertThat(replayed.output()).contains("NONCE_MISMATCH");
        } finally {
            proxy.stop(0);
        }
    }

    @Test
    void aDeviceMadeByAManufacturingOrderBootsWithItsLicenseThenInstallsResendsAndTransfersToASecondCertifiedDeviceByCallHome() throws Exception {
        Path work = Files.createTempDirectory("nodelock-call-home-");
        TestAccount customer = newCustomer();
        String service = "http://localhost:" + port;
        // Both devices are made by a manufacturing order: the first with Advanced IP Services preinstalled.
        TestAccount operator = newAccount(EnumSet.of(Role.OPERATOR));
        String first = "PID:C1111-4P,SN:" + randomSerial();
        String second = "PID:C1111-4P,SN:" + randomSerial();
        Response order = post("/api/v1/manufacturing-orders", operator.token(), """
                {"accountId":"%s","reference":"call home e2e","devices":[{"udi":"%s","skus":["SL-1100-AIS-K9"]},{"udi":"%s","skus":[]}]}"""
                .formatted(customer.id(), first, second));
        assertThat(order.status()).as(order.raw()).isEqualTo(201);
        String location = order.headers().firstValue("Location").orElseThrow();
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).until(() ->
                "COMPLETED".equals(get(location, operator.token()).body().path("status").asText()));
        for (String[] device : new String[][] {{"first", first}, {"second", second}}) {
            Response bundle = get(location + "/devices/" + device[1].replace("PID:", "").replace(",SN:", "_") + "/bundle", operator.token());
            assertThat(bundle.status()).as(bundle.raw()).isEqualTo(200);
            Files.writeString(work.resolve(device[0] + ".nlmb"), bundle.raw());
            in(work, device[0], "device", "init", "--bundle", device[0] + ".nlmb", "--trust", service + "/api/v1/keys");
        }
        JsonNode preinstalled = feature(work, "first", "advipservices");
        assertThat(preinstalled.path("enabled").asBoolean()).as("boots with its preinstalled license").isTrue();
        assertThat(jdbc.queryForObject("select account_id from license where id = ?", String.class,
                preinstalled.path("providedBy").asText())).isEqualTo(customer.id());
        Pak pak = newPak(customer, new NewLine("FL-C1111-SEC-K9", 1));

        String installed = in(work, "first", "license", "call-home", "install", pak.code().formatted(), "FL-C1111-SEC-K9",
                "--service", service);
        assertThat(installed).contains("signed answer verified").contains("1 line(s) installed");
        String licenseId = feature(work, "first", "securityk9").path("providedBy").asText();
        assertThat(jdbc.queryForObject("select udi from license where id = ?", String.class, licenseId)).isEqualTo(first);

        assertThat(in(work, "first", "license", "call-home", "resend", "--service", service)).contains(licenseId);

        String transferred = in(work, "first", "license", "call-home", "transfer", "--to", second, "--service", service, licenseId);
        assertThat(transferred).contains("Revoked " + licenseId).contains("transferred " + licenseId + " to " + second);
        assertThat(feature(work, "first", "securityk9").path("providedBy").asText()).as("a 60-day grace license")
                .isNotEqualTo(licenseId);
        assertThat(in(work, "second", "license", "call-home", "resend", "--service", service)).contains("1 line(s) installed");
        JsonNode moved = feature(work, "second", "securityk9");
        assertThat(moved.path("enabled").asBoolean()).isTrue();
        assertThat(jdbc.queryForObject("select udi from license where id = ?", String.class, moved.path("providedBy").asText()))
                .isEqualTo(second);
        assertThat(jdbc.queryForObject("select status from license where id = ?", String.class, licenseId)).isEqualTo("TRANSFERRED");

        // The license moved already: a second transfer of it is refused before the device revokes anything.
        Run nothing = runIn(work, "first", "license", "call-home", "transfer", "--to", second, "--service", service, licenseId);
        assertThat(nothing.exit()).isNotZero();
        assertThat(nothing.output()).contains("refused the transfer: LICENSE_NOT_TRANSFERABLE");
    }

    private JsonNode feature(Path work, String name) throws Exception {
        return feature(work, "dev", name);
    }

    private JsonNode feature(Path work, String folder, String name) throws Exception {
        for (JsonNode f : JSON.readTree(in(work, folder, "show", "license", "feature", "--json")).path("features")) {
            if (f.path("feature").asText().equals(name)) {
                return f;
            }
        }
        throw new AssertionError("no feature " + name);
    }

    private String device(Path work, String... args) throws Exception {
        return in(work, "dev", args);
    }

    private String in(Path work, String folder, String... args) throws Exception {
        Run run = runIn(work, folder, args);
        assertThat(run.exit()).as(String.join(" ", args) + ":\n" + run.output()).isZero();
        return run.output();
    }

    private record Run(int exit, String output) {
    }

    private Run run(Path work, String... args) throws Exception {
        return runIn(work, "dev", args);
    }

    private Run runIn(Path work, String folder, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                DEVICE_JAR.toAbsolutePath().toString(), "-d", folder));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).directory(work.toFile()).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(90, TimeUnit.SECONDS)).isTrue();
        return new Run(process.exitValue(), out);
    }
}
