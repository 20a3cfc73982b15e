package io.nodelock.extension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.nodelock.account.Role;
import io.nodelock.licensefile.LicenseFile;
import io.nodelock.licensefile.LicenseLine;
import io.nodelock.licensefile.LicenseType;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.operaton.bpm.engine.IdentityService;
import org.operaton.bpm.engine.ManagementService;
import org.operaton.bpm.engine.RuntimeService;
import org.operaton.bpm.engine.TaskService;
import org.operaton.bpm.engine.impl.util.ClockUtil;
import org.operaton.bpm.engine.runtime.Job;
import org.operaton.bpm.engine.task.IdentityLink;
import org.operaton.bpm.engine.task.Task;
import org.springframework.beans.factory.annotation.Autowired;

/** Every path of bpmn/license-extension.bpmn on PostgreSQL: policy, one and two approvals, rejection, escalation, four eyes. */
class ExtensionFlowIT extends ExtensionSupport {

    @Autowired
    TaskService tasks;
    @Autowired
    IdentityService identity;
    @Autowired
    ManagementService management;
    @Autowired
    RuntimeService runtime;


    @Test
    void aFirstShortExtensionIsApprovedByPolicyAndSignedUnderTheAcceptedEula() throws Exception {
        TestAccount customer = newCustomer();
        Evaluation eval = evaluate(customer);

        Response accepted = post("/api/v1/licenses/" + eval.licenseId() + "/extend", customer.token(), extendJson(20, "true"),
                "User-Agent", "extension-it/1");
        assertThat(accepted.status()).as(accepted.raw()).isEqualTo(202);
        String location = accepted.headers().firstValue("Location").orElseThrow();
        JsonNode issued = awaitStatus(location, customer, "ISSUED");
        assertThat(issued.path("policy").path("rule").asText()).isEqualTo("first-short-extension");
        assertThat(issued.path("policy").path("extensionNumber").asInt()).isEqualTo(1);
        assertThat(issued.path("daysGranted").asInt()).isEqualTo(20);
        assertThat(issued.path("decisions")).isEmpty();
        assertThat(issued.path("extendsLicense").asText()).isEqualTo(eval.licenseId());

        LicenseLine line = extensionLine(issued, customer);
        assertThat(line.type()).isEqualTo(LicenseType.EXTENSION);
        assertThat(line.usageDays()).isEqualTo(20);
        assertThat(line.feature()).isEqualTo("securityk9");
        assertThat(line.udi().binding()).isEqualTo(eval.udi());
        assertThat(line.eulaVersion()).isEqualTo(eulas.current().version());

        // The consent is recorded with the request: version, text hash, who, and where it came from.
        Map<String, Object> consent = jdbc.queryForMap("select * from eula_consent where subject = ?", "extension:" + issued.path("id").asText());
        assertThat(consent.get("eula_version")).isEqualTo(eulas.current().version());
        assertThat(consent.get("text_sha256")).isEqualTo(eulas.current().sha256());
        assertThat(consent.values()).contains(customer.id(), "extension-it/1");

        awaitMailSent(issued);
        assertThat(auditActions(issued)).contains("extension.requested", "extension.auto-approved", "license.issued");
        assertEndEvent(issued, "EndEvent_ExtensionIssued");
    }

    @Test
    void aLongerExtensionIsApprovedByOneTacApproverWhoMayLowerTheDays() throws Exception {
        TestAccount customer = newCustomer();
        Evaluation eval = evaluate(customer);
        String location = extend(customer, eval, 45);
        JsonNode waiting = awaitStatus(location, customer, "AWAITING_TAC");
        assertThat(waiting.path("policy").path("rule").asText()).isEqualTo("no-rule-matched");

        Task task = awaitTask(waiting, "UserTask_ApproveExtension");
        // The list shows the business facts and a due date: an approver picks without opening the task.
        assertThat(task.getName()).contains("securityk9", "+45 days", eval.udi(), customer.id());
        assertThat(task.getDueDate()).isCloseTo(Date.from(Instant.now().plus(Duration.ofHours(8))), 120_000);
        Map<String, Object> form = tasks.getVariables(task.getId());
        assertThat(form.get("deviceHistory").toString()).contains(eval.licenseId(), "evaluation", eval.udi());

        String tac = tacUser(Role.TAC);
        decide(task, tac, "approve", 40, "Lab trial runs two more weeks");
        JsonNode issued = awaitStatus(location, customer, "ISSUED");
        assertThat(issued.path("daysGranted").asInt()).isEqualTo(40);
        assertThat(issued.path("decisions").get(0).path("decidedBy").asText()).isEqualTo(tac);
        assertThat(extensionLine(issued, customer).usageDays()).isEqualTo(40);
        assertThat(jdbc.queryForList("select actor from audit_event where subject = ? and action = 'extension.approved'", String.class,
                "extension:" + issued.path("id").asText())).containsExactly(tac);
        awaitMailSent(issued);
    }

