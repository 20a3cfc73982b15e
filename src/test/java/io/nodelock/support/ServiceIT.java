package io.nodelock.support;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.nodelock.account.Account;
import io.nodelock.account.Accounts;
import io.nodelock.account.ApiTokens;
import io.nodelock.account.Role;
import io.nodelock.pak.Pak;
import io.nodelock.pak.PakService;
import io.nodelock.testsupport.TestPostgres;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Base of the integration tests: the whole service on a random port, on its own fresh PostgreSQL database, mailing
 * through a real SMTP server (GreenMail). All subclasses share one application context, so each test makes its own
 * account and PAKs instead of relying on a clean database.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
// Spring Boot's tests otherwise swap the metrics registries for an in-memory one: /actuator/prometheus must be real.
@AutoConfigureObservability(tracing = false)
public abstract class ServiceIT {

    protected static final GreenMail SMTP = startSmtp();
    protected static final ObjectMapper JSON = new ObjectMapper();

    @LocalServerPort
    protected int port;
    @Autowired
    protected JdbcTemplate jdbc;
    @Autowired
    protected Accounts accounts;
    @Autowired
    protected ApiTokens tokens;
    @Autowired
    protected PakService pakService;
    @Autowired
    protected io.nodelock.device.Devices devices;

    protected final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static GreenMail startSmtp() {
        // A fixed port (not GreenMail's dynamic one) so a test can stop and restart the server to simulate an outage.
        int port;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            port = socket.getLocalPort();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        GreenMail mail = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        mail.start();
        return mail;
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws Exception {
        TestPostgres pg = TestPostgres.instance();
        String url = pg.createDatabase("nodelock_it");
        registry.add("spring.datasource.url", () -> url);
        registry.add("spring.datasource.username", pg::username);
        registry.add("spring.datasource.password", pg::password);
        registry.add("spring.datasource.hikari.maximum-pool-size", () -> "20");
        registry.add("spring.mail.host", () -> "127.0.0.1");
        registry.add("spring.mail.port", () -> SMTP.getSmtp().getPort());
        registry.add("nodelock.mail.embedded.enabled", () -> "false");
        registry.add("nodelock.demo.enabled", () -> "false");
        registry.add("nodelock.mail.first-retry", () -> "200ms");
        registry.add("nodelock.mail.max-retry-delay", () -> "1s");
        registry.add("nodelock.mail.idle-poll", () -> "200ms");
        registry.add("operaton.bpm.generic-properties.properties.failed-job-retry-time-cycle", () -> "PT1S,PT1S");
        registry.add("operaton.bpm.job-execution.wait-time-in-millis", () -> "200");
        registry.add("nodelock.engine.admin.password", () -> "it-admin-password");
        String dataDir = Files.createTempDirectory("nodelock-it-").toString();
        registry.add("nodelock.data-dir", () -> dataDir);
        // Tests run the expiry alert themselves (ReportsIT): a scheduled one would mail into other tests.
        registry.add("nodelock.reports.expiry-alert.enabled", () -> "false");
        registry.add("nodelock.signing.generated-key-dir", () -> dataDir + "/keys");
    }

    /** A fresh customer account with its own API token. */
    protected TestAccount newCustomer() {
        return newAccount(EnumSet.of(Role.CUSTOMER));
    }

    protected TestAccount newAccount(EnumSet<Role> roles) {
        String id = "acct-" + UUID.randomUUID().toString().substring(0, 8);
        accounts.create(new Account(id, "Test " + id, id + "@example.com", roles, Instant.now()));
        return new TestAccount(id, id + "@example.com", tokens.issue(id, "test"));
    }

    /** Records that these devices ship to the account (what an operator's shipping record does): RMA replacements need it. */
    protected void ship(TestAccount owner, String... udis) {
        for (String udi : udis) {
            devices.ship(io.nodelock.licensefile.Udi.parse(udi), owner.id(), "test shipment");
        }
    }

    protected Pak newPak(TestAccount owner, PakService.NewLine... lines) {
        return pakService.create(owner.id(), List.of(lines), "test", Optional.empty());
    }

    public record TestAccount(String id, String email, String token) {
    }

    /** A person who can sign in to the portal at once. */
    public record PortalUser(String email, String password) {
    }

    @org.springframework.beans.factory.annotation.Autowired
    protected io.nodelock.account.AccountAdministration administration;

    /** A signed-up person of the account with a role ({@code ACCOUNT_ADMIN}, {@code ACCOUNT_USER} or {@code ACCOUNT_VIEWER}). */
    protected PortalUser newPortalUser(TestAccount account, String role) {
        String email = "person-" + UUID.randomUUID().toString().substring(0, 8) + "@" + account.id() + ".example";
        String password = "pw-" + UUID.randomUUID();
        administration.ensureActiveUser(account.id(), email, "Test person", io.nodelock.account.AccountUserRole.parse(role).orElseThrow(),
                password, "test");
        return new PortalUser(email, password);
    }

    public record Response(int status, JsonNode body, java.net.http.HttpHeaders headers, String raw) {
    }

    protected Response get(String path, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).GET();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return send(request.build());
    }

    protected Response post(String path, String token, String json, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        for (int i = 0; i + 1 < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return send(request.build());
    }

    protected Response send(HttpRequest request) {
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            ContractCheck.of(port).check(request, response);
            JsonNode body = null;
            String type = response.headers().firstValue("Content-Type").orElse("");
            if (type.contains("json") && !response.body().isEmpty()) {
                body = JSON.readTree(response.body());
            }
            return new Response(response.statusCode(), body, response.headers(), response.body());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    protected String fulfillmentJson(String pak, String sku, String udi, String email, boolean eula) {
        return """
                {"pakCode":"%s","sku":"%s","udi":"%s","email":"%s","eulaAccepted":%s}""".formatted(pak, sku, udi, email, eula);
    }

    /** Fulfills the PAK's SKU on the device through the API (EULA accepted), awaits ISSUED and returns the license ids. */
    protected List<String> issueLicenses(TestAccount owner, Pak from, String sku, String udi) {
        Response accepted = post("/api/v1/fulfillments", owner.token(), fulfillmentJson(from.code().formatted(), sku, udi, owner.email(), true));
        assertThat(accepted.status()).as(accepted.raw()).isEqualTo(202);
        JsonNode outcome = awaitOutcome(accepted.headers().firstValue("Location").orElseThrow(), owner.token());
        assertThat(outcome.path("status").asText()).as(outcome.toString()).isEqualTo("ISSUED");
        List<String> ids = new java.util.ArrayList<>();
        outcome.path("licenseIds").forEach(id -> ids.add(id.asText()));
        return ids;
    }

    /** Polls a fulfillment until it leaves SUBMITTED and returns its final view. */
    protected JsonNode awaitOutcome(String location, String token) {
        JsonNode[] last = new JsonNode[1];
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() -> {
            last[0] = get(location, token).body();
            return !"SUBMITTED".equals(last[0].path("status").asText());
        });
        return last[0];
    }

    /** Polls until the fulfillment's mail was handed to SMTP. */
    protected JsonNode awaitMailSent(String location, String token) {
        JsonNode[] last = new JsonNode[1];
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() -> {
            last[0] = get(location, token).body();
            return "SENT".equals(last[0].path("mail").path("status").asText());
        });
        return last[0];
    }

    protected static String basicAuth(String user, String password) {
        return "Basic " + java.util.Base64.getEncoder().encodeToString((user + ":" + password).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    protected static String randomSerial() {
        return "FGL" + UUID.randomUUID().toString().replace("-", "").substring(0, 8).toUpperCase();
    }
}
