package io.nodelock.fulfillment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.nodelock.fulfillment.process.PakFulfillmentProcess;
import io.nodelock.pak.Pak;
import io.nodelock.pak.PakService.NewLine;
import io.nodelock.support.ServiceIT;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.operaton.bpm.engine.FormService;
import org.operaton.bpm.engine.IdentityService;
import org.operaton.bpm.engine.RepositoryService;
import org.operaton.bpm.engine.runtime.ProcessInstance;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** The model can also be started from its start form (as Tasklist does); the initiator must be a customer account. */
class StartFormIT extends ServiceIT {

    @Autowired
    FormService forms;
    @Autowired
    IdentityService identity;
    @Autowired
    RepositoryService repository;

    @Test
    void theStartFormIsDeployedWithTheModel() {
        String definitionId = repository.createProcessDefinitionQuery().processDefinitionKey(PakFulfillmentProcess.PROCESS_KEY)
                .latestVersion().singleResult().getId();
        Response form = send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://localhost:" + port
                        + "/engine-rest/process-definition/" + definitionId + "/deployed-start-form"))
                .header("Authorization", basicAuth("admin", "it-admin-password")).GET().build());
        assertThat(form.status()).isEqualTo(200);
        assertThat(form.raw()).contains("\"id\": \"pak-registration\"").contains("\"key\": \"pakCode\"");
    }

    @Test
    void aFormStartByACustomerIssuesTheLicense() {
        TestAccount customer = newCustomer();
        Pak pak = newPak(customer, new NewLine("FL-C1111-SEC-K9", 1));
        ProcessInstance instance = startFromForm(customer.id(), pak.code().formatted().toLowerCase(), "PID:C1111-4P,SN:" + randomSerial(),
                customer.email());
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> assertThat(jdbc.queryForObject(
                "select status from fulfillment where process_instance_id = ?", String.class, instance.getId())).isEqualTo("ISSUED"));
        assertThat(jdbc.queryForObject("select account_id from fulfillment where process_instance_id = ?", String.class,
                instance.getId())).isEqualTo(customer.id());
    }

    @Test
    void aFormStartBySomeoneWithoutAnAccountIsRejected() {
        TestAccount customer = newCustomer();
        Pak pak = newPak(customer, new NewLine("FL-C1111-SEC-K9", 1));
        ProcessInstance instance = startFromForm("someone-else", pak.code().formatted(), "PID:C1111-4P,SN:" + randomSerial(),
                customer.email());
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> assertThat(jdbc.queryForObject(
                "select end_act_id_ from act_hi_procinst where id_ = ?", String.class, instance.getId()))
                .isEqualTo("EndEvent_FulfillmentRejected"));
        assertThat(jdbc.queryForObject("select consumed from pak_line where id = ?", Integer.class, pak.lines().get(0).id())).isZero();
    }

    @Test
    void aFormStartWithABadUdiIsRejectedWithItsReason() {
        TestAccount customer = newCustomer();
        Pak pak = newPak(customer, new NewLine("FL-C1111-SEC-K9", 1));
        ProcessInstance instance = startFromForm(customer.id(), pak.code().formatted(), "C1111-4P FGL123", customer.email());
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> assertThat(jdbc.queryForObject(
                "select end_act_id_ from act_hi_procinst where id_ = ?", String.class, instance.getId()))
                .isEqualTo("EndEvent_FulfillmentRejected"));
    }

    @Test
    void aStarterCannotClaimAnotherAccountByTheInitiatorVariable() {
        TestAccount victim = newCustomer();
        TestAccount attacker = newCustomer();
        Pak victimsPak = newPak(victim, new NewLine("FL-C1111-SEC-K9", 1));
        Map<String, Object> values = new HashMap<>();
        values.put(PakFulfillmentProcess.VAR_INITIATOR, victim.id());
        values.put(PakFulfillmentProcess.VAR_PAK_CODE, victimsPak.code().formatted());
        values.put(PakFulfillmentProcess.VAR_UDI, "PID:C1111-4P,SN:" + randomSerial());
        values.put(PakFulfillmentProcess.VAR_SKU, "FL-C1111-SEC-K9");
        values.put(PakFulfillmentProcess.VAR_EMAIL, attacker.email());
        values.put(PakFulfillmentProcess.VAR_EULA_ACCEPTED, false);
        identity.setAuthentication(attacker.id(), java.util.List.of(io.nodelock.account.Role.CUSTOMER.engineGroup()));
        ProcessInstance instance;
        try {
            instance = runtime.startProcessInstanceByKey(PakFulfillmentProcess.PROCESS_KEY, values);
        } finally {
            identity.clearAuthentication();
        }
        // The engine's record of who started it counts, not the variable: the attacker's own request, refused.
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> assertThat(jdbc.queryForObject(
                "select status from fulfillment where process_instance_id = ?", String.class, instance.getId())).isEqualTo("REJECTED"));
        assertThat(jdbc.queryForObject("select account_id from fulfillment where process_instance_id = ?", String.class,
                instance.getId())).isEqualTo(attacker.id());
        assertThat(jdbc.queryForObject("select rejection_code from fulfillment where process_instance_id = ?", String.class,
                instance.getId())).isEqualTo("PAK_UNKNOWN");
        assertThat(jdbc.queryForObject("select consumed from pak_line where id = ?", Integer.class, victimsPak.lines().get(0).id())).isZero();
    }

    @Autowired
    org.operaton.bpm.engine.RuntimeService runtime;

    private ProcessInstance startFromForm(String user, String pak, String udi, String email) {
        String definitionId = repository.createProcessDefinitionQuery().processDefinitionKey(PakFulfillmentProcess.PROCESS_KEY)
                .latestVersion().singleResult().getId();
        Map<String, Object> values = new HashMap<>();
        values.put(PakFulfillmentProcess.VAR_PAK_CODE, pak);
        values.put(PakFulfillmentProcess.VAR_UDI, udi);
        values.put(PakFulfillmentProcess.VAR_SKU, "FL-C1111-SEC-K9");
        values.put(PakFulfillmentProcess.VAR_EMAIL, email);
        values.put(PakFulfillmentProcess.VAR_EULA_ACCEPTED, false);
        identity.setAuthentication(user, java.util.List.of(io.nodelock.account.Role.CUSTOMER.engineGroup()));
        try {
            return forms.submitStartForm(definitionId, values);
        } finally {
            identity.clearAuthentication();
        }
    }
}
