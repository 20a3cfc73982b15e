package io.nodelock.extension;

import static io.nodelock.extension.process.ExtensionProcess.*;

import io.nodelock.account.Account;
import io.nodelock.account.Accounts;
import io.nodelock.audit.AuditLog;
import io.nodelock.notification.MailOutbox;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import org.operaton.bpm.engine.HistoryService;
import org.operaton.bpm.engine.IdentityService;
import org.operaton.bpm.engine.ProcessEngineException;
import org.operaton.bpm.engine.delegate.DelegateTask;
import org.operaton.bpm.engine.delegate.TaskListener;
import org.operaton.bpm.engine.history.HistoricTaskInstance;
import org.operaton.bpm.engine.identity.User;
import org.operaton.bpm.engine.impl.identity.Authentication;
import org.operaton.bpm.engine.impl.persistence.entity.TaskEntity;
import org.operaton.bpm.engine.impl.util.ClockUtil;
import org.springframework.context.annotation.Lazy;
import org.springframework.stereotype.Component;

/**
 * The approval tasks of an extension request as the domain sees them. On creation a task is named by its business
 * facts (feature, days, UDI, account) and gets its due date, so approvers pick from the list. On completion the
 * decision is recorded in the request's own tables, in the transaction that completes the task, and only when the
 * rules hold: the task is claimed by the signed-in person completing it, who is in the round's group, who did not ask
 * for the extension (four eyes), and who did not give the first approval when this is the second. Signing reads those
 * records and takes each decider from the engine's history of the completed task: no process variable decides.
 * Public only because the model's escalation timer reads {@link #getEscalateAfter()} through the expression language.
 */
@Component(APPROVALS_BEAN)
public class ExtensionApprovals implements TaskListener {

    private final Extensions extensions;
    private final ExtensionProperties properties;
    private final AuditLog audit;
    private final MailOutbox outbox;
    private final Accounts accounts;
    private final IdentityService identity;
    private final HistoryService history;

    ExtensionApprovals(Extensions extensions, ExtensionProperties properties, AuditLog audit, MailOutbox outbox, Accounts accounts,
                       @Lazy IdentityService identity, @Lazy HistoryService history) {
        this.accounts = accounts;
        this.extensions = extensions;
        this.properties = properties;
        this.audit = audit;
        this.outbox = outbox;
        this.identity = identity;
        this.history = history;
    }

    /** The approval's service level as an ISO-8601 duration, for the model's escalation timer. */
    public String getEscalateAfter() {
        return properties.escalateAfter().toString();
    }

    @Override
    public void notify(DelegateTask task) {
        if (EVENTNAME_CREATE.equals(task.getEventName())) {
            created(task);
        } else if (EVENTNAME_COMPLETE.equals(task.getEventName())) {
            completed(task);
        } else if (EVENTNAME_TIMEOUT.equals(task.getEventName())) {
            overdue(task);
        }
    }

    /**
     * The approval's timer ran out: the task is offered to the TAC leads as well, marked overdue in the list, and the
     * customer is told that the answer is late. Once per request, however often the timer fires.
     */
    private void overdue(DelegateTask task) {
        Extension e = extensionOf(task);
        if (!extensions.markEscalated(e.id())) {
            return;
        }
        task.addCandidateGroup(LEAD_GROUP);
        task.setPriority(Math.max(task.getPriority(), 80));
        task.setName("OVERDUE " + task.getName());
        audit.record(AuditLog.SYSTEM, "extension.escalated", "extension:" + e.id(), "no TAC decision within "
                + properties.escalateAfter() + ": offered to " + LEAD_GROUP);
        outbox.enqueue(ExtensionMails.late(e, properties.escalateAfter()));
    }

    private void created(DelegateTask task) {
        Extension e = extensionOf(task);
        int round = roundOf(task);
        if (round == 1) {
            task.setName("Approve extension: " + e.feature() + " +" + e.daysRequested() + " days on " + e.udi().binding()
                    + " for " + e.accountId());
        } else {
            int granted = extensions.decisions(e.id()).stream().filter(d -> d.round() == 1).findFirst()
                    .map(ExtensionDecision::days).orElse(e.daysRequested());
            task.setName("Confirm extension (TAC lead): " + e.feature() + " +" + granted + " days on " + e.udi().binding()
                    + " for " + e.accountId());
        }
        task.setDescription(e.policyDetail() + ". Customer's reason: " + e.reason());
        // Every round starts undecided: an earlier round's choice and reason must not stand as this round's.
        task.getExecution().removeVariable(VAR_DECISION);
        task.getExecution().removeVariable(VAR_DECISION_COMMENT);
        // The engine's clock, not the wall clock: the due date and the escalation timer must agree.
        task.setDueDate(Date.from(ClockUtil.getCurrentTime().toInstant().plus(properties.escalateAfter())));
    }

