package io.nodelock.rehost;

import static io.nodelock.rehost.process.RehostProcess.*;

import io.nodelock.audit.AuditLog;
import io.nodelock.catalogue.Catalogue;
import io.nodelock.device.Devices;
import io.nodelock.license.IssuedLicenseFile;
import io.nodelock.license.License;
import io.nodelock.license.LicenseIssuer;
import io.nodelock.license.Licenses;
import io.nodelock.license.SigningKeys;
import io.nodelock.licensefile.PermissionTicket;
import io.nodelock.licensefile.Udi;
import io.nodelock.notification.MailOutbox;
import io.nodelock.rehost.Rehosts.StoredPermissionTicket;
import io.nodelock.workflow.Step;
import io.nodelock.workflow.StepContext;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * The steps of bpmn/license-rehost.bpmn, bound to its service tasks by topic. Each finds its rehost by the process
 * instance, checks its preconditions in the rehost's own record, and is safe to run again.
 */
@Component
class RehostSteps {

    private final Rehosts rehosts;
    private final Devices devices;
    private final Licenses licenses;
    private final LicenseIssuer issuer;
    private final SigningKeys keys;
    private final Catalogue catalogue;
    private final MailOutbox outbox;
    private final AuditLog audit;
    private final RehostProperties properties;

    RehostSteps(Rehosts rehosts, Devices devices, Licenses licenses, LicenseIssuer issuer, SigningKeys keys, Catalogue catalogue,
                MailOutbox outbox, AuditLog audit, RehostProperties properties) {
        this.rehosts = rehosts;
        this.devices = devices;
        this.licenses = licenses;
        this.issuer = issuer;
        this.keys = keys;
        this.catalogue = catalogue;
        this.outbox = outbox;
        this.audit = audit;
        this.properties = properties;
    }


    /** issue-permission-ticket: signs the ticket for the source UDI and the chosen licenses, once per rehost. */
    @Step(TOPIC_ISSUE_PERMISSION_TICKET)
    Map<String, Object> issuePermissionTicket(StepContext step) {
        StoredPermissionTicket ticket = permissionTicket(step.rowOf(rehosts::findByProcessInstance, "rehost"));
        return Map.of(VAR_REHOST_ID, ticket.rehostId().toString(), VAR_PERMISSION_TICKET_ID, ticket.id(),
                VAR_PERMISSION_EXPIRES_AT, ticket.expiresAt().toString(),
                VAR_LATE_UPLOAD_DEADLINE, properties.lateUploadDeadline(ticket.expiresAt()).toString());
    }

    private StoredPermissionTicket permissionTicket(Rehost rehost) {
        String rehostId = rehost.id().toString();
        Optional<StoredPermissionTicket> done = rehosts.permissionTicketOf(rehost.id());
        if (done.isPresent()) {
            return done.get();
        }
        Instant issued = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Instant expires = issued.plus(properties.permissionValidity()).truncatedTo(ChronoUnit.SECONDS);
        PermissionTicket ticket = keys.ticketSigner().sign(PermissionTicket.of("PT-" + rehost.id(), rehost.sourceUdi(),
                rehost.licenseIds(), issued, expires));
        StoredPermissionTicket stored = new StoredPermissionTicket(ticket.ticketId(), rehost.id(), rehost.sourceUdi().binding(),
                ticket.licenseIds(), issued, expires, ticket.keyId(), ticket.toFile());
        rehosts.insertPermissionTicket(stored);
        audit.record(AuditLog.SYSTEM, "rehost.permission-ticket-issued", RehostIntake.subject(rehost.id()), "permission ticket " + ticket.ticketId()
                + " for " + String.join(", ", ticket.licenseIds()) + " on " + rehost.sourceUdi() + ", valid until " + expires
                + ", signed by " + ticket.keyId());
        return stored;
    }

    /** email-permission-ticket: queues the mail with the ticket attached; from now on the model waits for the rehost ticket. */
    @Step(TOPIC_EMAIL_PERMISSION_TICKET)
    void emailPermissionTicket(StepContext step) {
        Rehost rehost = step.rowOf(rehosts::findByProcessInstance, "rehost");
        String rehostId = rehost.id().toString();
        StoredPermissionTicket ticket = rehosts.permissionTicketOf(rehost.id()).orElseThrow(() -> new IllegalStateException(
                "rehost " + rehostId + " has no permission ticket"));
        if (outbox.enqueue(RehostMails.permissionTicket(rehost, ticket))) {
            audit.record(AuditLog.SYSTEM, "mail.queued", RehostIntake.subject(rehost.id()), "permission ticket " + ticket.id() + " to "
                    + rehost.email());
        }
        if (rehosts.markAwaiting(rehost.id())) {
            audit.record(AuditLog.SYSTEM, "rehost.awaiting-rehost-ticket", RehostIntake.subject(rehost.id()), "waiting for the rehost ticket "
                    + "until " + ticket.expiresAt());
        }
    }

