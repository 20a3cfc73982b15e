package io.nodelock.account;

import static org.assertj.core.api.Assertions.assertThat;

import io.nodelock.pak.Pak;
import io.nodelock.pak.PakService.NewLine;
import io.nodelock.support.ServiceIT;
import java.net.URI;
import java.net.http.HttpRequest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The engine's REST API and webapps expose every process variable, so they need a sign-in and engine authorizations
 * decide what each staff role sees.
 */
class EngineSecurityIT extends ServiceIT {

    @Autowired
    EngineIdentity engineIdentity;

    @Test
    void engineRestApiNeedsAuthentication() {
        assertThat(engine("/engine-rest/process-definition", null, null).status()).isEqualTo(401);
        // A wrong password is refused (not tried on 'admin': the engine delays sign-ins after a failure).
        engineIdentity.ensureUser("it-locked", "right-pw", "IT", "Locked", null);
        assertThat(engine("/engine-rest/process-definition", "it-locked", "wrong").status()).isEqualTo(401);
        Response admin = engine("/engine-rest/process-definition?key=pak-fulfillment", "admin", "it-admin-password");
        assertThat(admin.status()).isEqualTo(200);
        assertThat(admin.body().get(0).path("key").asText()).isEqualTo("pak-fulfillment");
    }

    @Test
    void aFailedSignInDelaysTheUserForAWhileButNeverLocksItForGood() throws Exception {
        // Its own source address: the polling below must not count against the address the other tests use.
        String source = ownSource();
        engineIdentity.ensureUser("it-delayed", "right-pw", "IT", "Delayed", Role.OPERATOR.engineGroup());
        assertThat(rawGet(source, "/engine-rest/process-definition", "it-delayed", "wrong")).startsWith("HTTP/1.1 401");
        // Delayed for a moment (2 s after the first failure): even the right password is refused meanwhile.
        assertThat(rawGet(source, "/engine-rest/process-definition", "it-delayed", "right-pw")).startsWith("HTTP/1.1 401");
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(15)).pollInterval(java.time.Duration.ofSeconds(1))
                .until(() -> rawGet(source, "/engine-rest/process-definition", "it-delayed", "right-pw").startsWith("HTTP/1.1 200"));

        // Far more failures than the engine's default limit of 10, which would have locked the user for good.
        engineIdentity.ensureUser("it-many-failures", "right-pw", "IT", "Many failures", Role.OPERATOR.engineGroup());
        jdbc.update("update act_id_user set attempts_ = 12, lock_exp_time_ = ? where id_ = ?",
                java.sql.Timestamp.from(java.time.Instant.now().plusSeconds(2)), "it-many-failures");
        String other = ownSource();
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(15)).pollInterval(java.time.Duration.ofSeconds(1))
                .until(() -> rawGet(other, "/engine-rest/process-definition", "it-many-failures", "right-pw").startsWith("HTTP/1.1 200"));
    }

    private static final java.util.concurrent.atomic.AtomicInteger SOURCES = new java.util.concurrent.atomic.AtomicInteger(
            20 + new java.util.Random().nextInt(100));

    /** A loopback address of its own (Linux routes all of 127.0.0.0/8 to the loopback interface). */
    private static String ownSource() {
        return "127.0.0." + SOURCES.incrementAndGet();
    }

    @Test
    void failedSignInsAreLimitedPerSourceAddress() throws Exception {
        engineIdentity.ensureUser("it-guessed", "right-pw", "IT", "Guessed", Role.OPERATOR.engineGroup());
        // A source of its own on the loopback network, so the other tests' address is not throttled.
        String source = ownSource();
        for (int i = 0; i < 10; i++) {
            assertThat(rawGet(source, "/engine-rest/process-definition", "it-guessed", "guess-" + i)).startsWith("HTTP/1.1 401");
        }
        String refused = rawGet(source, "/engine-rest/process-definition", "it-guessed", "right-pw");
        assertThat(refused).startsWith("HTTP/1.1 429").containsIgnoringCase("Retry-After:")
                .contains("application/problem+json").contains("too-many-sign-in-failures");
        // Another address is not affected.
        assertThat(engine("/engine-rest/process-definition", "admin", "it-admin-password").status()).isEqualTo(200);
    }

    /** A GET sent from the given local address (the JDK's HTTP client cannot choose one). */
    private String rawGet(String localAddress, String path, String user, String password) throws java.io.IOException {
        try (java.net.Socket socket = new java.net.Socket()) {
            socket.bind(new java.net.InetSocketAddress(localAddress, 0));
            socket.connect(new java.net.InetSocketAddress("127.0.0.1", port), 5000);
            socket.setSoTimeout(10000);
            socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: " + basicAuth(user, password)
                    + "\r\nConnection: close\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            return new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    @Test
    void operatorsSeeFinishedInstancesAndUsersWithoutARoleSeeNothing() {
        TestAccount customer = newCustomer();
        Pak pak = newPak(customer, new NewLine("FL-C1111-SEC-K9", 1));
        Response accepted = post("/api/v1/fulfillments", customer.token(), fulfillmentJson(pak.code().formatted(),
                "FL-C1111-SEC-K9", "PID:C1111-4P,SN:" + randomSerial(), customer.email(), false));
        awaitMailSent(accepted.headers().firstValue("Location").orElseThrow(), customer.token());
        String businessKey = accepted.body().path("id").asText();

        engineIdentity.ensureUser("it-operator", "operator-pw", "IT", "Operator", Role.OPERATOR.engineGroup());
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).untilAsserted(() -> {
            Response history = engine("/engine-rest/history/process-instance?finished=true&processInstanceBusinessKey=" + businessKey,
                    "it-operator", "operator-pw");
            assertThat(history.status()).isEqualTo(200);
            assertThat(history.body()).hasSize(1);
            assertThat(history.body().get(0).path("state").asText()).isEqualTo("COMPLETED");
        });

        engineIdentity.ensureUser("it-nobody", "nobody-pw", "IT", "Nobody", null);
        Response nothing = engine("/engine-rest/history/process-instance?processInstanceBusinessKey=" + businessKey,
                "it-nobody", "nobody-pw");
        assertThat(nothing.status()).isEqualTo(200);
        assertThat(nothing.body()).isEmpty();
        Response variables = engine("/engine-rest/history/variable-instance?processInstanceBusinessKey=" + businessKey,
                "it-nobody", "nobody-pw");
        assertThat(variables.body() == null || variables.body().isEmpty()).isTrue();
    }

    @Test
    void webappsAreServedBehindTheirOwnSignIn() {
        Response cockpit = send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/operaton/app/cockpit/default/")).GET().build());
        assertThat(cockpit.status()).isEqualTo(200);
        Response unauthenticated = send(HttpRequest.newBuilder(URI.create(
                "http://localhost:" + port + "/operaton/api/cockpit/plugin/base/default/process-definition/statistics")).GET().build());
        assertThat(unauthenticated.status()).isIn(401, 403);
    }

    @Test
    void metricsNeedAnOperatorAndHealthIsOpen() {
        assertThat(get("/actuator/health", null).status()).isEqualTo(200);
        assertThat(get("/actuator/metrics", null).status()).isEqualTo(401);
        assertThat(get("/actuator/metrics", newCustomer().token()).status()).isEqualTo(403);
        Response metrics = get("/actuator/metrics", newAccount(java.util.EnumSet.of(Role.OPERATOR)).token());
        assertThat(metrics.status()).isEqualTo(200);
    }

    private Response engine(String path, String user, String password) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).GET();
        if (user != null) {
            request.header("Authorization", basicAuth(user, password));
        }
        return send(request.build());
    }
}
