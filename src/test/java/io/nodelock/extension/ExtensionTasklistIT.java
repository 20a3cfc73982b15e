package io.nodelock.extension;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.nodelock.account.Role;
import io.nodelock.support.TasklistSession;
import io.nodelock.support.TasklistSession.Reply;
import java.util.EnumSet;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Extension approvals as staff reach them in Tasklist, over the very requests Tasklist's page sends (webapp sign-in,
 * session cookie, CSRF token, the webapps' engine API): the requester may not approve, nor may staff outside TAC or a
 * lead before the task escalates, and two approvals come from two people.
 */
class ExtensionTasklistIT extends ExtensionSupport {

    private static final String DECISION = "Decision";
    private static final String DAYS = "Days of use granted (at most the days asked for, or the earlier approval's)";
    private static final String REASON = "Reason (sent to the customer; required to reject)";

    @Test
    void theRequesterActingAsApproverIsRefused() {
        TestAccount engineer = newAccount(EnumSet.of(Role.CUSTOMER, Role.TAC));
        engineIdentity.ensureUser(engineer.id(), "eng-pw", "Erin", "Engineer", Role.TAC.engineGroup());
        Evaluation eval = evaluate(engineer);
        JsonNode waiting = awaitStatus(extend(engineer, eval, 45), engineer, "AWAITING_TAC");

        TasklistSession erin = TasklistSession.signIn(baseUrl(), engineer.id(), "eng-pw");
        String taskId = erin.awaitTask(APPROVAL_TASK, waiting.path("id").asText()).path("id").asText();
        assertThat(erin.claim(taskId).status()).isEqualTo(204);
        Reply own = erin.submitFormByLabel(taskId, Map.of(DECISION, "approve", REASON, "my own pilot"));
        assertThat(own.status()).as(own.toString()).isEqualTo(500);
        assertThat(own.message()).contains("asked for this extension and may not decide it");
        assertThat(get("/api/v1/extensions/" + waiting.path("id").asText(), engineer.token()).body().path("status").asText())
                .isEqualTo("AWAITING_TAC");
        assertThat(erin.task(taskId).ok()).isTrue();
    }

    @Test
    void staffOutsideTacAndLeadsBeforeEscalationMayNotDecide() {
        TestAccount customer = newCustomer();
        Evaluation eval = evaluate(customer);
        JsonNode waiting = awaitStatus(extend(customer, eval, 45), customer, "AWAITING_TAC");
        String id = waiting.path("id").asText();
        String tacId = tacUser(Role.TAC);
        String operatorId = tacUser(Role.OPERATOR);
        String leadId = tacUser(Role.TAC_LEAD);
        TasklistSession tac = TasklistSession.signIn(baseUrl(), tacId, "pw");
        TasklistSession operator = TasklistSession.signIn(baseUrl(), operatorId, "pw");
        TasklistSession lead = TasklistSession.signIn(baseUrl(), leadId, "pw");
        String taskId = tac.awaitTask(APPROVAL_TASK, id).path("id").asText();

        Reply claim = operator.claim(taskId);
        assertThat(claim.status()).as(claim.toString()).isEqualTo(403);
        assertThat(operator.submitForm(taskId, Map.of("extensionDecision", "approve")).status()).isEqualTo(403);
        // Not a candidate before the task is overdue: the lead cannot take it either.
        assertThat(lead.claim(taskId).status()).isEqualTo(403);

        // Handed the task, the operator still cannot decide it: the completion listener wants tac-approvers.
        assertThat(tac.claim(taskId, operatorId).status()).isEqualTo(204);
        Reply handed = operator.submitForm(taskId, Map.of("extensionDecision", "approve", "decisionComment", "not mine"));
        assertThat(handed.status()).as(handed.toString()).isEqualTo(500);
        assertThat(handed.message()).contains(operatorId + " is not a member of tac-approvers");
        assertThat(tac.unclaim(taskId).status()).isEqualTo(204);
        assertThat(get("/api/v1/extensions/" + id, customer.token()).body().path("decisions")).isEmpty();
    }

    @Test
    void twoApprovalsFromTwoPeopleInTasklistIssueTheLoweredDays() {
        TestAccount customer = newCustomer();
        Evaluation eval = evaluate(customer);
        String location = extend(customer, eval, 90);
        JsonNode waiting = awaitStatus(location, customer, "AWAITING_TAC");
        String id = waiting.path("id").asText();
        String tacId = tacUser(Role.TAC);
        String leadId = tacUser(Role.TAC_LEAD);
        TasklistSession tac = TasklistSession.signIn(baseUrl(), tacId, "pw");
        TasklistSession lead = TasklistSession.signIn(baseUrl(), leadId, "pw");

        String first = tac.awaitTask(APPROVAL_TASK, id).path("id").asText();
        assertThat(tac.formValue(first, "deviceHistory")).contains(eval.licenseId(), "evaluation");
        assertThat(tac.formValue(first, "policy")).contains("lead-approval-above-days");
        assertThat(tac.claim(first).status()).isEqualTo(204);
        Reply approved = tac.submitFormByLabel(first, Map.of(DECISION, "approve", DAYS, 60, REASON, "60 days is what the pilot needs"));
        assertThat(approved.status()).as(approved.toString()).isEqualTo(204);

        awaitStatus(location, customer, "AWAITING_LEAD");
        String second = lead.awaitTask(CONFIRM_TASK, id).path("id").asText();
        assertThat(lead.formValue(second, "priorDecision")).contains("Approved by " + tacId + " for 60 days");
        assertThat(lead.claim(second).status()).isEqualTo(204);
        Reply confirmed = lead.submitFormByLabel(second, Map.of(DECISION, "approve", DAYS, 45, REASON, "45 days, then buy"));
        assertThat(confirmed.status()).as(confirmed.toString()).isEqualTo(204);

        JsonNode issued = awaitStatus(location, customer, "ISSUED");
        assertThat(issued.path("daysGranted").asInt()).isEqualTo(45);
        assertThat(issued.path("decisions")).extracting(d -> d.path("decidedBy").asText()).containsExactly(tacId, leadId);
    }
}
