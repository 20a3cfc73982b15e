package io.nodelock.rma;

import static io.nodelock.rma.RmaRefusals.TAC_REJECTED;
import static io.nodelock.rma.process.RmaProcess.*;

import io.nodelock.audit.AuditLog;
import io.nodelock.device.Devices;
import io.nodelock.license.IssuedLicenseFile;
import io.nodelock.license.License;
import io.nodelock.license.LicenseIssuer;
import io.nodelock.license.Licenses;
import io.nodelock.licensefile.Udi;
import io.nodelock.notification.MailOutbox;
import io.nodelock.workflow.Step;
import io.nodelock.workflow.StepContext;
import io.nodelock.workflow.TaskText;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * The steps of bpmn/rma-license-transfer.bpmn, bound to its service tasks by topic. Each finds its RMA by the process
 * instance, checks its preconditions in the RMA's own record, and is safe to run again.
 */
@Component
class RmaSteps {

    private final Rmas rmas;
    private final Devices devices;
    private final Licenses licenses;
    private final LicenseIssuer issuer;
    private final MailOutbox outbox;
    private final AuditLog audit;
    private final RmaProperties properties;
    private final RmaReviews reviews;

    RmaSteps(Rmas rmas, Devices devices, Licenses licenses, LicenseIssuer issuer, MailOutbox outbox, AuditLog audit,
             RmaProperties properties, RmaReviews reviews) {
        this.rmas = rmas;
        this.devices = devices;
        this.licenses = licenses;
        this.issuer = issuer;
        this.outbox = outbox;
        this.audit = audit;
        this.properties = properties;
        this.reviews = reviews;
    }


    /** lock-failed-device: locks the failed UDI at once and decides whether policy asks for a TAC review. */
    @Step(TOPIC_LOCK_FAILED_DEVICE)
    Map<String, Object> lockFailedDevice(StepContext step) {
        Rma rma = step.rowOf(rmas::findByProcessInstance, "RMA");
        Udi failed = rma.failedUdi();
        if (devices.lock(failed, "RMA " + rma.rmaNumber())) {
            audit.record(AuditLog.SYSTEM, "device.locked", "rma:" + rma.id(), failed.binding() + " locked for RMA " + rma.rmaNumber());
        }
        List<String> reasons = new ArrayList<>();
        int open = rmas.openRmas(rma.accountId());
        if (open > properties.maxOpenPerAccount()) {
            reasons.add("the account has " + open + " open RMAs (policy limit " + properties.maxOpenPerAccount() + ")");
        }
        Instant since = Instant.now().minus(properties.recentReplacementWindow());
        rmas.asReplacement(failed.binding()).stream().filter(r -> r.createdAt().isAfter(since)).findFirst().ifPresent(r ->
                reasons.add("the failed device was itself the replacement in RMA " + r.rmaNumber() + " on " + r.createdAt()));
        String reason = String.join("; ", reasons);
        rmas.markPolicyChecked(rma.id());
        if (!reasons.isEmpty()) {
            rmas.markInReview(rma.id(), reason);
            audit.record(AuditLog.SYSTEM, "rma.review-requested", "rma:" + rma.id(), reason);
        }
        Map<String, Object> result = new HashMap<>();
        result.put(VAR_NEEDS_REVIEW, !reasons.isEmpty());
        result.put(VAR_REVIEW_REASON, reasons.isEmpty() ? "within policy" : reason);
        result.put(VAR_DEVICE_HISTORY, deviceHistory(failed));
        result.put(VAR_RMA_ID, rma.id().toString());
        return result;
    }

    /**
     * sign-replacement-licenses: reissues the failed device's active licenses for the replacement, once. Runs only
     * when the RMA's own record allows it: policy was checked by this RMA's lock step and either needed no review,
     * or a TAC approver approved in the review task (the approver is taken from the engine's history of that task).
     */
    @Step(TOPIC_SIGN_REPLACEMENT_LICENSES)
    void signReplacementLicenses(StepContext step) {
        Rma rma = step.rowOf(rmas::findByProcessInstance, "RMA");
        String rmaId = rma.id().toString();
        Optional<IssuedLicenseFile> done = issuer.fileOf(rmaId);
        if (done.isPresent()) {
            return; // a replay of the step: the licenses were reissued once
        }
        if (rma.policyCheckedAt() == null) {
            throw new IllegalStateException("RMA " + rmaId + " was not checked against policy: refusing to reissue licenses");
        }
        String reviewer = null;
        if (rma.status() == RmaStatus.IN_REVIEW) {
            if (!DECISION_APPROVE.equals(rma.reviewDecision())) {
                throw new IllegalStateException("RMA " + rmaId + " needs a TAC approval and has none: refusing to reissue licenses");
            }
            reviewer = reviews.reviewerOf(rma);
        } else if (rma.status() != RmaStatus.SUBMITTED) {
            throw new IllegalStateException("RMA " + rmaId + " is " + rma.status() + ": refusing to reissue licenses");
        }
        Udi failed = rma.failedUdi();
        Udi replacement = rma.replacementUdi();
        // Row locks: a rehost signing at the same moment waits, then finds these licenses retired.
        List<License> originals = licenses.ofDeviceForUpdate(failed.binding(), License.Status.ACTIVE);
        // The replacement must be (or become) this account's device; another account may have claimed it since intake.
        // The replacement was the account's at intake (a shipping record); an operator may have released it since.
        String owner = devices.owner(replacement).orElse(null);
        if (!rma.accountId().equals(owner)) {
            throw new IllegalStateException("RMA " + rmaId + ": replacement " + replacement.binding()
                    + " is no longer the account's device: refusing to reissue licenses to it");
        }
        IssuedLicenseFile file = issuer.reissue(rmaId, "RMA", rma.accountId(), originals, replacement);
        licenses.retireAll(originals.stream().map(License::id).toList(), License.Status.REPLACED);
        if (reviewer != null) {
            audit.record(reviewer, "rma.approved", "rma:" + rma.id(), rma.reviewComment());
        }
        rmas.markIssued(rma.id());
        audit.record(AuditLog.SYSTEM, "license.reissued", "rma:" + rma.id(), originals.size() + " licenses of " + failed.binding()
                + " reissued for " + replacement.binding() + " as " + String.join(", ", file.licenseIds()));
    }

