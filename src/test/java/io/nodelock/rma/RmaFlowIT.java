package io.nodelock.rma;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.nodelock.account.EngineIdentity;
import io.nodelock.account.Role;
import io.nodelock.licensefile.LicenseFile;
import io.nodelock.licensefile.LicenseLine;
import io.nodelock.pak.Pak;
import io.nodelock.pak.PakService.NewLine;
import io.nodelock.support.ServiceIT;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.operaton.bpm.engine.IdentityService;
import org.operaton.bpm.engine.TaskService;
import org.operaton.bpm.engine.task.Task;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** Every path of bpmn/rma-license-transfer.bpmn through the REST API on PostgreSQL, TAC review included. */
class RmaFlowIT extends ServiceIT {

    @Autowired
    TaskService tasks;
    @Autowired
    IdentityService identity;
    @Autowired
    EngineIdentity engineIdentity;

    @Test
    void reissuesTheFailedDevicesLicensesForTheReplacementAndLocksTheFailedOne() throws Exception {
        TestAccount customer = newCustomer();
        Pak pak = newPak(customer, new NewLine("FL-C1111-SEC-K9", 5), new NewLine("SL-1100-AIS-K9", 1));
        String failed = "PID:C1111-4P,SN:" + randomSerial();
        String replacement = "PID:C1111-4P,SN:" + randomSerial();
        issue(customer, pak, "FL-C1111-SEC-K9", failed);
        issue(customer, pak, "SL-1100-AIS-K9", failed);

        JsonNode rma = awaitRma(submitRma(customer, failed, replacement, "RMA-" + randomSerial()), customer);
        assertThat(rma.path("status").asText()).as(rma.toString()).isEqualTo("ISSUED");
        assertThat(rma.path("licenseIds")).hasSize(2);

        Response file = get(rma.path("licenseFile").asText(), customer.token());
        List<LicenseLine> lines = LicenseFile.parse(file.raw()).lines();
        assertThat(lines).extracting(l -> l.udi().binding()).containsOnly(replacement);
        assertThat(lines).extracting(LicenseLine::feature).containsExactlyInAnyOrder("securityk9", "advipservices");
        assertThat(jdbc.queryForList("select status from license where udi = ?", String.class, failed)).containsOnly("REPLACED");
        awaitMailSent(rma);

        // The failed UDI is locked: a new fulfillment for it is refused, and so is a second RMA.
        Response again = post("/api/v1/fulfillments", customer.token(), fulfillmentJson(pak.code().formatted(), "FL-C1111-SEC-K9",
                failed, customer.email(), false));
        JsonNode refused = awaitOutcome(again.headers().firstValue("Location").orElseThrow(), customer.token());
        assertThat(refused.path("rejection").path("code").asText()).isEqualTo("DEVICE_LOCKED");
        Response second = post("/api/v1/rmas", customer.token(), rmaJson(failed, "PID:C1111-4P,SN:" + randomSerial(), "RMA-2-" + randomSerial(), customer.email()));
        assertThat(second.status()).isEqualTo(409);
        assertThat(second.body().path("code").asText()).isEqualTo("RMA_EXISTS");
        assertEndEvent(rma, "EndEvent_LicensesReplaced");
    }

    @Test
    void badRequestsAreRefusedWithTheirOwnReason() {
        TestAccount customer = newCustomer();
        TestAccount other = newCustomer();
        Pak pak = newPak(customer, new NewLine("FL-ISR4300-SEC-K9", 3));
        String isr = "PID:ISR4331/K9,SN:" + randomSerial();
        issue(customer, pak, "FL-ISR4300-SEC-K9", isr);

        Response unknown = post("/api/v1/rmas", customer.token(), rmaJson("PID:ISR4331/K9,SN:NEVERSEEN1", "PID:ISR4331/K9,SN:" + randomSerial(), "RMA-1234", customer.email()));
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.body().path("code").asText()).isEqualTo("UNKNOWN_UDI");

        // Another account's device is answered exactly like an unknown one, so the answer reveals nothing.
        Response foreign = post("/api/v1/rmas", other.token(), rmaJson(isr, "PID:ISR4331/K9,SN:" + randomSerial(), "RMA-1235", other.email()));
        Response neverSeen = post("/api/v1/rmas", other.token(), rmaJson("PID:ISR4331/K9,SN:NEVERSEEN2", "PID:ISR4331/K9,SN:" + randomSerial(),
                "RMA-1235", other.email()));
        assertThat(foreign.status()).isEqualTo(404);
        assertThat(foreign.body().path("code").asText()).isEqualTo("UNKNOWN_UDI");
        assertThat(foreign.body().path("detail").asText().replace(isr, "X"))
                .isEqualTo(neverSeen.body().path("detail").asText().replace("PID:ISR4331/K9,SN:NEVERSEEN2", "X"));

