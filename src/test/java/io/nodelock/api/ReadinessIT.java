package io.nodelock.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nodelock.testsupport.TestPostgres;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Readiness follows the database: PostgreSQL stops, the readiness group turns DOWN (503) while liveness stays UP, and
 * once PostgreSQL is back readiness turns UP again by itself. Stopping the server takes every database of this JVM's
 * cluster with it, so this runs in the JVM of its own that DatabaseFreezeIT runs in (pom.xml, execution "own-engine").
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "nodelock.mail.embedded.enabled=false",
        "nodelock.demo.enabled=false",
        "spring.mail.host=127.0.0.1",
        "spring.mail.port=9",
        "nodelock.engine.admin.password=it-admin-password",
        "operaton.bpm.process-engine-name=readiness"})
class ReadinessIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @LocalServerPort
    int port;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws Exception {
        TestPostgres pg = TestPostgres.instance();
        String url = pg.createDatabase("nodelock_ready");
        registry.add("spring.datasource.url", () -> url);
        registry.add("spring.datasource.username", pg::username);
        registry.add("spring.datasource.password", pg::password);
        String dataDir = Files.createTempDirectory("nodelock-ready-").toString();
        registry.add("nodelock.data-dir", () -> dataDir);
        registry.add("nodelock.signing.generated-key-dir", () -> dataDir + "/keys");
    }

    @Test
    void readinessTurnsDownWhilePostgresqlIsStoppedAndUpWhenItIsBack() throws Exception {
        TestPostgres pg = TestPostgres.instance();
        Assumptions.assumeTrue(pg.canStop(), "a server named by NODELOCK_TEST_DB_URL is not the test's to stop");
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() -> status("/actuator/health/readiness") == 200);
        JsonNode ready = body("/actuator/health/readiness");
        assertThat(ready.path("status").asText()).isEqualTo("UP");
        assertThat(ready.path("components").fieldNames()).toIterable()
                .contains("readinessState", "db", "jobExecutor", "stepWorkers", "mailOutbox");
        ready.path("components").forEach(component -> assertThat(component.path("status").asText()).isEqualTo("UP"));

        pg.stop();
        try {
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() -> status("/actuator/health/readiness") == 503);
            JsonNode down = body("/actuator/health/readiness");
            assertThat(down.path("status").asText()).isEqualTo("DOWN");
            assertThat(down.path("components").path("db").path("status").asText()).isEqualTo("DOWN");
            // Liveness is not about the database: restarting the node would not bring PostgreSQL back.
            assertThat(status("/actuator/health/liveness")).isEqualTo(200);
        } finally {
            pg.start();
        }
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> status("/actuator/health/readiness") == 200);
        assertThat(body("/actuator/health/readiness").path("components").path("db").path("status").asText()).isEqualTo("UP");
    }

    private int status(String path) throws Exception {
        return http.send(request(path), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private JsonNode body(String path) throws Exception {
        return JSON.readTree(http.send(request(path), HttpResponse.BodyHandlers.ofString()).body());
    }

    private HttpRequest request(String path) {
        return HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).timeout(Duration.ofSeconds(20)).GET().build();
    }
}