    @Test
    void aLargeExtensionNeedsATacLeadAfterTheApproverAndTheSamePersonCannotGiveBoth() throws Exception {
        TestAccount customer = newCustomer();
        Evaluation eval = evaluate(customer);
        String location = extend(customer, eval, 90);
        JsonNode waiting = awaitStatus(location, customer, "AWAITING_TAC");
        assertThat(waiting.path("policy").path("rule").asText()).isEqualTo("lead-approval-above-days");
        assertThat(waiting.path("policy").path("needsLeadApproval").asBoolean()).isTrue();

        // One person in both groups approves first, then tries to confirm too: refused, the task stays open.
        String both = tacUser(Role.TAC);
        engineIdentity.ensureUser(both, "pw", "IT", "Both", Role.TAC_LEAD.engineGroup());
        decide(awaitTask(waiting, "UserTask_ApproveExtension"), both, "approve", 75, "Customer pilot extended");
        JsonNode awaitingLead = awaitStatus(location, customer, "AWAITING_LEAD");
        Task confirm = awaitTask(awaitingLead, "UserTask_ConfirmExtension");
        assertThat(confirm.getName()).contains("+75 days");
        assertThat(candidateGroups(confirm)).containsExactly("tac-leads");
        assertThatThrownBy(() -> decide(confirm, both, "approve", 75, "me again")).hasMessageContaining("another person");
        assertThat(tasks.createTaskQuery().taskId(confirm.getId()).singleResult()).isNotNull();

        // A lead may lower the days further, never raise them above the first approval.
        String lead = tacUser(Role.TAC_LEAD);
        tasks.setAssignee(confirm.getId(), null);
        assertThatThrownBy(() -> decide(confirm, lead, "approve", 80, "more")).hasMessageContaining("from 1 to 75");
        decide(confirm, lead, "approve", 70, "Confirmed");
        JsonNode issued = awaitStatus(location, customer, "ISSUED");
        assertThat(issued.path("daysGranted").asInt()).isEqualTo(70);
        assertThat(issued.path("decisions")).extracting(d -> d.path("decidedBy").asText()).containsExactly(both, lead);
        assertThat(extensionLine(issued, customer).usageDays()).isEqualTo(70);
    }

    @Test
    void aRejectionIsMailedWithItsReason() throws Exception {
        TestAccount customer = newCustomer();
        Evaluation eval = evaluate(customer);
        String location = extend(customer, eval, 45);
        Task task = awaitTask(awaitStatus(location, customer, "AWAITING_TAC"), "UserTask_ApproveExtension");
        String tac = tacUser(Role.TAC);
        assertThatThrownBy(() -> decide(task, tac, "reject", null, " ")).hasMessageContaining("reason");
        tasks.setAssignee(task.getId(), null);
        decide(task, tac, "reject", null, "Buy the permanent license: the trial has run 60 days");

        JsonNode rejected = awaitStatus(location, customer, "REJECTED");
        assertThat(rejected.path("rejection").path("code").asText()).isEqualTo("TAC_REJECTED");
        assertThat(rejected.path("rejection").path("message").asText()).contains("Buy the permanent license");
        assertThat(get(location + "/license-file", customer.token()).status()).isEqualTo(409);
        awaitMailSent(rejected);
        assertThat(jdbc.queryForObject("select body from mail_outbox where operation_id = ?", String.class,
                "extension-rejection-mail:" + rejected.path("id").asText())).contains("Buy the permanent license");
        assertEndEvent(rejected, "EndEvent_ExtensionRejected");
        // The request is closed: the customer may ask again.
        assertThat(post("/api/v1/licenses/" + eval.licenseId() + "/extend", customer.token(), extendJson(10, "true")).status()).isEqualTo(202);
    }

