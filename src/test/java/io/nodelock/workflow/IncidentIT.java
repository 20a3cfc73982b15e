package io.nodelock.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.nodelock.fulfillment.process.PakFulfillmentProcess;
import io.nodelock.support.ServiceIT;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.operaton.bpm.engine.RuntimeService;
import org.operaton.bpm.engine.runtime.Incident;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** A step that keeps failing for a technical reason is retried with backoff and then raised as an incident for Cockpit. */
class IncidentIT extends ServiceIT {

    @Autowired
    RuntimeService runtime;

    @Test
    void aStepThatKeepsFailingBecomesAnIncidentAfterItsRetries() {
        // A fulfillment id that no row backs: the check-udi step fails technically every time.
        String instanceId = runtime.startProcessInstanceByKey(PakFulfillmentProcess.PROCESS_KEY, Map.of(
                PakFulfillmentProcess.VAR_FULFILLMENT_ID, UUID.randomUUID().toString())).getId();

        await().atMost(Duration.ofSeconds(30)).until(() ->
                runtime.createIncidentQuery().processInstanceId(instanceId).count() == 1);
        Incident incident = runtime.createIncidentQuery().processInstanceId(instanceId).singleResult();
        assertThat(incident.getIncidentType()).isEqualTo("failedJob");
        assertThat(incident.getActivityId()).isEqualTo("ServiceTask_CheckUdi");
        assertThat(incident.getIncidentMessage()).contains("not started by Nodelock's intake");
        // Three attempts in all (the configured retry cycle), then no more tries.
        assertThat(jdbc.queryForObject("select retries_ from act_ru_job where process_instance_id_ = ?", Integer.class, instanceId)).isZero();

        // What Cockpit shows comes from the engine's REST API: the incident is there for an operator.
        Response viaRest = send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                        "http://localhost:" + port + "/engine-rest/incident?processInstanceId=" + instanceId))
                .header("Authorization", basicAuth("admin", "it-admin-password")).GET().build());
        assertThat(viaRest.status()).isEqualTo(200);
        assertThat(viaRest.body().get(0).path("activityId").asText()).isEqualTo("ServiceTask_CheckUdi");
        runtime.deleteProcessInstance(instanceId, "test cleanup");
    }

    @Test
    void anInstanceStartedWithAnotherFulfillmentsIdDoesNotTouchIt() {
        TestAccount victim = newCustomer();
        var pak = newPak(victim, new io.nodelock.pak.PakService.NewLine("FL-C1111-SEC-K9", 2));
        Response accepted = post("/api/v1/fulfillments", victim.token(), fulfillmentJson(pak.code().formatted(), "FL-C1111-SEC-K9",
                "PID:C1111-4P,SN:" + randomSerial(), victim.email(), false));
        String victimsFulfillment = accepted.body().path("id").asText();
        awaitMailSent(accepted.headers().firstValue("Location").orElseThrow(), victim.token());

        String instanceId = runtime.startProcessInstanceByKey(PakFulfillmentProcess.PROCESS_KEY, Map.of(
                PakFulfillmentProcess.VAR_FULFILLMENT_ID, victimsFulfillment)).getId();
        await().atMost(Duration.ofSeconds(30)).until(() -> runtime.createIncidentQuery().processInstanceId(instanceId).count() == 1);
        assertThat(runtime.createIncidentQuery().processInstanceId(instanceId).singleResult().getIncidentMessage())
                .contains("not started by Nodelock's intake");
        assertThat(jdbc.queryForObject("select count(*) from mail_outbox where operation_id = ?", Integer.class,
                "license-mail:" + victimsFulfillment)).isEqualTo(1);
        runtime.deleteProcessInstance(instanceId, "test cleanup");
    }

}
