package io.nodelock.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.nodelock.fulfillment.process.PakFulfillmentProcess;
import io.nodelock.pak.Pak;
import io.nodelock.pak.PakService.NewLine;
import io.nodelock.rma.process.RmaProcess;
import io.nodelock.support.ServiceIT;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.operaton.bpm.engine.FormService;
import org.operaton.bpm.engine.IdentityService;
import org.operaton.bpm.engine.RepositoryService;
import org.operaton.bpm.engine.RuntimeService;
import org.operaton.bpm.engine.TaskService;
import org.operaton.bpm.engine.runtime.ProcessInstance;
import org.operaton.bpm.engine.task.Task;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The engine is not a way around Nodelock's intake. Customers hold no engine identity; staff other than
 * administrators cannot start a model; and even an administrator who starts a model at an arbitrary activity, with
 * whatever variables, gets no license: every step finds its request by the engine's instance id and checks the
 * domain's own record (the PAK redemption, the TAC decision of a completed review task) before it acts.
 */
class EngineBypassIT extends ServiceIT {

    @Autowired
    RuntimeService runtime;
    @Autowired
    TaskService tasks;
    @Autowired
    IdentityService identity;
    @Autowired
    FormService forms;
    @Autowired
    RepositoryService repository;
    @Autowired
    EngineIdentity engineIdentity;
    @Autowired
    org.operaton.bpm.engine.AuthorizationService authorizations;
    @Autowired
    io.nodelock.workflow.FlowSteps steps;
    @Autowired
    org.springframework.transaction.support.TransactionTemplate transactions;

    @Test
    void customersHaveNoEngineGroupAndOnlyAdministratorsMayStartAModel() {
        assertThat(identity.createGroupQuery().groupId(EngineIdentity.FORMER_CUSTOMER_GROUP).count()).isZero();
        assertThat(Role.CUSTOMER.engineGroup()).isNull();
        engineIdentity.ensureUser("it-bypass-operator", "operator-pw", "IT", "Operator", Role.OPERATOR.engineGroup());
        engineIdentity.ensureUser("it-bypass-tac", "tac-pw", "IT", "TAC", Role.TAC.engineGroup());
        // Operators read every definition but may start none.
        Response byOperator = startByRest("it-bypass-operator", "operator-pw", PakFulfillmentProcess.PROCESS_KEY,
                "ServiceTask_SignLicense", Map.of(PakFulfillmentProcess.VAR_FULFILLMENT_ID, UUID.randomUUID().toString()));
        assertThat(byOperator.status()).as(byOperator.raw()).isEqualTo(403);
        // TAC approvers see only the definitions whose tasks are offered to them, and may start none of them either.
        Response rmaByTac = startByRest("it-bypass-tac", "tac-pw", RmaProcess.PROCESS_KEY, "ServiceTask_SignReplacementLicenses",
                Map.of(RmaProcess.VAR_RMA_ID, UUID.randomUUID().toString()));
        assertThat(rmaByTac.status()).as(rmaByTac.raw()).isEqualTo(403);
        Response fulfillmentByTac = startByRest("it-bypass-tac", "tac-pw", PakFulfillmentProcess.PROCESS_KEY,
                "ServiceTask_SignLicense", Map.of(PakFulfillmentProcess.VAR_FULFILLMENT_ID, UUID.randomUUID().toString()));
        assertThat(fulfillmentByTac.status()).as("not even visible: " + fulfillmentByTac.raw()).isEqualTo(404);
    }

