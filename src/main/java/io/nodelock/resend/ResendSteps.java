package io.nodelock.resend;

import static io.nodelock.resend.process.ResendProcess.*;

import io.nodelock.account.Account;
import io.nodelock.account.Accounts;
import io.nodelock.audit.AuditLog;
import io.nodelock.license.License;
import io.nodelock.license.Licenses;
import io.nodelock.licensefile.LicenseFile;
import io.nodelock.licensefile.LicenseLine;
import io.nodelock.notification.MailOutbox;
import io.nodelock.workflow.Refusal;
import io.nodelock.workflow.Step;
import io.nodelock.workflow.StepContext;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * The steps of bpmn/license-resend.bpmn, bound to its service tasks by topic. Each finds its resend by the process
 * instance, checks its preconditions in the domain's own records, and is safe to run again.
 */
@Component
class ResendSteps {

    private final Resends resends;
    private final ResendIntake intake;
    private final Licenses licenses;
    private final Accounts accounts;
    private final MailOutbox outbox;
    private final AuditLog audit;

    ResendSteps(Resends resends, ResendIntake intake, Licenses licenses, Accounts accounts, MailOutbox outbox, AuditLog audit) {
        this.resends = resends;
        this.intake = intake;
        this.licenses = licenses;
        this.accounts = accounts;
        this.outbox = outbox;
        this.audit = audit;
    }

    /** check-resend-request: the device is still the account's, unlocked, and holds an active license. */
    @Step(TOPIC_CHECK_RESEND_REQUEST)
    void checkRequest(StepContext step) {
        Resend r = step.rowOf(resends::findByProcessInstance, "resend");
        if (r.status() != ResendStatus.SUBMITTED) {
            return; // a replay after the file was built or the request refused
        }
        intake.ownership(r.accountId(), r.udi()).ifPresent(refusal -> {
            throw refuse(r, refusal);
        });
    }

    /**
     * assemble-license-file: a fresh file of the lines active on the device now, exactly as they were signed: after an
     * RMA or a rehost the licenses that left are gone and those received are in; ids stay, no PAK unit is used.
     */
    @Step(TOPIC_ASSEMBLE_LICENSE_FILE)
    void assembleFile(StepContext step) {
        Resend r = step.rowOf(resends::findByProcessInstance, "resend");
        if (r.status() == ResendStatus.ISSUED) {
            return; // a replay: the file was built once
        }
        if (r.status() != ResendStatus.SUBMITTED) {
            throw new IllegalStateException("resend " + r.id() + " is " + r.status() + ": refusing to build its file");
        }
        List<License> active = licenses.ofDevice(r.udi().binding(), License.Status.ACTIVE);
        if (active.isEmpty()) {
            throw refuse(r, Refusal.of(ResendRefusals.NO_ACTIVE_LICENSES, "Device " + r.udi().binding() + " holds no active license."));
        }
        List<LicenseLine> lines = active.stream().map(l -> LicenseLine.parse(l.line())).toList();
        String email = registeredAddress(r);
        resends.markIssued(r.id(), active.stream().map(License::id).toList(), LicenseFile.format(lines), email);
        audit.record(AuditLog.SYSTEM, "license.resent", "resend:" + r.id(), active.size() + " licenses of " + r.udi().binding()
                + " (" + String.join(", ", active.stream().map(License::id).toList()) + ") to " + email);
    }

    /** email-resent-licenses: the file to the account's registered address, never to one the request named. */
    @Step(TOPIC_EMAIL_RESENT_LICENSES)
    void emailLicenses(StepContext step) {
        Resend r = step.rowOf(resends::findByProcessInstance, "resend");
        if (r.status() != ResendStatus.ISSUED) {
            throw new IllegalStateException("resend " + r.id() + " is " + r.status() + ": it has no file to mail");
        }
        if (outbox.enqueue(ResendMails.resent(r, r.email()))) {
            audit.record(AuditLog.SYSTEM, "mail.queued", "resend:" + r.id(), "resent licenses to " + r.email());
        }
    }

    /** record-resend-rejection: a refusal a step recorded on the resend; tells the account why. */
    @Step(TOPIC_RECORD_RESEND_REJECTION)
    void recordRejection(StepContext step) {
        Resend r = step.rowOf(resends::findByProcessInstance, "resend");
        if (r.status() != ResendStatus.REJECTED) {
            throw new IllegalStateException("resend " + r.id() + " (" + r.status() + ") has no recorded refusal");
        }
        outbox.enqueue(ResendMails.rejected(r, registeredAddress(r), r.rejectionCode(), r.rejectionMessage()));
    }

    private String registeredAddress(Resend r) {
        return accounts.find(r.accountId()).map(Account::email).orElseThrow(() ->
                new IllegalStateException("resend " + r.id() + ": account " + r.accountId() + " is gone"));
    }

    /** Records the refusal on the resend, then hands it to the model's rejection path. */
    private RuntimeException refuse(Resend r, Refusal refusal) {
        if (resends.markRejected(r.id(), refusal.code(), refusal.message())) {
            audit.record(AuditLog.SYSTEM, "resend.refused", "resend:" + r.id(), refusal.code() + ": " + refusal.message());
        }
        return FLOW.refuse(refusal);
    }
}
