package io.nodelock.extension;

import static io.nodelock.extension.ExtensionRefusals.*;
import static io.nodelock.extension.process.ExtensionProcess.*;

import io.nodelock.audit.AuditLog;
import io.nodelock.device.Device;
import io.nodelock.device.Devices;
import io.nodelock.license.IssuedLicenseFile;
import io.nodelock.license.License;
import io.nodelock.license.LicenseIssuer;
import io.nodelock.license.Licenses;
import io.nodelock.licensefile.LicenseType;
import io.nodelock.notification.MailOutbox;
import io.nodelock.workflow.Refusal;
import io.nodelock.workflow.Step;
import io.nodelock.workflow.StepContext;
import io.nodelock.workflow.TaskText;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * The steps of bpmn/license-extension.bpmn, bound to its service tasks by topic. Each finds its request by the process
 * instance, checks its preconditions in the request's own records, and is safe to run again.
 */
@Component
class ExtensionSteps {

    private final Extensions extensions;
    private final Devices devices;
    private final Licenses licenses;
    private final LicenseIssuer issuer;
    private final MailOutbox outbox;
    private final AuditLog audit;
    private final ExtensionPolicy policy;
    private final ExtensionApprovals approvals;

    ExtensionSteps(Extensions extensions, Devices devices, Licenses licenses, LicenseIssuer issuer, MailOutbox outbox, AuditLog audit,
                   ExtensionPolicy policy, ExtensionApprovals approvals) {
        this.extensions = extensions;
        this.devices = devices;
        this.licenses = licenses;
        this.issuer = issuer;
        this.outbox = outbox;
        this.audit = audit;
        this.policy = policy;
        this.approvals = approvals;
    }

    /**
     * check-extension-policy: checks again what the intake checked (the device may have moved or been locked since),
     * then records which policy rule decides: approve at once, a TAC approver, or a TAC approver and a TAC lead.
     */
    @Step(TOPIC_CHECK_EXTENSION_POLICY)
    Map<String, Object> checkPolicy(StepContext step) {
        Extension e = step.rowOf(extensions::findByProcessInstance, "extension request");
        if (e.policyCheckedAt() == null) {
            Optional<Refusal> gone = noLongerExtendable(e);
            if (gone.isPresent()) {
                throw refuse(e, gone.get());
            }
            int prior = extensions.issuedCount(e.udi().binding(), e.feature());
            ExtensionPolicy.Verdict verdict = policy.decide(e.feature(), e.daysRequested(), prior);
            if (extensions.recordPolicy(e.id(), verdict.rule(), verdict.approveAtOnce() ? "approve" : "review", verdict.detail(),
                    verdict.needsLead(), prior + 1)) {
                audit.record(AuditLog.SYSTEM, verdict.approveAtOnce() ? "extension.auto-approved" : "extension.review-requested",
                        "extension:" + e.id(), "rule " + verdict.rule() + ": " + verdict.detail());
            }
            if (!verdict.approveAtOnce()) {
                extensions.markAwaitingTac(e.id());
            }
            e = extensions.find(e.id()).orElseThrow();
        }
        boolean needsApproval = !"approve".equals(e.policyDecision());
        Map<String, Object> result = new HashMap<>();
        result.put(VAR_NEEDS_APPROVAL, needsApproval);
        result.put(VAR_NEEDS_LEAD_APPROVAL, Boolean.TRUE.equals(e.needsLeadApproval()));
        result.put(VAR_POLICY, "Rule " + e.policyRule() + ": " + e.policyDetail());
        result.put(VAR_DEVICE_HISTORY, deviceHistory(e));
        result.put(VAR_PRIOR_DECISION, "None yet: you give the first approval.");
        result.put(VAR_GRANTED_DAYS, e.daysRequested());
        return result;
    }

