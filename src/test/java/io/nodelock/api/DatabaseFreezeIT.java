package io.nodelock.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nodelock.account.Account;
import io.nodelock.account.Accounts;
import io.nodelock.account.ApiTokens;
import io.nodelock.account.Role;
import io.nodelock.testsupport.TestPostgres;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.netcrusher.core.reactor.NioReactor;
import org.netcrusher.tcp.TcpCrusher;
import org.netcrusher.tcp.TcpCrusherBuilder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The database stops answering (every connection frozen, as in a network partition or a stalled server) for longer
 * than the pool's connection timeout. Requests must get 503 problem documents with Retry-After, never a 500, and an
 * operator must still read the pool's metrics. Its own application context: the freeze must not reach the shared one.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        // Few connections, so a handful of requests exhausts them; the timeout is the production one (application.yml).
        "spring.datasource.hikari.maximum-pool-size=4",
        "nodelock.mail.embedded.enabled=false",
        "nodelock.demo.enabled=false",
        "spring.mail.host=127.0.0.1",
        "spring.mail.port=9",
        "nodelock.engine.admin.password=it-admin-password",
        // Runs in a JVM of its own (pom.xml, failsafe execution "own-engine"): the engine's REST API finds its engine
        // through JVM-wide state, so a second engine beside the shared test context would take that API over.
        "operaton.bpm.process-engine-name=database-freeze"})
class DatabaseFreezeIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static NioReactor reactor;
    private static TcpCrusher crusher;

    @LocalServerPort
    int port;
    @Autowired
    Accounts accounts;
    @Autowired
    ApiTokens tokens;
    @Autowired
    javax.sql.DataSource dataSource;
    @Value("${spring.datasource.hikari.connection-timeout}")
    long connectionTimeoutMs;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws Exception {
        TestPostgres pg = TestPostgres.instance();
        String url = pg.createDatabase("nodelock_freeze");
        Matcher hostPort = Pattern.compile("jdbc:postgresql://([^:/]+):(\\d+)/(.*)").matcher(url);
        assertThat(hostPort.matches()).as("a host:port JDBC URL: %s", url).isTrue();
        int proxyPort;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            proxyPort = probe.getLocalPort();
        }
        reactor = new NioReactor();
        crusher = TcpCrusherBuilder.builder().withReactor(reactor)
                .withBindAddress("127.0.0.1", proxyPort)
                .withConnectAddress(hostPort.group(1), Integer.parseInt(hostPort.group(2)))
                .buildAndOpen();
        String proxied = "jdbc:postgresql://127.0.0.1:" + proxyPort + "/" + hostPort.group(3);
        registry.add("spring.datasource.url", () -> proxied);
        registry.add("spring.datasource.username", pg::username);
        registry.add("spring.datasource.password", pg::password);
        String dataDir = Files.createTempDirectory("nodelock-freeze-").toString();
        registry.add("nodelock.data-dir", () -> dataDir);
        registry.add("nodelock.signing.generated-key-dir", () -> dataDir + "/keys");
    }

    // The proxy stays open until this test JVM ends, with the context Spring keeps cached until then.

    @Test
    void aFrozenDatabaseGives503WithRetryAfterAndMetricsStayReachable() throws Exception {
        String customer = token(EnumSet.of(Role.CUSTOMER));
        String operator = token(EnumSet.of(Role.OPERATOR));
        String fulfillment = "/api/v1/fulfillments/" + UUID.randomUUID();
        String metrics = "/actuator/metrics/hikaricp.connections.active";
        // Both tokens verified once while the database answers, as they would be by any earlier call.
        assertThat(get(fulfillment, customer).statusCode()).isEqualTo(404);
        assertThat(get(metrics, operator).statusCode()).isEqualTo(200);

        Duration freeze = Duration.ofMillis(connectionTimeoutMs * 3);
        crusher.freeze();
        List<CompletableFuture<HttpResponse<String>>> during = new ArrayList<>();
        CompletableFuture<HttpResponse<String>> unknownToken;
        try {
            for (int i = 0; i < 12; i++) {
                during.add(send(fulfillment, customer));
            }
            // Only once every connection hangs in a request: an idle connection handed out now would carry the next query
            // through the moment the freeze ends, and answer it late instead of refusing it.
            var pool = dataSource.unwrap(com.zaxxer.hikari.HikariDataSource.class).getHikariPoolMXBean();
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).until(() -> pool.getIdleConnections() == 0);
            // A token the service never verified cannot be checked without the database: 503 as well, not 401 or 500.
            unknownToken = send(fulfillment, token(EnumSet.of(Role.CUSTOMER), false));
            // For the whole freeze, past the token cache's freshness too, the operator reads the pool's metrics.
            await().during(freeze).atMost(freeze.plusSeconds(2)).pollInterval(Duration.ofMillis(500))
                    .until(() -> metricsAnswerPromptly(metrics, operator));
        } finally {
            crusher.unfreeze();
        }

        int unavailable = 0;
        for (CompletableFuture<HttpResponse<String>> future : during) {
            HttpResponse<String> answer = future.get();
            // A request that got its connection before the freeze hangs with it and completes afterwards: 404.
            assertThat(answer.statusCode()).as("answer during the freeze: %s", answer.body()).isIn(404, 503);
            if (answer.statusCode() == 503) {
                unavailable++;
                assertUnavailableProblem(answer);
            }
        }
        assertThat(unavailable).as("requests that found no connection").isGreaterThan(0);
        assertUnavailableProblem(unknownToken.get());
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> get(fulfillment, customer).statusCode() == 404);
    }

    private static void assertUnavailableProblem(HttpResponse<String> answer) throws Exception {
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(503);
        assertThat(answer.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
        assertThat(answer.headers().firstValue("Retry-After")).hasValueSatisfying(v -> assertThat(Integer.parseInt(v)).isPositive());
        JsonNode problem = JSON.readTree(answer.body());
        assertThat(problem.path("status").asInt()).isEqualTo(503);
        assertThat(problem.path("type").asText()).endsWith("/service-unavailable");
        assertThat(problem.path("title").asText()).isNotEmpty();
    }

    /** Served from the token cache: no wait for a connection, which would take the whole pool timeout. */
    private boolean metricsAnswerPromptly(String metrics, String operator) throws Exception {
        long started = System.nanoTime();
        HttpResponse<String> answer = get(metrics, operator);
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        return answer.statusCode() == 200 && took.toMillis() < connectionTimeoutMs
                && "hikaricp.connections.active".equals(JSON.readTree(answer.body()).path("name").asText());
    }

    private String token(EnumSet<Role> roles) {
        return token(roles, true);
    }

    /** A new account's token; {@code store=false} gives a well-formed token the database does not know. */
    private String token(EnumSet<Role> roles, boolean store) {
        if (!store) {
            return ApiTokens.PREFIX + "unknown" + UUID.randomUUID().toString().replace("-", "");
        }
        String id = "acct-" + UUID.randomUUID().toString().substring(0, 8);
        accounts.create(new Account(id, "Test " + id, id + "@example.com", roles, Instant.now()));
        return tokens.issue(id, "test");
    }

    private HttpResponse<String> get(String path, String token) throws Exception {
        return send(path, token).get();
    }

    private CompletableFuture<HttpResponse<String>> send(String path, String token) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(60)).GET().build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString());
    }
}
