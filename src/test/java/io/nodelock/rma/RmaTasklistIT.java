package io.nodelock.rma;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.nodelock.account.Role;
import io.nodelock.support.TasklistSession;
import io.nodelock.support.TasklistSession.Reply;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The RMA review as staff reach it in Tasklist, over the very requests Tasklist's page sends (webapp sign-in, session
 * cookie, CSRF token, the webapps' engine API): who may claim and decide it, and what the customer sees after.
 */
class RmaTasklistIT extends RmaReviewSupport {

    private static final String DECISION = "Decision";
    private static final String REASON = "Reason (sent to the customer)";

    @Test
    void staffOutsideTacMayNeitherClaimNorDecideTheReview() {
        RmaInReview rma = rmaInReview();
        staffUser("tl-operator", "operator-pw", "Olga", "Operator", Role.OPERATOR);
        staffUser("tl-tac-c", "tac-c-pw", "Carla", "Approver", Role.TAC);
        TasklistSession tac = TasklistSession.signIn(baseUrl(), "tl-tac-c", "tac-c-pw");
        String taskId = tac.awaitTask(REVIEW_TASK, rma.id()).path("id").asText();

        // Operators may watch: the task is in their Tasklist, but neither theirs to take nor to decide.
        TasklistSession operator = TasklistSession.signIn(baseUrl(), "tl-operator", "operator-pw");
        assertThat(operator.filterTasks("All tasks").json()).extracting(t -> t.path("id").asText()).contains(taskId);
        Reply claim = operator.claim(taskId);
        assertThat(claim.status()).as(claim.toString()).isEqualTo(403);
        assertThat(claim.json().path("type").asText()).isEqualTo("AuthorizationException");
        Reply decide = operator.submitForm(taskId, Map.of("tacDecision", "approve", "tacComment", "not mine to decide"));
        assertThat(decide.status()).as(decide.toString()).isEqualTo(403);
        assertThat(tac.task(taskId).json().path("assignee").isNull()).isTrue();

        // Handed the task by a TAC member (the engine then lets its assignee work on it), the operator still cannot
        // decide it: the review's completion listener wants a member of tac-approvers.
        assertThat(tac.claim(taskId, "tl-operator").status()).isEqualTo(204);
        Reply handed = operator.submitForm(taskId, Map.of("tacDecision", "approve", "tacComment", "not mine to decide"));
        assertThat(handed.status()).as(handed.toString()).isEqualTo(500);
        assertThat(handed.message()).contains("tl-operator is not a member of tac-approvers");
        assertThat(customerView(rma).path("status").asText()).isEqualTo("IN_REVIEW");

        // The TAC member takes it back; the review is still open for TAC.
        assertThat(tac.unclaim(taskId).status()).isEqualTo(204);
        assertThat(tac.findTask(REVIEW_TASK, rma.id())).hasValueSatisfying(task ->
                assertThat(task.path("assignee").isNull()).isTrue());
    }

    @Test
    void aTacMemberCannotDecideAReviewAnotherHasClaimed() {
        RmaInReview rma = rmaInReview();
        staffUser("tl-tac-a", "tac-a-pw", "Anna", "Approver", Role.TAC);
        staffUser("tl-tac-b", "tac-b-pw", "Ben", "Approver", Role.TAC);
        TasklistSession anna = TasklistSession.signIn(baseUrl(), "tl-tac-a", "tac-a-pw");
        TasklistSession ben = TasklistSession.signIn(baseUrl(), "tl-tac-b", "tac-b-pw");
        String taskId = anna.awaitTask(REVIEW_TASK, rma.id()).path("id").asText();
        assertThat(anna.claim(taskId).status()).isEqualTo(204);

        Reply grab = ben.claim(taskId);
        assertThat(grab.status()).as(grab.toString()).isEqualTo(500);
        assertThat(grab.message()).contains("already claimed");
        Reply decide = ben.submitFormByLabel(taskId, Map.of(DECISION, "reject", REASON, "Ben says no"));
        assertThat(decide.status()).as(decide.toString()).isEqualTo(500);
        assertThat(decide.message()).contains("claimed by tl-tac-a; only the assignee may decide it");

        assertThat(ben.task(taskId).json().path("assignee").asText()).isEqualTo("tl-tac-a");
        JsonNode unchanged = customerView(rma);
        assertThat(unchanged.path("status").asText()).isEqualTo("IN_REVIEW");
        assertThat(unchanged.has("reviewedBy")).isFalse();
    }

    @Test
    void aTacApproverClaimsAndApprovesAndTheCustomerSeesTheLicensesIssued() {
        RmaInReview rma = rmaInReview();
        staffUser("tl-tac-d", "tac-d-pw", "Dana", "Approver", Role.TAC);
        TasklistSession dana = TasklistSession.signIn(baseUrl(), "tl-tac-d", "tac-d-pw");
        JsonNode task = dana.awaitTask(REVIEW_TASK, rma.id());
        String taskId = task.path("id").asText();
        assertThat(dana.candidateTasks().json()).extracting(t -> t.path("id").asText()).contains(taskId);

        // What the form shows her, by its fields' labels.
        assertThat(dana.formValue(taskId, dana.formFieldKey(taskId, "RMA number"))).isEqualTo(rma.number());
        assertThat(dana.formValue(taskId, dana.formFieldKey(taskId, "Device history")))
                .contains(rma.failedUdi()).contains("LOCKED: RMA " + rma.number()).contains("Replacement in RMA");

        assertThat(dana.claim(taskId).status()).isEqualTo(204);
        Reply approve = dana.submitFormByLabel(taskId, Map.of(DECISION, "approve", REASON, "Field failure confirmed by TAC case 4242"));
        assertThat(approve.status()).as(approve.toString()).isEqualTo(204);

        JsonNode issued = awaitStatus(rma, "ISSUED");
        assertThat(issued.path("reviewedBy").asText()).isEqualTo("tl-tac-d");
        assertThat(issued.path("reviewComment").asText()).isEqualTo("Field failure confirmed by TAC case 4242");
        assertThat(issued.path("licenseIds")).hasSize(1);
        assertThat(dana.findTask(REVIEW_TASK, rma.id())).isEmpty();
    }
}
