package io.nodelock.extension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.nodelock.account.EngineIdentity;
import io.nodelock.account.Role;
import io.nodelock.eula.EulaConsents;
import io.nodelock.pak.Pak;
import io.nodelock.pak.PakService.NewLine;
import io.nodelock.support.ServiceIT;
import java.time.Duration;
import java.util.UUID;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * What the extension tests start from, made through the customer API as in production: a device of the account with
 * a self-serve evaluation, extension requests of it, and staff with engine identities.
 */
abstract class ExtensionSupport extends ServiceIT {

    static final String APPROVAL_TASK = "Approve extension";
    static final String CONFIRM_TASK = "Confirm extension";

    @Autowired
    EngineIdentity engineIdentity;
    @Autowired
    EulaConsents eulas;

    record Evaluation(String udi, String licenseId) {
    }

    /**
     * A device of the customer's with a self-serve securityk9 evaluation (the device became the account's with a
     * permanent license from a PAK first).
     */
    Evaluation evaluate(TestAccount customer) {
        Pak pak = newPak(customer, new NewLine("FL-ISR4300-UCK9", 1));
        String udi = "PID:ISR4331/K9,SN:" + randomSerial();
        fulfil(customer, pak, "FL-ISR4300-UCK9", udi, false);
        Response granted = post("/api/v1/evaluations", customer.token(), """
                {"udi":"%s","feature":"securityk9","email":"%s","eulaVersion":"%s","eulaAccepted":true}"""
                .formatted(udi, customer.email(), eulas.current().version()));
        assertThat(granted.status()).as(granted.raw()).isEqualTo(201);
        return new Evaluation(udi, granted.body().path("licenseIds").get(0).asText());
    }

    JsonNode fulfil(TestAccount customer, Pak pak, String sku, String udi, boolean eula) {
        Response accepted = post("/api/v1/fulfillments", customer.token(), fulfillmentJson(pak.code().formatted(), sku, udi, customer.email(), eula));
        JsonNode outcome = awaitOutcome(accepted.headers().firstValue("Location").orElseThrow(), customer.token());
        assertThat(outcome.path("status").asText()).as(outcome.toString()).isEqualTo("ISSUED");
        return outcome;
    }

    String extendJson(int days, String eulaAccepted) {
        return """
                {"days":%d,"reason":"Proof of concept needs more time","email":"netops@example.com","eulaVersion":"%s","eulaAccepted":%s}"""
                .formatted(days, eulas.current().version(), eulaAccepted);
    }

    String extend(TestAccount customer, Evaluation eval, int days) {
        Response accepted = post("/api/v1/licenses/" + eval.licenseId() + "/extend", customer.token(), extendJson(days, "true"));
        assertThat(accepted.status()).as(accepted.raw()).isEqualTo(202);
        return accepted.headers().firstValue("Location").orElseThrow();
    }

    String tacUser(Role role) {
        String user = "it-" + role.name().toLowerCase().replace('_', '-') + "-" + UUID.randomUUID().toString().substring(0, 6);
        engineIdentity.ensureUser(user, "pw", "IT", role.displayName(), role.engineGroup());
        return user;
    }

    String instanceOf(JsonNode extension) {
        return jdbc.queryForObject("select process_instance_id from license_extension where id = ?", String.class,
                UUID.fromString(extension.path("id").asText()));
    }

    JsonNode awaitStatus(String location, TestAccount customer, String status) {
        JsonNode[] last = new JsonNode[1];
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            last[0] = get(location, customer.token()).body();
            return status.equals(last[0].path("status").asText());
        });
        return last[0];
    }

    String baseUrl() {
        return "http://localhost:" + port;
    }
}
