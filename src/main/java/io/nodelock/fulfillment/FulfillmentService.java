package io.nodelock.fulfillment;

import static io.nodelock.fulfillment.process.PakFulfillmentProcess.*;

import io.micrometer.core.instrument.MeterRegistry;
import io.nodelock.audit.AuditLog;
import io.nodelock.catalogue.Catalogue;
import io.nodelock.catalogue.Sku;
import io.nodelock.device.Devices;
import io.nodelock.license.IssuedLicenseFile;
import io.nodelock.license.LicenseIssuer;
import io.nodelock.licensefile.Udi;
import io.nodelock.notification.MailOutbox;
import io.nodelock.pak.PakCode;
import io.nodelock.pak.PakService;
import io.nodelock.pak.Redemption;
import io.nodelock.workflow.Refusal;
import io.nodelock.workflow.RefusedException;
import io.nodelock.workflow.NewWork;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.operaton.bpm.engine.RuntimeService;
import org.operaton.bpm.engine.runtime.ProcessInstance;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/** Accepts fulfillment requests, starts the pak-fulfillment model for them, and carries out its steps. */
@Service
public class FulfillmentService {

    public static final String UDI_INVALID = "UDI_INVALID";
    public static final String UDI_NOT_VALID_FOR_SKU = "UDI_NOT_VALID_FOR_SKU";
    public static final String DEVICE_OF_ANOTHER_ACCOUNT = "DEVICE_OF_ANOTHER_ACCOUNT";
    public static final String EULA_NOT_ACCEPTED = "EULA_NOT_ACCEPTED";
    public static final String DEVICE_LOCKED = "DEVICE_LOCKED";
    public static final String REQUEST_INVALID = "REQUEST_INVALID";
    public static final String IDEMPOTENCY_KEY_REUSED = "IDEMPOTENCY_KEY_REUSED";

    private final Fulfillments fulfillments;
    private final Catalogue catalogue;
    private final PakService paks;
    private final Devices devices;
    private final LicenseIssuer issuer;
    private final MailOutbox outbox;
    private final RuntimeService runtime;
    private final TransactionTemplate transactions;
    private final NewWork newWork;
    private final AuditLog audit;
    private final MeterRegistry meters;

    public FulfillmentService(Fulfillments fulfillments, Catalogue catalogue, PakService paks, Devices devices,
                              LicenseIssuer issuer, MailOutbox outbox, RuntimeService runtime, TransactionTemplate transactions,
                              NewWork newWork, AuditLog audit, MeterRegistry meters) {
        this.audit = audit;
        this.meters = meters;
        this.fulfillments = fulfillments;
        this.catalogue = catalogue;
        this.paks = paks;
        this.devices = devices;
        this.issuer = issuer;
        this.outbox = outbox;
        this.runtime = runtime;
        this.transactions = transactions;
        this.newWork = newWork;
    }

    /** The outcome of a submission: the fulfillment, and whether this call created it or an earlier one with the same key did. */
    public record Submission(Fulfillment fulfillment, boolean created) {
    }

    /**
     * Validates and accepts a request, then starts its process in the same transaction. With an idempotency key, a
     * retry of the same request returns the first fulfillment; the same key with a different request is refused.
     */
    public Submission submit(String accountId, FulfillmentRequest request, String idempotencyKey) {
        List<Refusal.FieldError> errors = RequestValidation.validate(request, catalogue);
        if (!errors.isEmpty()) {
            throw FLOW.refuse(Refusal.invalid(errors));
        }
        FulfillmentRequest normalized = new FulfillmentRequest(PakCode.parse(request.pakCode()).formatted(), request.sku(),
                Udi.parse(request.udi()).toString(), request.email(), request.eula());
        String fingerprint = fingerprint(normalized);
        if (idempotencyKey != null) {
            Optional<Submission> earlier = replay(accountId, idempotencyKey, fingerprint);
            if (earlier.isPresent()) {
                return earlier.get();
            }
        }
        try {
            Fulfillment created = transactions.execute(status -> create(accountId, normalized, idempotencyKey, fingerprint));
            return new Submission(created, true);
        } catch (DuplicateKeyException race) {
            // A concurrent retry with the same key won; answer with its fulfillment.
            return replay(accountId, idempotencyKey, fingerprint).orElseThrow(() -> race);
        }
    }