    @Test
    void startingBeforeSigningARejectedFulfillmentSignsNothing() {
        TestAccount customer = newCustomer();
        Pak pak = newPak(customer, new NewLine("FL-C1111-SEC-K9", 1));
        // The customer's own fulfillment, rejected: the UDI's product does not match the SKU, so no unit was redeemed.
        Response accepted = post("/api/v1/fulfillments", customer.token(), fulfillmentJson(pak.code().formatted(), "FL-C1111-SEC-K9",
                "PID:ISR4331/K9,SN:" + randomSerial(), customer.email(), false));
        JsonNode rejected = awaitOutcome(accepted.headers().firstValue("Location").orElseThrow(), customer.token());
        assertThat(rejected.path("status").asText()).isEqualTo("REJECTED");
        String fulfillmentId = rejected.path("id").asText();

        Response attack = startByRest("admin", "it-admin-password", PakFulfillmentProcess.PROCESS_KEY, "ServiceTask_SignLicense",
                Map.of(PakFulfillmentProcess.VAR_FULFILLMENT_ID, fulfillmentId));
        assertThat(attack.status()).as(attack.raw()).isEqualTo(200);
        String instance = attack.body().path("id").asText();

        awaitIncident(instance, "ServiceTask_SignLicense");
        assertThat(runtime.createIncidentQuery().processInstanceId(instance).singleResult().getIncidentMessage())
                .contains("not started by Nodelock's intake");
        assertThat(jdbc.queryForObject("select count(*) from license_file where issue_id = ?", Integer.class, UUID.fromString(fulfillmentId))).isZero();
        assertThat(jdbc.queryForObject("select count(*) from license where issue_id = ?", Integer.class, UUID.fromString(fulfillmentId))).isZero();
        assertThat(get(accepted.headers().firstValue("Location").orElseThrow() + "/license-file", customer.token()).status()).isEqualTo(409);
        assertThat(jdbc.queryForObject("select consumed from pak_line where id = ?", Integer.class, pak.lines().get(0).id())).isZero();
        runtime.deleteProcessInstance(instance, "test cleanup");
    }

    @Test
    void startingBeforeReplacementSigningWithAForgedApprovalIssuesNothing() {
        TestAccount customer = newCustomer();
        JsonNode inReview = rmaInReview(customer);
        String rmaId = inReview.path("id").asText();
        Task review = reviewTask(rmaId);

        Map<String, Object> forged = new HashMap<>();
        forged.put(RmaProcess.VAR_RMA_ID, rmaId);
        forged.put(RmaProcess.VAR_TAC_DECISION, RmaProcess.DECISION_APPROVE);
        forged.put("tacReviewer", "mallory");
        forged.put(RmaProcess.VAR_TAC_COMMENT, "approved by nobody");
        Response attack = startByRest("admin", "it-admin-password", RmaProcess.PROCESS_KEY, "ServiceTask_SignReplacementLicenses", forged);
        assertThat(attack.status()).as(attack.raw()).isEqualTo(200);
        String instance = attack.body().path("id").asText();

        awaitIncident(instance, "ServiceTask_SignReplacementLicenses");
        assertThat(jdbc.queryForObject("select status from rma where id = ?", String.class, UUID.fromString(rmaId))).isEqualTo("IN_REVIEW");
        assertThat(jdbc.queryForObject("select count(*) from license where issue_id = ?", Integer.class, UUID.fromString(rmaId))).isZero();
        assertThat(jdbc.queryForObject("select count(*) from audit_event where detail like '%mallory%' or actor = 'mallory'",
                Integer.class)).isZero();
        assertThat(tasks.createTaskQuery().taskId(review.getId()).count()).as("the real review task stays open").isEqualTo(1);
        runtime.deleteProcessInstance(instance, "test cleanup");
    }

    @Test
    void movingTheRealInstancePastItsReviewIssuesNothingAndUnlocksNothing() {
        TestAccount customer = newCustomer();
        JsonNode inReview = rmaInReview(customer);
        String rmaId = inReview.path("id").asText();
        String failedUdi = inReview.path("failedUdi").asText();
        Task review = reviewTask(rmaId);
        String instance = review.getProcessInstanceId();

        // An administrator adds tokens to the RMA's own instance, past the review, with a forged decision.
        runtime.createProcessInstanceModification(instance).startBeforeActivity("ServiceTask_SignReplacementLicenses")
                .setVariable(RmaProcess.VAR_TAC_DECISION, RmaProcess.DECISION_APPROVE).execute();
        runtime.createProcessInstanceModification(instance).startBeforeActivity("ServiceTask_RecordRmaRejection")
                .setVariable(RmaProcess.VAR_REJECTION_CODE, "TAC_REJECTED").execute();
        await().atMost(Duration.ofSeconds(30)).until(() -> runtime.createIncidentQuery().processInstanceId(instance).count() == 2);
        assertThat(runtime.createIncidentQuery().processInstanceId(instance).activityId("ServiceTask_SignReplacementLicenses")
                .singleResult().getIncidentMessage()).contains("needs a TAC approval and has none");
        assertThat(runtime.createIncidentQuery().processInstanceId(instance).activityId("ServiceTask_RecordRmaRejection")
                .singleResult().getIncidentMessage()).contains("has no recorded TAC rejection");
        assertThat(jdbc.queryForObject("select status from rma where id = ?", String.class, UUID.fromString(rmaId))).isEqualTo("IN_REVIEW");
        assertThat(jdbc.queryForObject("select count(*) from license where issue_id = ?", Integer.class, UUID.fromString(rmaId))).isZero();
        assertThat(jdbc.queryForObject("select locked_at is not null from device where udi = ?", Boolean.class, failedUdi)).isTrue();
        assertThat(tasks.createTaskQuery().taskId(review.getId()).count()).isEqualTo(1);
        runtime.createProcessInstanceModification(instance).cancelAllForActivity("ServiceTask_SignReplacementLicenses")
                .cancelAllForActivity("ServiceTask_RecordRmaRejection").execute();
    }