    /**
     * sign-extension-license: signs the extension line, once, only as the request's records allow: approved at once by
     * a policy rule, or approved in its approval task(s), each decider taken from the engine's history of that task.
     */
    @Step(TOPIC_SIGN_EXTENSION_LICENSE)
    void signLicense(StepContext step) {
        Extension e = step.rowOf(extensions::findByProcessInstance, "extension request");
        String id = e.id().toString();
        if (issuer.fileOf(id).isPresent()) {
            return; // a replay: the line was signed once
        }
        int days = grantedDays(e);
        // Approval may come days after the request: the device may have been replaced (RMA) or moved meanwhile.
        Optional<Refusal> gone = noLongerExtendable(e);
        if (gone.isPresent()) {
            throw refuse(e, gone.get());
        }
        IssuedLicenseFile file = issuer.issueTemporary(id, "EXTENSION", e.accountId(), e.feature(), e.udi(), LicenseType.EXTENSION,
                days, e.eulaVersion());
        extensions.markIssued(e.id(), days);
        audit.record(AuditLog.SYSTEM, "license.issued", "extension:" + id, "extension " + String.join(", ", file.licenseIds())
                + " of " + e.feature() + " on " + e.udi().binding() + ": " + days + " days, EULA " + e.eulaVersion());
    }

    /** Why the request can no longer be granted (the device left the account or was locked, the license moved), if so. */
    private Optional<Refusal> noLongerExtendable(Extension e) {
        Optional<Device> device = devices.find(e.udi());
        if (device.isEmpty() || !device.get().accountId().equals(e.accountId())) {
            return Optional.of(Refusal.of(UNKNOWN_UDI, "Your account no longer holds device " + e.udi().binding() + "."));
        }
        if (device.get().locked()) {
            return Optional.of(Refusal.of(NOTHING_TO_EXTEND, "Device " + e.udi().binding() + " is locked ("
                    + device.get().lockedReason() + "): its licenses are not extended."));
        }
        if (licenses.find(e.baseLicenseId()).filter(l -> l.status() == License.Status.ACTIVE).isEmpty()) {
            return Optional.of(Refusal.of(NOTHING_TO_EXTEND, "License " + e.baseLicenseId() + " of " + e.feature()
                    + " is no longer active on " + e.udi().binding() + "."));
        }
        return Optional.empty();
    }

    /**
     * Records the refusal on the request itself, then hands it to the model's rejection path: the rejection step reads
     * the record, never the variables the error carried.
     */
    private RuntimeException refuse(Extension e, Refusal refusal) {
        if (extensions.markRejected(e.id(), refusal.code(), refusal.message())) {
            audit.record(AuditLog.SYSTEM, "extension.refused", "extension:" + e.id(), refusal.code() + ": " + refusal.message());
        }
        return FLOW.refuse(refusal);
    }

    /** The days the records allow, or an exception (an incident) when they allow none. */
    private int grantedDays(Extension e) {
        if (e.policyCheckedAt() == null) {
            throw new IllegalStateException("Extension " + e.id() + " was not checked against policy: refusing to sign");
        }
        if ("approve".equals(e.policyDecision()) && !Boolean.TRUE.equals(e.needsLeadApproval())) {
            if (e.status() != ExtensionStatus.SUBMITTED) {
                throw new IllegalStateException("Extension " + e.id() + " is " + e.status() + ": refusing to sign");
            }
            return e.daysRequested();
        }
        List<ExtensionDecision> decisions = extensions.decisions(e.id());
        ExtensionDecision first = decisions.stream().filter(d -> d.round() == 1).findFirst().orElseThrow(() ->
                new IllegalStateException("Extension " + e.id() + " needs a TAC approval and has none: refusing to sign"));
        if (!first.approved()) {
            throw new IllegalStateException("Extension " + e.id() + " was rejected by " + first.decidedBy() + ": refusing to sign");
        }
        approvals.deciderOf(e, first);
        int days = first.days();
        if (Boolean.TRUE.equals(e.needsLeadApproval())) {
            ExtensionDecision second = decisions.stream().filter(d -> d.round() == 2).findFirst().orElseThrow(() ->
                    new IllegalStateException("Extension " + e.id() + " needs a TAC lead's approval and has none: refusing to sign"));
            if (!second.approved()) {
                throw new IllegalStateException("Extension " + e.id() + " was rejected by " + second.decidedBy() + ": refusing to sign");
            }
            if (approvals.deciderOf(e, second).equals(first.decidedBy())) {
                throw new IllegalStateException("Extension " + e.id() + " was approved twice by " + first.decidedBy() + ": refusing to sign");
            }
            days = Math.min(days, second.days());
        }
        return days;
    }

