package io.nodelock.fulfillment;

import static io.nodelock.fulfillment.process.PakFulfillmentProcess.*;

import io.micrometer.core.instrument.MeterRegistry;
import io.nodelock.audit.AuditLog;
import io.nodelock.eula.EulaConsent;
import io.nodelock.eula.EulaConsents;
import io.nodelock.catalogue.Catalogue;
import io.nodelock.catalogue.Sku;
import io.nodelock.device.Devices;
import io.nodelock.license.IssuedLicenseFile;
import io.nodelock.license.LicenseIssuer;
import io.nodelock.licensefile.Udi;
import io.nodelock.notification.MailOutbox;
import io.nodelock.pak.PakService;
import io.nodelock.pak.Redemption;
import io.nodelock.workflow.Refusal;
import io.nodelock.workflow.RefusedException;
import io.nodelock.workflow.Step;
import io.nodelock.workflow.StepContext;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * The steps of bpmn/pak-fulfillment.bpmn, bound to its service tasks by topic. Each runs in the transaction of its
 * job, finds its fulfillment by the instance, and is safe to run again (a retry after a rollback, a replay).
 */
@Component
class FulfillmentSteps {

    private final Fulfillments fulfillments;
    private final Catalogue catalogue;
    private final PakService paks;
    private final Devices devices;
    private final LicenseIssuer issuer;
    private final MailOutbox outbox;
    private final AuditLog audit;
    private final MeterRegistry meters;
    private final EulaConsents eulas;
    private final FulfillmentRules rules;

    FulfillmentSteps(Fulfillments fulfillments, Catalogue catalogue, PakService paks, Devices devices, LicenseIssuer issuer,
                     MailOutbox outbox, AuditLog audit, MeterRegistry meters, EulaConsents eulas, FulfillmentRules rules) {
        this.eulas = eulas;
        this.rules = rules;
        this.fulfillments = fulfillments;
        this.catalogue = catalogue;
        this.paks = paks;
        this.devices = devices;
        this.issuer = issuer;
        this.outbox = outbox;
        this.audit = audit;
        this.meters = meters;
    }


    /** check-udi: the UDI is well-formed, the SKU applies to its product, the device is not another account's. */
    @Step(TOPIC_CHECK_UDI)
    void checkUdi(StepContext step) {
        check(step.rowOf(fulfillments::findByProcessInstance, "fulfillment"));
    }

    /** The checks of check-udi ({@link FulfillmentRules}); redeem-pak repeats them, so no token moved past check-udi spends a unit unchecked. */
    private void check(Fulfillment f) {
        rules.refusal(f.accountId(), sku(f), f.udi(), f.eulaAccepted()).ifPresent(refusal -> {
            throw FLOW.refuse(refusal);
        });
    }

    /** redeem-pak: one unit of the SKU's PAK line, at most once per fulfillment. */
    @Step(value = TOPIC_REDEEM_PAK, commitsAlone = true)
    void redeemPak(StepContext step) {
        Fulfillment f = step.rowOf(fulfillments::findByProcessInstance, "fulfillment");
        String fulfillmentId = f.id().toString();
        if (f.status() != FulfillmentStatus.SUBMITTED) {
            if (paks.isRedeemed(fulfillmentId)) {
                return; // a replay of the step: its unit was taken once, and that is all
            }
            throw new IllegalStateException("fulfillment " + fulfillmentId + " is " + f.status() + ": refusing to redeem a unit for it");
        }
        check(f);
        Udi udi = f.udi();
        // Claim the device for the account before any unit is used, so a unit is never spent on another's device.
        if (!devices.claim(udi, f.accountId()).equals(f.accountId())) {
            throw FLOW.refuse(FulfillmentRules.anotherAccounts(udi).orElseThrow());
        }
        Redemption redemption = paks.redeem(fulfillmentId, f.accountId(), f.pakCode(), f.sku());
        if (redemption instanceof Redemption.Refused refused) {
            throw rejected(refused.code(), refused.message());
        }
    }