        Response wrongProduct = post("/api/v1/rmas", customer.token(), rmaJson(isr, "PID:C1111-4P,SN:" + randomSerial(), "RMA-1236", customer.email()));
        assertThat(wrongProduct.status()).isEqualTo(422);
        assertThat(wrongProduct.body().path("code").asText()).isEqualTo("REPLACEMENT_NOT_ALLOWED");

        Response badUdi = post("/api/v1/rmas", customer.token(), rmaJson("ISR4331 123", "PID:ISR4331/K9,SN:" + randomSerial(), "RMA-1237", customer.email()));
        assertThat(badUdi.status()).isEqualTo(400);
        assertThat(badUdi.body().path("errors").get(0).path("field").asText()).isEqualTo("failedUdi");

        Response same = post("/api/v1/rmas", customer.token(), rmaJson(isr, isr, "RMA-1238", customer.email()));
        assertThat(same.status()).isEqualTo(422);
        assertThat(same.body().path("code").asText()).isEqualTo("SAME_DEVICE");

        // Nothing was locked by the refused requests: the device still gets licenses.
        assertThat(jdbc.queryForObject("select count(*) from device where udi = ? and locked_at is null", Integer.class, isr)).isEqualTo(1);

        // An allowed substitute (ISR4351 for ISR4331) goes through.
        JsonNode substitute = awaitRma(submitRma(customer, isr, "PID:ISR4351/K9,SN:" + randomSerial(), "RMA-1239"), customer);
        assertThat(substitute.path("status").asText()).isEqualTo("ISSUED");
    }

    @Test
    void aRecentReplacementFailingAgainGoesToTacWhoApproves() throws Exception {
        TestAccount customer = newCustomer();
        Pak pak = newPak(customer, new NewLine("FL-C1111-SEC-K9", 1));
        String first = "PID:C1111-4P,SN:" + randomSerial();
        String second = "PID:C1111-4P,SN:" + randomSerial();
        String third = "PID:C1111-4P,SN:" + randomSerial();
        issue(customer, pak, "FL-C1111-SEC-K9", first);
        assertThat(awaitRma(submitRma(customer, first, second, "RMA-A" + randomSerial()), customer).path("status").asText()).isEqualTo("ISSUED");

        String location = submitRma(customer, second, third, "RMA-B" + randomSerial());
        JsonNode inReview = awaitStatus(location, customer, "IN_REVIEW");
        assertThat(inReview.path("reviewReason").asText()).contains("was itself the replacement");

        Task task = awaitTask(inReview);
        engineIdentity.ensureUser("it-tac", "tac-pw", "IT", "TAC", Role.TAC.engineGroup());
        // What Tasklist shows a TAC engineer: the task in their group's list and its Camunda Form with the history.
        Response list = send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://localhost:" + port
                + "/engine-rest/task?candidateGroup=tac-approvers&processInstanceId=" + task.getProcessInstanceId()))
                .header("Authorization", basicAuth("it-tac", "tac-pw")).GET().build());
        assertThat(list.body()).hasSize(1);
        Response form = send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://localhost:" + port
                + "/engine-rest/task/" + task.getId() + "/deployed-form")).header("Authorization", basicAuth("it-tac", "tac-pw")).GET().build());
        assertThat(form.status()).isEqualTo(200);
        assertThat(form.raw()).contains("\"id\": \"rma-review\"").contains("deviceHistory");
        Response variables = send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://localhost:" + port
                + "/engine-rest/task/" + task.getId() + "/form-variables")).header("Authorization", basicAuth("it-tac", "tac-pw")).GET().build());
        assertThat(variables.body().path("deviceHistory").path("value").asText()).contains(second).contains("LOCKED: RMA")
                .contains("Replacement in RMA");

        decide(task, "it-tac", "approve", "Field failure confirmed by TAC case 77");
        JsonNode done = awaitStatus(location, customer, "ISSUED");
        assertThat(done.path("reviewedBy").asText()).isEqualTo("it-tac");
        assertThat(done.path("reviewComment").asText()).contains("case 77");
        awaitMailSent(done);
    }

    @Test
    void tacRejectionTellsTheCustomerAndUnlocksTheFailedDevice() {
        TestAccount customer = newCustomer();
        Pak pak = newPak(customer, new NewLine("FL-C1111-SEC-K9", 2));
        String first = "PID:C1111-4P,SN:" + randomSerial();
        String second = "PID:C1111-4P,SN:" + randomSerial();
        issue(customer, pak, "FL-C1111-SEC-K9", first);
        awaitRma(submitRma(customer, first, second, "RMA-C" + randomSerial()), customer);

        String location = submitRma(customer, second, "PID:C1111-4P,SN:" + randomSerial(), "RMA-D" + randomSerial());
        JsonNode inReview = awaitStatus(location, customer, "IN_REVIEW");
        assertThat(jdbc.queryForObject("select locked_at is not null from device where udi = ?", Boolean.class, second)).isTrue();
        engineIdentity.ensureUser("it-tac2", "tac-pw", "IT", "TAC", Role.TAC.engineGroup());
        decide(awaitTask(inReview), "it-tac2", "reject", "Serial reported stolen");

        JsonNode rejected = awaitStatus(location, customer, "REJECTED");
        assertThat(rejected.path("rejection").path("code").asText()).isEqualTo("TAC_REJECTED");
        assertThat(rejected.path("rejection").path("message").asText()).isEqualTo("Serial reported stolen");
        assertThat(jdbc.queryForObject("select locked_at is null from device where udi = ?", Boolean.class, second)).isTrue();
        assertThat(jdbc.queryForList("select status from license where udi = ?", String.class, second)).containsOnly("ACTIVE");
        awaitMailSent(rejected);
        assertEndEvent(rejected, "EndEvent_RmaRejected");
    }

    // ---- helpers ----

    private void decide(Task task, String user, String decision, String comment) {
        identity.setAuthentication(user, List.of(Role.TAC.engineGroup()));
        try {
            tasks.claim(task.getId(), user);
            tasks.complete(task.getId(), Map.of("tacDecision", decision, "tacComment", comment));
        } finally {
            identity.clearAuthentication();
        }
    }

    private Task awaitTask(JsonNode rma) {
        String instance = jdbc.queryForObject("select process_instance_id from rma where id = ?", String.class,
                java.util.UUID.fromString(rma.path("id").asText()));
        Task[] found = new Task[1];
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            found[0] = tasks.createTaskQuery().processInstanceId(instance).taskCandidateGroup("tac-approvers").singleResult();
            return found[0] != null;
        });
        assertThat(found[0].getTaskDefinitionKey()).isEqualTo("UserTask_ReviewRma");
        return found[0];
    }

    private void issue(TestAccount customer, Pak pak, String sku, String udi) {
        Response accepted = post("/api/v1/fulfillments", customer.token(), fulfillmentJson(pak.code().formatted(), sku, udi, customer.email(), false));
        JsonNode outcome = awaitOutcome(accepted.headers().firstValue("Location").orElseThrow(), customer.token());
        assertThat(outcome.path("status").asText()).as(outcome.toString()).isEqualTo("ISSUED");
    }

    private String submitRma(TestAccount customer, String failed, String replacement, String number) {
        ship(customer, replacement);
        Response accepted = post("/api/v1/rmas", customer.token(), rmaJson(failed, replacement, number, customer.email()));
        assertThat(accepted.status()).as(accepted.raw()).isEqualTo(202);
        return accepted.headers().firstValue("Location").orElseThrow();
    }

    private JsonNode awaitRma(String location, TestAccount customer) {
        JsonNode[] last = new JsonNode[1];
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            last[0] = get(location, customer.token()).body();
            String status = last[0].path("status").asText();
            return status.equals("ISSUED") || status.equals("REJECTED") || status.equals("IN_REVIEW");
        });
        return last[0];
    }

    private JsonNode awaitStatus(String location, TestAccount customer, String status) {
        JsonNode[] last = new JsonNode[1];
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            last[0] = get(location, customer.token()).body();
            return status.equals(last[0].path("status").asText());
        });
        return last[0];
    }

    private void awaitMailSent(JsonNode rma) {
        String id = rma.path("id").asText();
        await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.queryForObject(
                "select count(*) from mail_outbox where audit_subject = ? and status = 'SENT'", Integer.class, "rma:" + id) == 1);
    }

    private void assertEndEvent(JsonNode rma, String endEvent) {
        String instance = jdbc.queryForObject("select process_instance_id from rma where id = ?", String.class,
                java.util.UUID.fromString(rma.path("id").asText()));
        await().atMost(Duration.ofSeconds(20)).ignoreExceptions().untilAsserted(() -> assertThat(jdbc.queryForObject(
                "select end_act_id_ from act_hi_procinst where id_ = ?", String.class, instance)).isEqualTo(endEvent));
    }

    private static String rmaJson(String failed, String replacement, String number, String email) {
        return """
                {"failedUdi":"%s","replacementUdi":"%s","rmaNumber":"%s","email":"%s"}""".formatted(failed, replacement, number, email);
    }
}