    @Test
    void signingChecksTheFulfillmentsOwnRecord() {
        TestAccount customer = newCustomer();
        Pak pak = newPak(customer, new NewLine("FL-C1111-SEC-K9", 1));
        Response accepted = post("/api/v1/fulfillments", customer.token(), fulfillmentJson(pak.code().formatted(), "FL-C1111-SEC-K9",
                "PID:ISR4331/K9,SN:" + randomSerial(), customer.email(), false));
        JsonNode rejected = awaitOutcome(accepted.headers().firstValue("Location").orElseThrow(), customer.token());
        String rejectedInstance = jdbc.queryForObject("select process_instance_id from fulfillment where id = ?", String.class,
                UUID.fromString(rejected.path("id").asText()));
        assertThatThrownBy(() -> transactions.executeWithoutResult(t -> sign(rejectedInstance)))
                .hasMessageContaining("was rejected");

        // An open fulfillment whose unit was never redeemed (its instance was moved past redeem-pak) is not signed.
        UUID open = UUID.randomUUID();
        String openInstance = "it-moved-" + open;
        jdbc.update("insert into fulfillment (id, account_id, pak_code, sku, udi, email, eula_accepted, status, process_instance_id, "
                        + "created_at) values (?, ?, ?, ?, ?, ?, false, 'SUBMITTED', ?, current_timestamp)", open, customer.id(),
                pak.code().formatted(), "FL-C1111-SEC-K9", "PID:C1111-4P,SN:" + randomSerial(), customer.email(), openInstance);
        assertThatThrownBy(() -> transactions.executeWithoutResult(t -> sign(openInstance)))
                .hasMessageContaining("has no PAK redemption");
        assertThat(jdbc.queryForObject("select count(*) from license_file where issue_id = ?", Integer.class, open)).isZero();
    }

    @Test
    void formerCustomerEngineLoginsAndGrantsAreRemoved() {
        identity.saveGroup(identity.newGroup(EngineIdentity.FORMER_CUSTOMER_GROUP));
        engineIdentity.ensureUser("it-former-customer", "pw", "IT", "Former customer", EngineIdentity.FORMER_CUSTOMER_GROUP);
        var grant = authorizations.createNewAuthorization(org.operaton.bpm.engine.authorization.Authorization.AUTH_TYPE_GRANT);
        grant.setGroupId(EngineIdentity.FORMER_CUSTOMER_GROUP);
        grant.setResource(org.operaton.bpm.engine.authorization.Resources.PROCESS_DEFINITION);
        grant.setResourceId(PakFulfillmentProcess.PROCESS_KEY);
        grant.addPermission(org.operaton.bpm.engine.authorization.Permissions.CREATE_INSTANCE);
        authorizations.saveAuthorization(grant);

        engineIdentity.synchronize();

        assertThat(identity.createGroupQuery().groupId(EngineIdentity.FORMER_CUSTOMER_GROUP).count()).isZero();
        assertThat(identity.createUserQuery().userId("it-former-customer").count()).isZero();
        assertThat(authorizations.createAuthorizationQuery().groupIdIn(EngineIdentity.FORMER_CUSTOMER_GROUP).count()).isZero();
    }