    /** sign-destination-licenses: reissues the redeemed licenses for the destination and records the originals as transferred, once. */
    @Step(TOPIC_SIGN_DESTINATION_LICENSES)
    void signDestinationLicenses(StepContext step) {
        Rehost rehost = step.rowOf(rehosts::findByProcessInstance, "rehost");
        String rehostId = rehost.id().toString();
        if (issuer.fileOf(rehostId).isPresent()) {
            return; // a replay of the step: the licenses were reissued once
        }
        if (rehost.status() != RehostStatus.REHOST_TICKET_RECEIVED || rehost.destinationUdi() == null) {
            throw new IllegalStateException("rehost " + rehostId + " is " + rehost.status()
                    + " and has no redeemed rehost ticket: refusing to sign destination licenses");
        }
        Udi destination = rehost.destinationUdi();
        // Row locks: an RMA signing at the same moment waits; what it retired first is not reissued here.
        List<License> originals = licenses.findForUpdate(rehost.licenseIds(), License.Status.ACTIVE).stream()
                .filter(l -> l.udi().equals(rehost.sourceUdi().binding())).toList();
        if (originals.size() != rehost.licenseIds().size()) {
            throw new IllegalStateException("rehost " + rehostId + ": only " + originals.size() + " of " + rehost.licenseIds().size()
                    + " licenses are still active on " + rehost.sourceUdi() + " (an RMA moved them)");
        }
        IssuedLicenseFile file = issuer.reissue(rehostId, "REHOST", rehost.accountId(), originals, destination);
        licenses.retireAll(originals.stream().map(License::id).toList(), License.Status.TRANSFERRED);
        devices.registerIfAbsent(destination, rehost.accountId());
        rehosts.markIssued(rehost.id());
        audit.record(AuditLog.SYSTEM, "license.transferred", RehostIntake.subject(rehost.id()), originals.size() + " licenses of "
                + rehost.sourceUdi() + " (" + String.join(", ", originals.stream().map(License::id).toList())
                + ") reissued for " + destination.binding() + " as " + String.join(", ", file.licenseIds()));
    }

    /** email-destination-licenses: queues the mail with the destination's license file. */
    @Step(TOPIC_EMAIL_DESTINATION_LICENSES)
    void emailDestinationLicenses(StepContext step) {
        Rehost rehost = step.rowOf(rehosts::findByProcessInstance, "rehost");
        String rehostId = rehost.id().toString();
        IssuedLicenseFile file = issuer.fileOf(rehostId).orElseThrow(() -> new IllegalStateException(
                "rehost " + rehostId + " has no license file"));
        if (outbox.enqueue(RehostMails.licensesTransferred(rehost, file))) {
            audit.record(AuditLog.SYSTEM, "mail.queued", RehostIntake.subject(rehost.id()), "destination licenses to " + rehost.email());
        }
    }

    /** notify-permission-expired: the permission ticket ran out without a rehost ticket; nothing moved. */
    @Step(TOPIC_NOTIFY_PERMISSION_EXPIRED)
    void notifyPermissionExpired(StepContext step) {
        Rehost rehost = step.rowOf(rehosts::findByProcessInstance, "rehost");
        if (rehosts.markExpired(rehost.id())) {
            audit.record(AuditLog.SYSTEM, "rehost.expired", RehostIntake.subject(rehost.id()), "permission ticket " + rehost.permissionTicketId()
                    + " expired at " + rehost.expiresAt() + " without a rehost ticket");
        }
        if (outbox.enqueue(RehostMails.permissionExpired(rehost, properties.lateUploadDeadline(rehost.expiresAt())))) {
            audit.record(AuditLog.SYSTEM, "mail.queued", RehostIntake.subject(rehost.id()), "expiry notice to " + rehost.email());
        }
    }

    /** record-rehost-rejection: stores the reason and tells the customer. */
    @Step(TOPIC_RECORD_REHOST_REJECTION)
    void recordRejection(StepContext step) {
        String code = step.string(VAR_REJECTION_CODE);
        String message = step.string(VAR_REJECTION_MESSAGE);
        String processInstanceId = step.processInstanceId();
        Optional<Rehost> found = rehosts.findByProcessInstance(processInstanceId);
        if (found.isEmpty()) {
            return;
        }
        Rehost rehost = found.get();
        String subject = RehostIntake.subject(rehost.id());
        String recipient = rehost.email();
        if (rehosts.markRejected(rehost.id(), code, message)) {
            audit.record(AuditLog.SYSTEM, "rehost.rejected", subject, code + ": " + message);
        }
        if (recipient == null || recipient.length() > 320 || !RehostIntake.EMAIL.matcher(recipient).matches()) {
            return;
        }
        outbox.enqueue(RehostMails.rejected(rehost, code, message));
    }

}