    @Test
    void anOverdueApprovalEscalatesToTheLeadsOnTheEnginesClockAndTheCustomerIsToldItIsLate() throws Exception {
        TestAccount customer = newCustomer();
        Evaluation eval = evaluate(customer);
        String location = extend(customer, eval, 45);
        JsonNode waiting = awaitStatus(location, customer, "AWAITING_TAC");
        Task task = awaitTask(waiting, "UserTask_ApproveExtension");
        String lead = tacUser(Role.TAC_LEAD);
        assertThat(candidateGroups(task)).containsExactly("tac-approvers");

        Job timer = management.createJobQuery().processInstanceId(task.getProcessInstanceId()).timers().singleResult();
        assertThat(timer.getDuedate()).isCloseTo(task.getDueDate(), 2_000);
        String id = waiting.path("id").asText();
        try {
            // The job executor sees the timer due on the engine's clock and fires it, as it would eight hours later.
            ClockUtil.setCurrentTime(Date.from(Instant.now().plus(Duration.ofHours(8)).plus(Duration.ofMinutes(1))));
            await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.queryForObject(
                    "select escalated_at is not null from license_extension where id = ?", Boolean.class, UUID.fromString(id)));
        } finally {
            ClockUtil.reset();
        }
        assertThat(management.createJobQuery().jobId(timer.getId()).count()).as("the timer fired once and is gone").isZero();
        Task overdue = tasks.createTaskQuery().taskId(task.getId()).singleResult();
        assertThat(overdue.getName()).startsWith("OVERDUE Approve extension");
        assertThat(candidateGroups(overdue)).containsExactlyInAnyOrder("tac-approvers", "tac-leads");
        JsonNode escalated = get(location, customer.token()).body();
        assertThat(escalated.path("escalatedAt").isNull()).isFalse();
        await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.queryForObject("select count(*) from mail_outbox where operation_id = ? "
                + "and status = 'SENT'", Integer.class, "extension-late-mail:" + escalated.path("id").asText()) == 1);

        // Once escalated, a TAC lead (not a TAC approver) may decide the first approval.
        decide(overdue, lead, "approve", null, "Approved on escalation");
        JsonNode issued = awaitStatus(location, customer, "ISSUED");
        assertThat(issued.path("daysGranted").asInt()).isEqualTo(45);
        assertThat(auditActions(issued)).contains("extension.escalated", "extension.approved");
    }

    @Test
    void theRequesterCannotApproveTheirOwnRequestAndNeitherCanSomeoneOutsideTac() throws Exception {
        // A TAC engineer who also holds a device asks for an extension on it: four eyes refuse their own approval.
        TestAccount engineer = newAccount(EnumSet.of(Role.CUSTOMER, Role.TAC));
        engineIdentity.ensureUser(engineer.id(), "pw", "IT", "Engineer", Role.TAC.engineGroup());
        Evaluation eval = evaluate(engineer);
        String location = extend(engineer, eval, 45);
        Task task = awaitTask(awaitStatus(location, engineer, "AWAITING_TAC"), "UserTask_ApproveExtension");
        assertThatThrownBy(() -> decide(task, engineer.id(), "approve", null, "mine")).hasMessageContaining("four eyes");
        assertThat(tasks.createTaskQuery().taskId(task.getId()).singleResult()).isNotNull();

        // An operator is not a TAC approver: the engine refuses the claim (no task permission), and the listener would too.
        tasks.setAssignee(task.getId(), null);
        engineIdentity.ensureUser("it-ext-operator", "pw", "IT", "Operator", Role.OPERATOR.engineGroup());
        assertThatThrownBy(() -> decide(task, "it-ext-operator", "approve", null, "not mine to decide"))
                .isInstanceOf(org.operaton.bpm.engine.AuthorizationException.class);
        assertThat(tasks.createTaskQuery().taskId(task.getId()).singleResult()).isNotNull();
        assertThat(get(location, engineer.token()).body().path("status").asText()).isEqualTo("AWAITING_TAC");

        String tac = tacUser(Role.TAC);
        decide(task, tac, "approve", null, "Approved by someone else");
        assertThat(awaitStatus(location, engineer, "ISSUED").path("decisions").get(0).path("decidedBy").asText()).isEqualTo(tac);
    }

    @Test
    void theThirdExtensionOfAFeatureNeedsATacLeadWhateverItsLength() throws Exception {
        TestAccount customer = newCustomer();
        Evaluation eval = evaluate(customer);
        awaitStatus(extend(customer, eval, 10), customer, "ISSUED");
        String second = extend(customer, eval, 10);
        JsonNode reviewed = awaitStatus(second, customer, "AWAITING_TAC");
        assertThat(reviewed.path("policy").path("rule").asText()).isEqualTo("repeated-extension");
        decide(awaitTask(reviewed, "UserTask_ApproveExtension"), tacUser(Role.TAC), "approve", null, "ok");
        awaitStatus(second, customer, "ISSUED");

        JsonNode third = awaitStatus(extend(customer, eval, 10), customer, "AWAITING_TAC");
        assertThat(third.path("policy").path("rule").asText()).isEqualTo("lead-approval-from-extension");
        assertThat(third.path("policy").path("extensionNumber").asInt()).isEqualTo(3);
        assertThat(third.path("policy").path("needsLeadApproval").asBoolean()).isTrue();
    }

    @Test
    void badRequestsAreRefusedWithTheirOwnReasonAndStoreNothing() {
        TestAccount customer = newCustomer();
        TestAccount other = newCustomer();
        Evaluation eval = evaluate(customer);
        String path = "/api/v1/licenses/" + eval.licenseId() + "/extend";
        int before = jdbc.queryForObject("select count(*) from license_extension", Integer.class);

        // Consent is JSON true and nothing else.
        for (String notTrue : List.of("false", "null", "\"true\"", "1")) {
            Response r = post(path, customer.token(), extendJson(10, notTrue));
            assertThat(r.status()).as(notTrue + ": " + r.raw()).isIn(400, 422);
        }
        Response noConsent = post(path, customer.token(), extendJson(10, "false"));
        assertThat(noConsent.body().path("code").asText()).isEqualTo("EULA_NOT_ACCEPTED");
        Response tooMany = post(path, customer.token(), extendJson(500, "true"));
        assertThat(tooMany.status()).isEqualTo(422);
        assertThat(tooMany.body().path("code").asText()).isEqualTo("DAYS_OUT_OF_RANGE");
        Response zero = post(path, customer.token(), extendJson(0, "true"));
        assertThat(zero.body().path("code").asText()).isEqualTo("DAYS_OUT_OF_RANGE");
        Response foreign = post(path, other.token(), extendJson(10, "true"));
        assertThat(foreign.status()).isEqualTo(404);
        assertThat(foreign.body().path("code").asText()).isEqualTo("UNKNOWN_LICENSE");
        Response foreignDevice = post("/api/v1/extensions", other.token(), """
                {"udi":"%s","feature":"securityk9","days":10,"reason":"r","email":"%s","eulaVersion":"%s","eulaAccepted":true}"""
                .formatted(eval.udi(), other.email(), eulas.current().version()));
        assertThat(foreignDevice.status()).isEqualTo(404);
        assertThat(foreignDevice.body().path("code").asText()).isEqualTo("UNKNOWN_UDI");
        Response nothing = post("/api/v1/extensions", customer.token(), """
                {"udi":"%s","feature":"uck9","days":10,"reason":"r","email":"%s","eulaVersion":"%s","eulaAccepted":true}"""
                .formatted(eval.udi(), customer.email(), eulas.current().version()));
        assertThat(nothing.status()).isEqualTo(409);
        assertThat(nothing.body().path("code").asText()).isEqualTo("NOTHING_TO_EXTEND");
        Response missing = post(path, customer.token(), "{\"days\":10}");
        assertThat(missing.status()).isEqualTo(400);
        assertThat(jdbc.queryForObject("select count(*) from license_extension", Integer.class)).isEqualTo(before);

        // One open request per feature and device.
        String first = extend(customer, eval, 45);
        awaitStatus(first, customer, "AWAITING_TAC");
        Response second = post(path, customer.token(), extendJson(45, "true"));
        assertThat(second.status()).isEqualTo(409);
        assertThat(second.body().path("code").asText()).isEqualTo("EXTENSION_OPEN");
    }

    @Test
    void anInstanceMovedPastItsApprovalByTheEngineApiSignsNothing() {
        TestAccount customer = newCustomer();
        Evaluation eval = evaluate(customer);
        String location = extend(customer, eval, 45);
        JsonNode waiting = awaitStatus(location, customer, "AWAITING_TAC");
        String instance = instanceOf(waiting);
        // What an engine administrator (or an attacker with engine access) could do: jump to signing with forged variables.
        runtime.createProcessInstanceModification(instance).startBeforeActivity("ServiceTask_SignExtensionLicense")
                .setVariable("extensionDecision", "approve").setVariable("grantedDays", 45).execute();
        await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.queryForObject(
                "select count(*) from act_ru_incident where proc_inst_id_ = ?", Integer.class, instance) == 1);
        assertThat(jdbc.queryForObject("select incident_msg_ from act_ru_incident where proc_inst_id_ = ?", String.class, instance))
                .contains("needs a TAC approval and has none");
        JsonNode after = get(location, customer.token()).body();
        assertThat(after.path("status").asText()).isEqualTo("AWAITING_TAC");
        assertThat(after.path("licenseIds")).isEmpty();
        assertThat(jdbc.queryForObject("select count(*) from license_file where issue_id = ?", Integer.class,
                UUID.fromString(after.path("id").asText()))).isZero();
    }

    @Test
    void anInstanceTheIntakeDidNotStartSignsNothingAndOnlyAdministratorsMayStartOne() {
        TestAccount customer = newCustomer();
        Evaluation eval = evaluate(customer);
        String forged = """
                {"variables":{"udi":{"value":"%s","type":"String"},"feature":{"value":"securityk9","type":"String"},
                 "days":{"value":180,"type":"Integer"},"extensionDecision":{"value":"approve","type":"String"}},
                 "startInstructions":[{"type":"startBeforeActivity","activityId":"ServiceTask_SignExtensionLicense"}]}"""
                .formatted(eval.udi());
        String tac = tacUser(Role.TAC);
        assertThat(startByRest(tac, forged).status()).isEqualTo(403);
        Response started = startByRest("admin", forged);
        assertThat(started.status()).as(started.raw()).isEqualTo(200);
        String instance = started.body().path("id").asText();
        await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.queryForObject(
                "select count(*) from act_ru_incident where proc_inst_id_ = ?", Integer.class, instance) == 1);
        assertThat(jdbc.queryForObject("select incident_msg_ from act_ru_incident where proc_inst_id_ = ?", String.class, instance))
                .contains("was not started by Nodelock's intake");
        assertThat(jdbc.queryForObject("select count(*) from license where udi = ? and license_type = 'EXTENSION'", Integer.class,
                eval.udi())).isZero();
        runtime.deleteProcessInstance(instance, "test cleanup");
    }

    @Test
    void aValuePlantedOnTheTaskOrLeftByAnEarlierRoundNeverDecides() {
        TestAccount engineer = newAccount(EnumSet.of(Role.CUSTOMER, Role.TAC));
        engineIdentity.ensureUser(engineer.id(), "pw", "IT", "Engineer", Role.TAC.engineGroup());
        Evaluation eval = evaluate(engineer);
        String location = extend(engineer, eval, 90);
        Task task = awaitTask(awaitStatus(location, engineer, "AWAITING_TAC"), "UserTask_ApproveExtension");
        // The requester, a TAC member, may not decide but may write the task's own variables: planted, they are refused.
        identity.setAuthentication(engineer.id(), List.of(Role.TAC.engineGroup()));
        try {
            tasks.setVariableLocal(task.getId(), "extensionDecision", "approve");
        } finally {
            identity.clearAuthentication();
        }
        String colleague = tacUser(Role.TAC);
        assertThatThrownBy(() -> decide(task, colleague, "reject", null, "No: buy the license")).hasMessageContaining("carries its own");
        tasks.removeVariableLocal(task.getId(), "extensionDecision");
        tasks.setAssignee(task.getId(), null);

        // A routing variable sent with the approval does not skip the lead: the gateway routes on the request's record.
        identity.setAuthentication(colleague, List.of(Role.TAC.engineGroup()));
        try {
            tasks.claim(task.getId(), colleague);
            tasks.complete(task.getId(), Map.of("extensionDecision", "approve", "needsLeadApproval", false, "decisionComment", "ok"));
        } finally {
            identity.clearAuthentication();
        }
        Task confirm = awaitTask(awaitStatus(location, engineer, "AWAITING_LEAD"), "UserTask_ConfirmExtension");
        // The first round's choice and reason do not stand as the lead's: completing without choosing is refused.
        assertThat(tasks.getVariables(confirm.getId())).doesNotContainKeys("extensionDecision", "decisionComment");
        String lead = tacUser(Role.TAC_LEAD);
        identity.setAuthentication(lead, List.of(Role.TAC_LEAD.engineGroup()));
        try {
            tasks.claim(confirm.getId(), lead);
            assertThatThrownBy(() -> tasks.complete(confirm.getId())).hasMessageContaining("Choose approve or reject");
        } finally {
            identity.clearAuthentication();
        }
        assertThat(get(location, engineer.token()).body().path("status").asText()).isEqualTo("AWAITING_LEAD");
    }

    @Test
    void theRequesterIsKnownUnderAnotherSpellingOfTheirIdAndByTheirEmail() {
        TestAccount customer = newAccount(EnumSet.of(Role.CUSTOMER, Role.TAC));
        Evaluation eval = evaluate(customer);
        Task task = awaitTask(awaitStatus(extend(customer, eval, 45), customer, "AWAITING_TAC"), "UserTask_ApproveExtension");
        String upper = customer.id().toUpperCase();
        engineIdentity.ensureUser(upper, "pw", "IT", "Upper", Role.TAC.engineGroup());
        assertThatThrownBy(() -> decide(task, upper, "approve", null, "me")).hasMessageContaining("four eyes");
        tasks.setAssignee(task.getId(), null);
        String other = tacUser(Role.TAC);
        var user = identity.createUserQuery().userId(other).singleResult();
        user.setEmail(customer.email().toUpperCase());
        identity.saveUser(user);
        assertThatThrownBy(() -> decide(task, other, "approve", null, "me again")).hasMessageContaining("four eyes");
    }

    @Test
    void anApprovalAfterTheDeviceWasLockedIsRejectedNotSigned() {
        TestAccount customer = newCustomer();
        Evaluation eval = evaluate(customer);
        String location = extend(customer, eval, 45);
        Task task = awaitTask(awaitStatus(location, customer, "AWAITING_TAC"), "UserTask_ApproveExtension");
        devices.lock(io.nodelock.licensefile.Udi.parse(eval.udi()), "RMA test");
        decide(task, tacUser(Role.TAC), "approve", null, "ok");
        JsonNode rejected = awaitStatus(location, customer, "REJECTED");
        assertThat(rejected.path("rejection").path("code").asText()).isEqualTo("NOTHING_TO_EXTEND");
        assertThat(rejected.path("licenseIds")).isEmpty();
        assertEndEvent(rejected, "EndEvent_ExtensionRejected");
    }

    @Test
    void aCancelledInstanceEndsItsRequestSoTheCustomerMayAskAgain() {
        TestAccount customer = newCustomer();
        Evaluation eval = evaluate(customer);
        String first = extend(customer, eval, 45);
        JsonNode waiting = awaitStatus(first, customer, "AWAITING_TAC");
        runtime.deleteProcessInstance(instanceOf(waiting), "operator cancelled in Cockpit");
        assertThat(get(first, customer.token()).body().path("status").asText()).isEqualTo("CANCELLED");

        // Deleted without its listeners, the request is ended by the next request instead of blocking it for good.
        String second = extend(customer, eval, 45);
        JsonNode again = awaitStatus(second, customer, "AWAITING_TAC");
        runtime.deleteProcessInstance(instanceOf(again), "deleted skipping listeners", true);
        assertThat(get(second, customer.token()).body().path("status").asText()).isEqualTo("AWAITING_TAC");
        awaitStatus(extend(customer, eval, 45), customer, "AWAITING_TAC");
        assertThat(get(second, customer.token()).body().path("status").asText()).isEqualTo("CANCELLED");
    }

    @Test
    void onlyActiveEvaluationAndExtensionLicensesAreExtended() {
        TestAccount customer = newCustomer();
        Evaluation eval = evaluate(customer);
        String permanent = jdbc.queryForObject("select id from license where udi = ? and license_type = 'PERMANENT'", String.class, eval.udi());
        Response refused = post("/api/v1/licenses/" + permanent + "/extend", customer.token(), extendJson(10, "true"));
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.body().path("code").asText()).isEqualTo("NOTHING_TO_EXTEND");
    }

    private Response startByRest(String user, String body) {
        return send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://localhost:" + port
                        + "/engine-rest/process-definition/key/license-extension/start"))
                .header("Authorization", basicAuth(user, user.equals("admin") ? "it-admin-password" : "pw"))
                .header("Content-Type", "application/json").POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)).build());
    }

    // ---- helpers ----













    /** Claims and completes the task as {@code user}, through the engine's Java task API, signed in as that user. */
    private void decide(Task task, String user, String decision, Integer days, String comment) {
        List<String> groups = identity.createGroupQuery().groupMember(user).list().stream().map(g -> g.getId()).toList();
        identity.setAuthentication(user, groups);
        try {
            tasks.claim(task.getId(), user);
            Map<String, Object> variables = new HashMap<>();
            variables.put("extensionDecision", decision);
            variables.put("grantedDays", days);
            variables.put("decisionComment", comment);
            tasks.complete(task.getId(), variables);
        } finally {
            identity.clearAuthentication();
        }
    }

    private List<String> candidateGroups(Task task) {
        return tasks.getIdentityLinksForTask(task.getId()).stream().filter(l -> "candidate".equals(l.getType()))
                .map(IdentityLink::getGroupId).toList();
    }

    private Task awaitTask(JsonNode extension, String definitionKey) {
        String instance = instanceOf(extension);
        Task[] found = new Task[1];
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            found[0] = tasks.createTaskQuery().processInstanceId(instance).taskDefinitionKey(definitionKey).singleResult();
            return found[0] != null;
        });
        return found[0];
    }





    private LicenseLine extensionLine(JsonNode issued, TestAccount customer) {
        Response file = get(issued.path("licenseFile").asText(), customer.token());
        assertThat(file.status()).isEqualTo(200);
        List<LicenseLine> lines = LicenseFile.parse(file.raw()).lines();
        assertThat(lines).hasSize(1);
        return lines.get(0);
    }

    private void awaitMailSent(JsonNode extension) {
        String id = extension.path("id").asText();
        await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.queryForObject(
                "select count(*) from mail_outbox where audit_subject = ? and status = 'SENT' and operation_id not like 'extension-late%'",
                Integer.class, "extension:" + id) == 1);
    }

    private List<String> auditActions(JsonNode extension) {
        return jdbc.queryForList("select action from audit_event where subject = ? order by id", String.class,
                "extension:" + extension.path("id").asText());
    }

    private void assertEndEvent(JsonNode extension, String endEvent) {
        String instance = instanceOf(extension);
        await().atMost(Duration.ofSeconds(20)).ignoreExceptions().untilAsserted(() -> assertThat(jdbc.queryForObject(
                "select end_act_id_ from act_hi_procinst where id_ = ?", String.class, instance)).isEqualTo(endEvent));
    }
}
