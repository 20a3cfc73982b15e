package io.nodelock.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nodelock.fulfillment.process.PakFulfillmentProcess;
import io.nodelock.support.PackagedService;
import io.nodelock.testsupport.TestPostgres;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * JSON logs as docs/operations.md tells operators to ask for them: the packaged service started with
 * {@code LOGGING_STRUCTURED_FORMAT_CONSOLE=ecs} writes every console line as one ECS JSON object, a fulfillment's lines
 * carry its id and its process instance id as fields of their own, and no secret (API tokens, passwords of the
 * demo's sign-ins, the SMTP password) is ever written. A process of its own, because Logback keeps the format it
 * was first set up with for the life of a JVM.
 */
class StructuredLogIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SMTP_PASSWORD = "smtp-secret-" + UUID.randomUUID();
    private static final String ADMIN_PASSWORD = "admin-secret-" + UUID.randomUUID();

    @TempDir
    Path dataDir;

    private Process service;

    @AfterEach
    void stop() throws InterruptedException {
        if (service != null && service.isAlive()) {
            service.destroy();
            if (!service.waitFor(30, TimeUnit.SECONDS)) {
                service.destroyForcibly();
            }
        }
    }

    @Test
    void everyLineIsEcsJsonAFulfillmentsLinesCarryItsIdsAndNoSecretIsWritten() throws Exception {
        TestPostgres pg = TestPostgres.instance();
        String url = pg.createDatabase("nodelock_logs");
        int port = PackagedService.freePort();
        Path log = dataDir.resolve("console.log");
        service = PackagedService.start(PackagedService.command(port, url, pg, dataDir,
                "--spring.mail.host=127.0.0.1",
                "--spring.mail.port=9",
                "--spring.mail.username=nodelock",
                "--spring.mail.password=" + SMTP_PASSWORD,
                "--nodelock.mail.embedded.enabled=false",
                // Each step's line ("Step sign-license ok in 3 ms") is DEBUG.
                "--logging.level.io.nodelock.workflow.FlowSteps=DEBUG",
                "--nodelock.engine.admin.password=" + ADMIN_PASSWORD), Map.of("LOGGING_STRUCTURED_FORMAT_CONSOLE", "ecs"), dataDir, log, port);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        Path credentials = dataDir.resolve("demo-credentials.env");
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(credentials) && Files.readString(credentials).contains("NODELOCK_DEMO_TOKEN="));
        Map<String, String> secrets = secrets(credentials);
        String token = secrets.get("NODELOCK_DEMO_TOKEN");

        String udi = "PID:C1111-4P,SN:FGL" + UUID.randomUUID().toString().replace("-", "").substring(0, 8).toUpperCase();
        HttpResponse<String> submitted = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/v1/fulfillments"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"pakCode\":\"DEM0-C111-1000-0015\",\"sku\":\"FL-C1111-SEC-K9\",\"udi\":\""
                        + udi + "\",\"email\":\"netops@acme.example\",\"eulaAccepted\":true}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(submitted.statusCode()).as(submitted.body()).isEqualTo(202);
        String fulfillment = JSON.readTree(submitted.body()).path("id").asText();
        // A wrong token is refused; it must not be written either.
        String wrong = token.substring(0, token.length() - 4) + "zzzz";
        assertThat(http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/v1/paks")).header("Authorization",
                "Bearer " + wrong).build(), HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(401);

        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                .until(() -> entries(log).stream().anyMatch(e -> fulfillment.equals(e.path(FlowLogging.BUSINESS_ID).asText())
                        && PakFulfillmentProcess.TOPIC_EMAIL_LICENSE.equals(e.path(FlowLogging.STEP).asText())));
        service.destroy();
        assertThat(service.waitFor(60, TimeUnit.SECONDS)).isTrue();

        List<String> lines = Files.readAllLines(log).stream().filter(l -> !l.isBlank()).toList();
        assertThat(lines).hasSizeGreaterThan(20);
        for (String line : lines) {
            assertThat(line).as("every console line is one JSON object").startsWith("{").endsWith("}");
            JsonNode entry = JSON.readTree(line);
            assertThat(entry.path("@timestamp").asText()).as(line).isNotEmpty();
            assertThat(entry.path("log.level").asText(entry.path("log").path("level").asText())).as(line).isNotEmpty();
            assertThat(entry.path("message").asText()).as(line).isNotNull();
        }
        List<JsonNode> flow = entries(log).stream().filter(e -> fulfillment.equals(e.path(FlowLogging.BUSINESS_ID).asText())).toList();
        assertThat(flow).isNotEmpty();
        JsonNode step = flow.stream().filter(e -> e.has(FlowLogging.STEP)).findFirst().orElseThrow(() ->
                new AssertionError("no line of the fulfillment names its step: " + flow));
        assertThat(step.path(FlowLogging.FLOW).asText()).isEqualTo(PakFulfillmentProcess.PROCESS_KEY);
        assertThat(step.path(FlowLogging.PROCESS_INSTANCE_ID).asText()).isNotEmpty();
        assertThat(flow).extracting(e -> e.path(FlowLogging.STEP).asText()).contains(PakFulfillmentProcess.TOPIC_CHECK_UDI,
                PakFulfillmentProcess.TOPIC_REDEEM_PAK, PakFulfillmentProcess.TOPIC_SIGN_LICENSE);

        String all = Files.readString(log);
        List<String> leaked = new ArrayList<>();
        secrets.forEach((name, value) -> {
            if (!value.isEmpty() && all.contains(value)) {
                leaked.add(name);
            }
        });
        for (String secret : List.of(SMTP_PASSWORD, ADMIN_PASSWORD, wrong, pg.password())) {
            if (!secret.isEmpty() && all.contains(secret)) {
                leaked.add(secret.substring(0, Math.min(8, secret.length())) + "...");
            }
        }
        assertThat(leaked).as("secrets written to the log").isEmpty();
    }

    private static List<JsonNode> entries(Path log) throws IOException {
        List<JsonNode> entries = new ArrayList<>();
        for (String line : Files.readAllLines(log)) {
            if (line.startsWith("{")) {
                try {
                    entries.add(JSON.readTree(line));
                } catch (IOException e) {
                    // a line still being written; the final check reads them all again
                }
            }
        }
        return entries;
    }

    private static Map<String, String> secrets(Path file) throws IOException {
        Map<String, String> secrets = new LinkedHashMap<>();
        for (String line : Files.readAllLines(file)) {
            int eq = line.indexOf('=');
            if (eq > 0 && !line.startsWith("#")) {
                secrets.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
            }
        }
        return secrets;
    }
}