    /** email-extension-license: queues the mail with the extension line. */
    @Step(TOPIC_EMAIL_EXTENSION_LICENSE)
    void emailLicense(StepContext step) {
        Extension e = step.rowOf(extensions::findByProcessInstance, "extension request");
        IssuedLicenseFile file = issuer.fileOf(e.id().toString()).orElseThrow(() ->
                new IllegalStateException("Extension " + e.id() + " has no license file"));
        if (outbox.enqueue(ExtensionMails.issued(e, file, e.daysGranted()))) {
            audit.record(AuditLog.SYSTEM, "mail.queued", "extension:" + e.id(), "extension license to " + e.email());
        }
    }

    /**
     * record-extension-rejection: a refusal a step recorded on the request, or a rejection as an approval task
     * recorded it (never as process variables say); tells the customer why.
     */
    @Step(TOPIC_RECORD_EXTENSION_REJECTION)
    void recordRejection(StepContext step) {
        Extension e = step.rowOf(extensions::findByProcessInstance, "extension request");
        String code;
        String message;
        Optional<ExtensionDecision> rejection = extensions.decisions(e.id()).stream().filter(d -> !d.approved()).findFirst();
        if (e.status() == ExtensionStatus.REJECTED) {
            code = e.rejectionCode();
            message = e.rejectionMessage();
        } else if (rejection.isPresent()) {
            String decider = approvals.deciderOf(e, rejection.get());
            code = TAC_REJECTED;
            message = rejection.get().comment();
            if (extensions.markRejected(e.id(), code, message)) {
                audit.record(decider, "extension.closed", "extension:" + e.id(), "rejected in round " + rejection.get().round());
            }
        } else {
            throw new IllegalStateException("Extension " + e.id() + " (" + e.status() + ") has no recorded rejection: refusing to reject it");
        }
        outbox.enqueue(ExtensionMails.rejected(e, code, message));
    }

    /** What an approver needs to see: the device, its licenses of every kind, and earlier evaluations and extensions. */
    private String deviceHistory(Extension e) {
        StringBuilder history = new StringBuilder();
        devices.find(e.udi()).ifPresent(d -> history.append("Device ").append(d.udi()).append(", account ").append(d.accountId())
                .append(", first licensed ").append(d.firstSeenAt()).append(d.locked() ? ", LOCKED: " + d.lockedReason() : "")
                .append('\n'));
        for (License.Status status : License.Status.values()) {
            for (License l : licenses.ofDevice(e.udi().binding(), status)) {
                history.append("License ").append(l.id()).append(": ").append(l.feature()).append(' ').append(l.type().wireName())
                        .append(l.usageDays() > 0 ? " " + l.usageDays() + " days of use" : "")
                        .append(l.count() > 0 ? " count " + l.count() : "").append(", ").append(status)
                        .append(", issued ").append(l.issuedAt()).append('\n');
            }
        }
        for (Extension earlier : extensions.ofDevice(e.udi().binding(), e.feature())) {
            if (!earlier.id().equals(e.id())) {
                history.append("Extension request ").append(earlier.createdAt()).append(": ").append(earlier.daysRequested())
                        .append(" days asked, ").append(earlier.status())
                        .append(earlier.daysGranted() == null ? "" : ", " + earlier.daysGranted() + " days granted")
                        .append(earlier.rejectionMessage() == null ? "" : " (" + earlier.rejectionMessage() + ")").append('\n');
            }
        }
        return TaskText.fit(history.toString());
    }
}