    private Optional<Submission> replay(String accountId, String idempotencyKey, String fingerprint) {
        return fulfillments.findByIdempotencyKey(accountId, idempotencyKey).map(existing -> {
            if (!fingerprint.equals(fulfillments.fingerprint(existing.id()).orElse(""))) {
                throw FLOW.refuse(Refusal.of(IDEMPOTENCY_KEY_REUSED, "Idempotency-Key '" + idempotencyKey
                        + "' was already used for a different request (" + existing.id() + "). Use a new key for a new request.")
                        .with("fulfillmentId", existing.id().toString()));
            }
            return new Submission(existing, false);
        });
    }

    private Fulfillment create(String accountId, FulfillmentRequest request, String idempotencyKey, String fingerprint) {
        UUID id = UUID.randomUUID();
        // The request lives in the fulfillment row; the instance carries only its id (the business key), which keeps
        // the engine's per-instance writes small. The worker sees neither before this transaction commits.
        String instance = runtime.startProcessInstanceByKey(PROCESS_KEY, id.toString(),
                Map.of(VAR_FULFILLMENT_ID, id.toString())).getId();
        // Stored with microseconds (PostgreSQL): the first answer must carry the time every later read shows.
        Fulfillment fulfillment = new Fulfillment(id, accountId, request.pakCode(), request.sku(), request.udi(),
                request.email(), request.eula(), FulfillmentStatus.SUBMITTED, null, null, instance,
                Instant.now().truncatedTo(ChronoUnit.MICROS), null);
        fulfillments.insert(fulfillment, idempotencyKey, fingerprint);
        audit.record(accountId, "fulfillment.submitted", "fulfillment:" + id, describe(request));
        newWork.afterCommit();
        return fulfillment;
    }

    public Optional<Fulfillment> find(UUID id, String accountId, boolean operator) {
        return fulfillments.find(id).filter(f -> operator || f.accountId().equals(accountId));
    }

    public Optional<IssuedLicenseFile> licenseFile(UUID fulfillmentId) {
        return issuer.fileOf(fulfillmentId.toString());
    }

    public Optional<MailOutbox.MailStatus> licenseMail(UUID fulfillmentId) {
        return outbox.find("license-mail:" + fulfillmentId);
    }

    public Optional<MailOutbox.MailStatus> rejectionMail(UUID fulfillmentId) {
        return outbox.find("rejection-mail:" + fulfillmentId);
    }

    // ---- Steps of the model; each runs inside the transaction that completes its external task. ----

    /**
     * The fulfillment this process instance was started for. Steps find it by the engine's own instance id, never by a
     * variable: whoever starts an instance (or starts it at an arbitrary activity) may set any variable. An instance
     * that our intake did not start has no fulfillment, and its steps fail into an incident instead of doing anything.
     */
    private Fulfillment ofInstance(String processInstanceId) {
        return fulfillments.findByProcessInstance(processInstanceId).orElseThrow(() -> new IllegalStateException(
                "process instance " + processInstanceId + " was not started by Nodelock's intake: it has no fulfillment"));
    }

    /** check-udi: the UDI is well-formed, the SKU applies to its product, the device is not another account's. */
    public String checkUdi(String processInstanceId) {
        Fulfillment f = ofInstance(processInstanceId);
        check(f);
        return f.id().toString();
    }

    /** The checks of check-udi; redeem-pak repeats them, so no token moved past check-udi spends a unit unchecked. */
    private void check(Fulfillment f) {
        Udi udi;
        try {
            udi = Udi.parse(f.udi());
        } catch (RuntimeException e) {
            throw rejected(UDI_INVALID, e.getMessage());
        }
        Sku sku = sku(f);
        if (!sku.productIds().contains(udi.productId())) {
            throw rejected(UDI_NOT_VALID_FOR_SKU, "SKU " + sku.id() + " does not apply to product " + udi.productId()
                    + "; it applies to " + String.join(", ", sku.productIds().stream().sorted().toList()) + ".");
        }
        if (sku.eulaRequired() && !f.eulaAccepted()) {
            throw rejected(EULA_NOT_ACCEPTED, "SKU " + sku.id() + " needs the end-user license agreement to be accepted.");
        }
        Optional<io.nodelock.device.Device> device = devices.find(udi);
        if (device.isPresent() && device.get().locked()) {
            throw rejected(DEVICE_LOCKED, "Device " + udi.binding() + " is locked (" + device.get().lockedReason()
                    + ") and receives no more licenses.");
        }
        Optional<String> owner = device.map(io.nodelock.device.Device::accountId);
        if (owner.isPresent() && !owner.get().equals(f.accountId())) {
            throw rejected(DEVICE_OF_ANOTHER_ACCOUNT, "Device " + udi.binding() + " is registered to another account. "
                    + "Licenses move between accounts only by rehost or RMA.");
        }
    }