    /** email-replacement-licenses: queues the mail with the replacement's license file. */
    @Step(TOPIC_EMAIL_REPLACEMENT_LICENSES)
    void emailReplacementLicenses(StepContext step) {
        Rma rma = step.rowOf(rmas::findByProcessInstance, "RMA");
        String rmaId = rma.id().toString();
        IssuedLicenseFile file = issuer.fileOf(rmaId).orElseThrow(() -> new IllegalStateException("RMA " + rmaId + " has no license file"));
        if (outbox.enqueue(RmaMails.licensesReissued(rma, file))) {
            audit.record(AuditLog.SYSTEM, "mail.queued", "rma:" + rmaId, "replacement licenses to " + rma.email());
        }
    }

    /**
     * record-rma-rejection: a TAC rejection, as the review task recorded it (never as process variables say): stores
     * the reason, unlocks the failed device (nothing moved) and tells the customer.
     */
    @Step(TOPIC_RECORD_RMA_REJECTION)
    void recordRejection(StepContext step) {
        Rma rma = step.rowOf(rmas::findByProcessInstance, "RMA");
        String rmaId = rma.id().toString();
        String code;
        String message;
        if (rma.status() == RmaStatus.REJECTED) {
            code = rma.rejectionCode();
            message = rma.rejectionMessage();
        } else if (rma.status() == RmaStatus.IN_REVIEW && rma.reviewDecision() != null && !DECISION_APPROVE.equals(rma.reviewDecision())) {
            String reviewer = reviews.reviewerOf(rma);
            code = TAC_REJECTED;
            message = DECISION_REJECT.equals(rma.reviewDecision())
                    ? (rma.reviewComment() == null || rma.reviewComment().isBlank() ? "Rejected by TAC (no reason given)" : rma.reviewComment())
                    // The review task was completed without a valid decision (e.g. over REST): the model treats it as rejected.
                    : "TAC review completed without a valid decision ('" + rma.reviewDecision() + "')";
            if (rmas.markRejected(rma.id(), code, message)) {
                audit.record(reviewer, "rma.rejected", "rma:" + rmaId, code + ": " + message);
                if (devices.unlock(rma.failedUdi(), "RMA " + rma.rmaNumber())) {
                    audit.record(AuditLog.SYSTEM, "device.unlocked", "rma:" + rmaId, rma.failedUdi().binding());
                }
            }
        } else {
            throw new IllegalStateException("RMA " + rmaId + " (" + rma.status() + ") has no recorded TAC rejection: refusing to reject it");
        }
        outbox.enqueue(RmaMails.rejected(rma, code, message));
    }

    private String deviceHistory(Udi udi) {
        StringBuilder history = new StringBuilder();
        devices.find(udi).ifPresent(d -> history.append("Device ").append(d.udi()).append(", account ").append(d.accountId())
                .append(", first licensed ").append(d.firstSeenAt()).append(d.locked() ? ", LOCKED: " + d.lockedReason() : "")
                .append('\n'));
        for (License.Status status : License.Status.values()) {
            for (License l : licenses.ofDevice(udi.binding(), status)) {
                history.append("License ").append(l.id()).append(": ").append(l.feature()).append(' ')
                        .append(l.type().wireName()).append(l.count() > 0 ? " count " + l.count() : "").append(", ")
                        .append(status).append(", issued ").append(l.issuedAt()).append('\n');
            }
        }
        for (Rma r : rmas.asReplacement(udi.binding())) {
            history.append("Replacement in RMA ").append(r.rmaNumber()).append(" for ").append(r.failedUdi()).append(" on ")
                    .append(r.createdAt()).append(" (").append(r.status()).append(")\n");
        }
        return TaskText.fit(history.toString());
    }

}