    private void completed(DelegateTask task) {
        String assignee = task.getAssignee();
        if (assignee == null) {
            throw new ProcessEngineException("Claim the extension approval before deciding it: the decision is recorded under the assignee's name.");
        }
        Authentication current = identity.getCurrentAuthentication();
        if (current == null || current.getUserId() == null) {
            throw new ProcessEngineException("An extension is decided by a signed-in TAC approver, not anonymously.");
        }
        if (!current.getUserId().equals(assignee)) {
            throw new ProcessEngineException("The extension approval is claimed by " + assignee + "; only the assignee may decide it.");
        }
        if (task instanceof TaskEntity entity && entity.getDelegationState() != null) {
            throw new ProcessEngineException("An extension approval is decided by its assignee, not delegated.");
        }
        // The decision is what the completion sets on the instance; a value planted on the task itself (by any
        // candidate, before the decider completes) would otherwise win over it.
        for (String name : List.of(VAR_DECISION, VAR_GRANTED_DAYS, VAR_DECISION_COMMENT)) {
            if (task.getVariablesLocal().containsKey(name)) {
                throw new ProcessEngineException("The approval task carries its own '" + name + "': decide through the task's form.");
            }
        }
        Extension e = extensionOf(task);
        int round = roundOf(task);
        if (isRequester(assignee, e)) {
            throw new ProcessEngineException(assignee + " asked for this extension and may not decide it: four eyes, another "
                    + "TAC approver decides.");
        }
        List<ExtensionDecision> earlier = extensions.decisions(e.id());
        Optional<ExtensionDecision> first = earlier.stream().filter(d -> d.round() == 1).findFirst();
        if (round == 1) {
            boolean allowed = isMember(assignee, TAC_GROUP) || (e.escalatedAt() != null && isMember(assignee, LEAD_GROUP));
            if (!allowed) {
                throw new ProcessEngineException(assignee + " is not a member of " + TAC_GROUP
                        + (e.escalatedAt() != null ? " or " + LEAD_GROUP : "") + " and may not decide an extension.");
            }
            if (e.status() != ExtensionStatus.AWAITING_TAC) {
                throw new ProcessEngineException("Extension " + e.id() + " is not waiting for a TAC approval (" + e.status() + ")");
            }
        } else {
            if (!isMember(assignee, LEAD_GROUP)) {
                throw new ProcessEngineException(assignee + " is not a member of " + LEAD_GROUP
                        + " and may not give the second approval of an extension.");
            }
            if (first.isEmpty() || !first.get().approved() || e.status() != ExtensionStatus.AWAITING_LEAD) {
                throw new ProcessEngineException("Extension " + e.id() + " is not waiting for a TAC lead (" + e.status() + ")");
            }
            if (first.get().decidedBy().equalsIgnoreCase(assignee)) {
                throw new ProcessEngineException(assignee + " gave the first approval of this extension; the second must come "
                        + "from another person.");
            }
        }
        Object decisionValue = task.getVariable(VAR_DECISION);
        String decision = decisionValue == null ? null : decisionValue.toString();
        if (!DECISION_APPROVE.equals(decision) && !DECISION_REJECT.equals(decision)) {
            throw new ProcessEngineException("Choose " + DECISION_APPROVE + " or " + DECISION_REJECT + " for the extension (was '"
                    + decision + "').");
        }
        Object commentValue = task.getVariable(VAR_DECISION_COMMENT);
        String comment = commentValue == null || commentValue.toString().isBlank() ? null : truncate(commentValue.toString().strip(), 1000);
        Integer days = null;
        if (DECISION_APPROVE.equals(decision)) {
            int most = round == 1 ? e.daysRequested() : first.get().days();
            days = grantedDays(task.getVariable(VAR_GRANTED_DAYS), most);
        } else if (comment == null) {
            throw new ProcessEngineException("Give the reason for the rejection: the customer receives it.");
        }
        Instant now = ClockUtil.getCurrentTime().toInstant();
        extensions.recordDecision(e.id(), new ExtensionDecision(round, task.getId(), assignee, decision, days, comment, now));
        audit.record(assignee, DECISION_APPROVE.equals(decision) ? "extension.approved" : "extension.rejected", "extension:" + e.id(),
                (round == 1 ? "TAC approval" : "TAC lead approval") + ": " + decision + (days == null ? "" : ", " + days + " days")
                        + (comment == null ? "" : "; " + comment));
        if (round == 1 && DECISION_APPROVE.equals(decision) && Boolean.TRUE.equals(e.needsLeadApproval())) {
            extensions.markAwaitingLead(e.id());
        }
        // The gateways route on the instance's variables; make them the recorded decision, whatever the completion carried.
        task.getExecution().setVariable(VAR_DECISION, decision);
        task.getExecution().setVariable(VAR_NEEDS_LEAD_APPROVAL, Boolean.TRUE.equals(e.needsLeadApproval()));
        task.getExecution().setVariable(VAR_GRANTED_DAYS, days);
        task.getExecution().removeVariable(VAR_DECISION_COMMENT);
        task.getExecution().setVariable(VAR_PRIOR_DECISION, (DECISION_APPROVE.equals(decision) ? "Approved" : "Rejected") + " by "
                + assignee + (days == null ? "" : " for " + days + " days") + (comment == null ? "" : ": " + comment));
    }