    @Test
    void theEnginesPasswordCheckingResourcesAreClosed() {
        Response verify = send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/engine-rest/identity/verify"))
                .header("Authorization", basicAuth("admin", "it-admin-password")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"admin\",\"password\":\"guess\"}")).build());
        assertThat(verify.status()).isEqualTo(403);
    }

    @Test
    void onlyTheClaimingTacApproverCanDecideAReview() {
        TestAccount customer = newCustomer();
        JsonNode inReview = rmaInReview(customer);
        String rmaId = inReview.path("id").asText();
        Task review = reviewTask(rmaId);
        Map<String, Object> approve = Map.of(RmaProcess.VAR_TAC_DECISION, RmaProcess.DECISION_APPROVE, RmaProcess.VAR_TAC_COMMENT, "ok");

        // Unclaimed: nobody's decision.
        assertThatThrownBy(() -> tasks.complete(review.getId(), approve)).hasMessageContaining("Claim the RMA review");
        // Claimed, but completed by nobody signed in.
        tasks.claim(review.getId(), "admin");
        assertThatThrownBy(() -> tasks.complete(review.getId(), approve)).hasMessageContaining("signed-in TAC approver");
        // Claimed and completed by someone outside tac-approvers (an administrator may complete any task, not decide an RMA).
        identity.setAuthentication("admin", List.of(Role.ADMIN.engineGroup()));
        try {
            assertThatThrownBy(() -> tasks.complete(review.getId(), approve)).hasMessageContaining("not a member of tac-approvers");
        } finally {
            identity.clearAuthentication();
        }
        tasks.setAssignee(review.getId(), null);
        // Claimed by a TAC approver, completed by someone else.
        engineIdentity.ensureUser("it-bypass-tac2", "tac-pw", "IT", "TAC", Role.TAC.engineGroup());
        tasks.claim(review.getId(), "it-bypass-tac2");
        identity.setAuthentication("admin", List.of(Role.ADMIN.engineGroup()));
        try {
            assertThatThrownBy(() -> tasks.complete(review.getId(), approve)).hasMessageContaining("only the assignee may decide");
        } finally {
            identity.clearAuthentication();
        }
        assertThat(jdbc.queryForObject("select status from rma where id = ?", String.class, UUID.fromString(rmaId))).isEqualTo("IN_REVIEW");
        assertThat(jdbc.queryForObject("select review_task_id from rma where id = ?", String.class, UUID.fromString(rmaId))).isNull();

        // The assignee, a TAC approver, decides; the reviewer on record is the task's assignee from the engine's history.
        identity.setAuthentication("it-bypass-tac2", List.of(Role.TAC.engineGroup()));
        try {
            tasks.complete(review.getId(), approve);
        } finally {
            identity.clearAuthentication();
        }
        String location = "/api/v1/rmas/" + rmaId;
        await().atMost(Duration.ofSeconds(30)).until(() -> "ISSUED".equals(get(location, customer.token()).body().path("status").asText()));
        assertThat(get(location, customer.token()).body().path("reviewedBy").asText()).isEqualTo("it-bypass-tac2");
        assertThat(jdbc.queryForObject("select actor from audit_event where subject = ? and action = 'rma.approved'", String.class,
                "rma:" + rmaId)).isEqualTo("it-bypass-tac2");
    }

    @Test
    void aStartFormSubmittedToTheEngineIsNotAnIntake() {
        TestAccount customer = newCustomer();
        Pak pak = newPak(customer, new NewLine("FL-C1111-SEC-K9", 1));
        String definitionId = repository.createProcessDefinitionQuery().processDefinitionKey(PakFulfillmentProcess.PROCESS_KEY)
                .latestVersion().singleResult().getId();
        Map<String, Object> values = new HashMap<>();
        values.put(PakFulfillmentProcess.VAR_PAK_CODE, pak.code().formatted());
        values.put(PakFulfillmentProcess.VAR_UDI, "PID:C1111-4P,SN:" + randomSerial());
        values.put(PakFulfillmentProcess.VAR_SKU, "FL-C1111-SEC-K9");
        values.put(PakFulfillmentProcess.VAR_EMAIL, customer.email());
        values.put(PakFulfillmentProcess.VAR_EULA_ACCEPTED, true);
        // An engine user without a staff role (as a customer once was) may not start the model at all.
        identity.setAuthentication(customer.id(), List.of());
        try {
            assertThatThrownBy(() -> forms.submitStartForm(definitionId, values))
                    .isInstanceOf(org.operaton.bpm.engine.AuthorizationException.class);
        } finally {
            identity.clearAuthentication();
        }
        // An administrator may, but the instance is no request: it records nothing and consumes nothing.
        identity.setAuthentication("admin", List.of(Role.ADMIN.engineGroup()));
        ProcessInstance instance;
        try {
            instance = forms.submitStartForm(definitionId, values);
        } finally {
            identity.clearAuthentication();
        }
        awaitIncident(instance.getId(), "ServiceTask_CheckUdi");
        assertThat(jdbc.queryForObject("select count(*) from fulfillment where process_instance_id = ?", Integer.class, instance.getId()))
                .isZero();
        assertThat(jdbc.queryForObject("select consumed from pak_line where id = ?", Integer.class, pak.lines().get(0).id())).isZero();
        runtime.deleteProcessInstance(instance.getId(), "test cleanup");
    }

    // ---- helpers ----

    private Response startByRest(String user, String password, String key, String activityId, Map<String, Object> variables) {
        var vars = JSON.createObjectNode();
        variables.forEach((name, value) -> vars.putObject(name).put("value", value.toString()).put("type", "String"));
        var body = JSON.createObjectNode();
        body.set("variables", vars);
        body.putArray("startInstructions").addObject().put("type", "startBeforeActivity").put("activityId", activityId);
        return send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/engine-rest/process-definition/key/" + key + "/start"))
                .header("Authorization", basicAuth(user, password)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build());
    }

    private void sign(String processInstanceId) {
        String topic = io.nodelock.fulfillment.process.PakFulfillmentProcess.TOPIC_SIGN_LICENSE;
        steps.step(topic).orElseThrow().invoke(new io.nodelock.workflow.StepContext(topic, "ServiceTask_SignLicense",
                processInstanceId, null, name -> null));
    }

    private void awaitIncident(String instance, String activityId) {
        await().atMost(Duration.ofSeconds(30)).until(() -> runtime.createIncidentQuery().processInstanceId(instance).count() == 1);
        assertThat(runtime.createIncidentQuery().processInstanceId(instance).singleResult().getActivityId()).isEqualTo(activityId);
    }

    /** An RMA that policy sends to TAC: the failed device was itself the replacement of a recent RMA. */
    private JsonNode rmaInReview(TestAccount customer) {
        Pak pak = newPak(customer, new NewLine("FL-C1111-SEC-K9", 1));
        String first = "PID:C1111-4P,SN:" + randomSerial();
        String second = "PID:C1111-4P,SN:" + randomSerial();
        String third = "PID:C1111-4P,SN:" + randomSerial();
        Response issued = post("/api/v1/fulfillments", customer.token(), fulfillmentJson(pak.code().formatted(), "FL-C1111-SEC-K9", first,
                customer.email(), false));
        assertThat(awaitOutcome(issued.headers().firstValue("Location").orElseThrow(), customer.token()).path("status").asText())
                .isEqualTo("ISSUED");
        String one = submitRma(customer, first, second);
        await().atMost(Duration.ofSeconds(30)).until(() -> "ISSUED".equals(get(one, customer.token()).body().path("status").asText()));
        String two = submitRma(customer, second, third);
        JsonNode[] last = new JsonNode[1];
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            last[0] = get(two, customer.token()).body();
            return "IN_REVIEW".equals(last[0].path("status").asText());
        });
        return last[0];
    }

    private String submitRma(TestAccount customer, String failed, String replacement) {
        ship(customer, replacement);
        Response accepted = post("/api/v1/rmas", customer.token(), """
                {"failedUdi":"%s","replacementUdi":"%s","rmaNumber":"RMA-%s","email":"%s"}""".formatted(failed, replacement,
                randomSerial(), customer.email()));
        assertThat(accepted.status()).as(accepted.raw()).isEqualTo(202);
        return accepted.headers().firstValue("Location").orElseThrow();
    }

    private Task reviewTask(String rmaId) {
        String instance = jdbc.queryForObject("select process_instance_id from rma where id = ?", String.class, UUID.fromString(rmaId));
        Task[] found = new Task[1];
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            found[0] = tasks.createTaskQuery().processInstanceId(instance).taskDefinitionKey("UserTask_ReviewRma").singleResult();
            return found[0] != null;
        });
        return found[0];
    }
}
