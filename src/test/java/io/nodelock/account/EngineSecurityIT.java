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