    /**
     * sign-license: the signed license file of the fulfillment (the same one however often this runs). Only a
     * fulfillment that is still open and whose PAK unit was redeemed is signed, however the instance got here.
     */
    @Step(TOPIC_SIGN_LICENSE)
    void signLicense(StepContext step) {
        Fulfillment f = step.rowOf(fulfillments::findByProcessInstance, "fulfillment");
        String fulfillmentId = f.id().toString();
        if (f.status() == FulfillmentStatus.REJECTED) {
            throw new IllegalStateException("fulfillment " + fulfillmentId + " was rejected (" + f.rejectionCode()
                    + "): refusing to sign a license for it");
        }
        if (!paks.isRedeemed(fulfillmentId)) {
            throw new IllegalStateException("fulfillment " + fulfillmentId + " has no PAK redemption: refusing to sign a license for it");
        }
        Udi udi = f.udi();
        boolean first = issuer.fileOf(fulfillmentId).isEmpty();
        Sku sku = sku(f);
        // A license granted under the EULA names the version its consent was recorded for (format 2 lines).
        String eulaVersion = sku.eulaRequired() ? eulas.forSubject("fulfillment:" + fulfillmentId).stream()
                .map(EulaConsent::eulaVersion).findFirst().orElse(null) : null;
        IssuedLicenseFile file = issuer.issue(fulfillmentId, f.accountId(), sku, udi, eulaVersion);
        if (f.status() == FulfillmentStatus.SUBMITTED) {
            fulfillments.update(f, f.issue(Instant.now().truncatedTo(ChronoUnit.MICROS)));
        }
        if (first) {
            audit.record(AuditLog.SYSTEM, "license.issued", "fulfillment:" + f.id(), "licenses " + String.join(", ", file.licenseIds())
                    + " for " + f.udi() + ", signed with key " + file.keyId());
            meters.counter("nodelock.fulfillments", "outcome", "issued", "code", "ISSUED").increment();
        }
    }

    /** email-license: queues the license mail; the outbox delivers it (once per fulfillment). */
    @Step(TOPIC_EMAIL_LICENSE)
    void emailLicense(StepContext step) {
        Fulfillment f = step.rowOf(fulfillments::findByProcessInstance, "fulfillment");
        String fulfillmentId = f.id().toString();
        IssuedLicenseFile file = issuer.fileOf(fulfillmentId)
                .orElseThrow(() -> new IllegalStateException("fulfillment " + fulfillmentId + " has no license file to mail"));
        if (outbox.enqueue(FulfillmentMails.licenseIssued(f, sku(f), file))) {
            audit.record(AuditLog.SYSTEM, "mail.queued", "fulfillment:" + f.id(), "license file to " + f.email());
        }
    }

    /** record-rejection: stores the reason and queues the customer's rejection mail. */
    @Step(TOPIC_RECORD_REJECTION)
    void recordRejection(StepContext step) {
        String code = step.string(VAR_REJECTION_CODE);
        String message = step.string(VAR_REJECTION_MESSAGE);
        Optional<Fulfillment> found = fulfillments.findByProcessInstance(step.processInstanceId());
        if (found.isEmpty()) {
            return;
        }
        Fulfillment f = found.get();
        if (f.status() == FulfillmentStatus.SUBMITTED) {
            fulfillments.update(f, f.reject(code, message, Instant.now().truncatedTo(ChronoUnit.MICROS)));
            audit.record(AuditLog.SYSTEM, "fulfillment.rejected", "fulfillment:" + f.id(), code + ": " + message);
            meters.counter("nodelock.fulfillments", "outcome", "rejected", "code", code).increment();
        }
        outbox.enqueue(FulfillmentMails.rejected(f, code, message));
    }

    private Sku sku(Fulfillment f) {
        return catalogue.sku(f.sku()).orElseThrow(() -> new IllegalStateException(
                "SKU " + f.sku() + " of fulfillment " + f.id() + " is no longer in catalogue " + catalogue.revision()));
    }

    private static RefusedException rejected(String code, String message) {
        return FLOW.refuse(Refusal.of(code, message));
    }

}