    private static int grantedDays(Object value, int most) {
        if (value == null) {
            return most;
        }
        long days;
        if (value instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) {
            days = n.longValue();
        } else {
            try {
                days = Long.parseLong(value.toString().strip());
            } catch (NumberFormatException ex) {
                throw new ProcessEngineException("Days granted must be a whole number from 1 to " + most + " (was '" + value + "').");
            }
        }
        if (days < 1 || days > most) {
            throw new ProcessEngineException("Days granted must be from 1 to " + most + ": an approval may lower the days asked "
                    + "for, never raise them (was " + days + ").");
        }
        return (int) days;
    }

    /**
     * The person who decided a round, from the engine's history of that round's task, which must be this request's own
     * completed task of that round, assigned to the recorded decider.
     */
    String deciderOf(Extension e, ExtensionDecision d) {
        HistoricTaskInstance task = history.createHistoricTaskInstanceQuery().taskId(d.taskId())
                .processInstanceId(e.processInstanceId()).finished().singleResult();
        if (task == null) {
            throw new IllegalStateException("Extension " + e.id() + ": approval task " + d.taskId()
                    + " of its own process instance is not completed");
        }
        String expectedKey = d.round() == 1 ? TASK_APPROVE : TASK_CONFIRM;
        if (!expectedKey.equals(task.getTaskDefinitionKey())) {
            throw new IllegalStateException("Extension " + e.id() + ": task " + d.taskId() + " is " + task.getTaskDefinitionKey()
                    + ", not the round " + d.round() + " approval");
        }
        if (task.getAssignee() == null || !task.getAssignee().equals(d.decidedBy())) {
            throw new IllegalStateException("Extension " + e.id() + ": approval task " + d.taskId() + " was completed by '"
                    + task.getAssignee() + "', who is not the recorded decider");
        }
        return task.getAssignee();
    }

    private Extension extensionOf(DelegateTask task) {
        return extensions.findByProcessInstance(task.getProcessInstanceId()).orElseThrow(() -> new ProcessEngineException(
                "process instance " + task.getProcessInstanceId() + " has no extension request"));
    }

    private static int roundOf(DelegateTask task) {
        return switch (task.getTaskDefinitionKey()) {
            case TASK_APPROVE -> 1;
            case TASK_CONFIRM -> 2;
            default -> throw new ProcessEngineException("task " + task.getTaskDefinitionKey() + " is not an extension approval");
        };
    }

    /**
     * Whether this engine user is the one who asked: the same id as the requesting account (in any letter case), or an
     * engine user whose e-mail is the requesting account's. Staff logins and accounts are separate; these are the links
     * between them that exist.
     */
    private boolean isRequester(String userId, Extension e) {
        if (userId.equalsIgnoreCase(e.requestedBy())) {
            return true;
        }
        User user = identity.createUserQuery().userId(userId).singleResult();
        String email = user == null ? null : user.getEmail();
        return email != null && accounts.find(e.requestedBy()).map(Account::email).filter(email::equalsIgnoreCase).isPresent();
    }

    private boolean isMember(String userId, String group) {
        return identity.createUserQuery().userId(userId).memberOfGroup(group).count() > 0;
    }

    private static String truncate(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max);
    }
}