    /** redeem-pak: one unit of the SKU's PAK line, at most once per fulfillment. */
    public void redeemPak(String processInstanceId) {
        Fulfillment f = ofInstance(processInstanceId);
        String fulfillmentId = f.id().toString();
        if (f.status() != FulfillmentStatus.SUBMITTED) {
            if (paks.isRedeemed(fulfillmentId)) {
                return; // a replay of the step: its unit was taken once, and that is all
            }
            throw new IllegalStateException("fulfillment " + fulfillmentId + " is " + f.status() + ": refusing to redeem a unit for it");
        }
        check(f);
        Udi udi = Udi.parse(f.udi());
        // Claim the device for the account before any unit is used, so a unit is never spent on another's device.
        if (!devices.claim(udi, f.accountId()).equals(f.accountId())) {
            throw rejected(DEVICE_OF_ANOTHER_ACCOUNT, "Device " + udi.binding() + " is registered to another account. "
                    + "Licenses move between accounts only by rehost or RMA.");
        }
        Redemption redemption = paks.redeem(fulfillmentId, f.accountId(), PakCode.parse(f.pakCode()), f.sku());
        if (redemption instanceof Redemption.Refused refused) {
            throw rejected(refused.code(), refused.message());
        }
    }

    /**
     * sign-license: the signed license file of the fulfillment (the same one however often this runs). Only a
     * fulfillment that is still open and whose PAK unit was redeemed is signed, however the instance got here.
     */
    public IssuedLicenseFile signLicense(String processInstanceId) {
        Fulfillment f = ofInstance(processInstanceId);
        String fulfillmentId = f.id().toString();
        if (f.status() == FulfillmentStatus.REJECTED) {
            throw new IllegalStateException("fulfillment " + fulfillmentId + " was rejected (" + f.rejectionCode()
                    + "): refusing to sign a license for it");
        }
        if (!paks.isRedeemed(fulfillmentId)) {
            throw new IllegalStateException("fulfillment " + fulfillmentId + " has no PAK redemption: refusing to sign a license for it");
        }
        Udi udi = Udi.parse(f.udi());
        boolean first = issuer.fileOf(fulfillmentId).isEmpty();
        IssuedLicenseFile file = issuer.issue(fulfillmentId, f.accountId(), sku(f), udi);
        fulfillments.markIssued(f.id());
        if (first) {
            audit.record(AuditLog.SYSTEM, "license.issued", "fulfillment:" + f.id(), "licenses " + String.join(", ", file.licenseIds())
                    + " for " + f.udi() + ", signed with key " + file.keyId());
            meters.counter("nodelock.fulfillments", "outcome", "issued", "code", "ISSUED").increment();
        }
        return file;
    }

    /** email-license: queues the license mail; the outbox delivers it (once per fulfillment). */
    public void emailLicense(String processInstanceId) {
        Fulfillment f = ofInstance(processInstanceId);
        String fulfillmentId = f.id().toString();
        IssuedLicenseFile file = issuer.fileOf(fulfillmentId)
                .orElseThrow(() -> new IllegalStateException("fulfillment " + fulfillmentId + " has no license file to mail"));
        if (outbox.enqueue(FulfillmentMails.licenseIssued(f, sku(f), file))) {
            audit.record(AuditLog.SYSTEM, "mail.queued", "fulfillment:" + f.id(), "license file to " + f.email());
        }
    }

    /** record-rejection: stores the reason and queues the customer's rejection mail. */
    public void recordRejection(String processInstanceId, String code, String message) {
        Optional<Fulfillment> found = fulfillments.findByProcessInstance(processInstanceId);
        if (found.isEmpty()) {
            return;
        }
        Fulfillment f = found.get();
        if (f.status() == FulfillmentStatus.SUBMITTED) {
            fulfillments.markRejected(f.id(), code, message);
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

    private static String describe(FulfillmentRequest r) {
        return "PAK " + r.pakCode() + ", SKU " + r.sku() + ", UDI " + r.udi() + ", mail to " + r.email();
    }

    static String fingerprint(FulfillmentRequest r) {
        String canonical = String.join("\n", r.pakCode(), r.sku(), r.udi(), r.email(), Boolean.toString(r.eula()));
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
