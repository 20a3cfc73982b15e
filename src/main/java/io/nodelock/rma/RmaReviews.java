package io.nodelock.rma;

import static io.nodelock.rma.process.RmaProcess.TAC_GROUP;
import static io.nodelock.rma.process.RmaProcess.VAR_TAC_COMMENT;
import static io.nodelock.rma.process.RmaProcess.VAR_TAC_DECISION;

import org.operaton.bpm.engine.HistoryService;
import org.operaton.bpm.engine.IdentityService;
import org.operaton.bpm.engine.ProcessEngineException;
import org.operaton.bpm.engine.delegate.DelegateTask;
import org.operaton.bpm.engine.delegate.TaskListener;
import org.operaton.bpm.engine.history.HistoricTaskInstance;
import org.operaton.bpm.engine.impl.identity.Authentication;
import org.springframework.context.annotation.Lazy;
import org.springframework.stereotype.Component;

/**
 * The TAC review of an RMA as the domain records it. The review task's completion listener writes the decision into
 * the RMA row, in the transaction that completes the task, and only when the task is claimed by a member of
 * {@code tac-approvers} who is the one completing it. Signing and rejecting later read that row, and take the
 * reviewer from the engine's history of the completed task: no process variable decides who approved, and an instance
 * started at an arbitrary activity finds no decision at all.
 */
@Component(io.nodelock.rma.process.RmaProcess.REVIEW_LISTENER)
class RmaReviews implements TaskListener {

    private final Rmas rmas;
    private final IdentityService identity;
    private final HistoryService history;

    RmaReviews(Rmas rmas, @Lazy IdentityService identity, @Lazy HistoryService history) {
        this.rmas = rmas;
        this.identity = identity;
        this.history = history;
    }

    /** On completion of the review task: records the decision, or refuses the completion. */
    @Override
    public void notify(DelegateTask task) {
        String assignee = task.getAssignee();
        if (assignee == null) {
            throw new ProcessEngineException("Claim the RMA review before deciding it: the decision is recorded under the assignee's name.");
        }
        Authentication current = identity.getCurrentAuthentication();
        if (current == null || current.getUserId() == null) {
            throw new ProcessEngineException("An RMA review is decided by a signed-in TAC approver, not anonymously.");
        }
        if (!current.getUserId().equals(assignee)) {
            throw new ProcessEngineException("The RMA review is claimed by " + assignee + "; only the assignee may decide it.");
        }
        if (!isTacApprover(assignee)) {
            throw new ProcessEngineException(assignee + " is not a member of " + TAC_GROUP + " and may not decide an RMA review.");
        }
        Rma rma = rmas.findByProcessInstance(task.getProcessInstanceId()).orElseThrow(() -> new ProcessEngineException(
                "process instance " + task.getProcessInstanceId() + " has no RMA"));
        Object decision = task.getVariable(VAR_TAC_DECISION);
        Object comment = task.getVariable(VAR_TAC_COMMENT);
        String recorded = decision == null ? "" : truncate(decision.toString(), 16);
        if (!rmas.recordDecision(rma.id(), task.getId(), assignee, recorded, comment == null ? null : truncate(comment.toString(), 1000))) {
            throw new ProcessEngineException("RMA " + rma.rmaNumber() + " is not waiting for a review (" + rma.status() + ")");
        }
        // The gateway after the task routes on the instance's variable; make it the recorded decision, whatever
        // task-local value the completion carried.
        task.getExecution().setVariable(VAR_TAC_DECISION, recorded);
    }

    /** The TAC engineer who decided this RMA's review, from the engine's history of the review task. */
    String reviewerOf(Rma rma) {
        if (rma.reviewTaskId() == null) {
            throw new IllegalStateException("RMA " + rma.id() + " has no recorded review");
        }
        HistoricTaskInstance task = history.createHistoricTaskInstanceQuery().taskId(rma.reviewTaskId())
                .processInstanceId(rma.processInstanceId()).finished().singleResult();
        if (task == null) {
            throw new IllegalStateException("RMA " + rma.id() + ": review task " + rma.reviewTaskId()
                    + " of its own process instance is not completed");
        }
        // Membership was checked when the task completed; a later change of groups must not strand the RMA.
        if (task.getAssignee() == null || !task.getAssignee().equals(rma.reviewedBy())) {
            throw new IllegalStateException("RMA " + rma.id() + ": review task " + task.getId() + " was completed by '"
                    + task.getAssignee() + "', who is not the recorded TAC approver");
        }
        return task.getAssignee();
    }

    private boolean isTacApprover(String userId) {
        return identity.createUserQuery().userId(userId).memberOfGroup(TAC_GROUP).count() > 0;
    }

    private static String truncate(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max);
    }
}
