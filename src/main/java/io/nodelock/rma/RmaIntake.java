package io.nodelock.rma;

import static io.nodelock.rma.RmaRefusals.*;
import static io.nodelock.rma.process.RmaProcess.*;

import io.nodelock.audit.AuditLog;
import io.nodelock.catalogue.Catalogue;
import io.nodelock.device.Device;
import io.nodelock.device.Devices;
import io.nodelock.license.IssuedLicenseFile;
import io.nodelock.license.License;
import io.nodelock.license.LicenseIssuer;
import io.nodelock.license.Licenses;
import io.nodelock.licensefile.Udi;
import io.nodelock.licensefile.UdiSyntaxException;
import io.nodelock.notification.MailOutbox;
import io.nodelock.workflow.Refusal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.operaton.bpm.engine.RuntimeService;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/** The RMA flow's intake: checks a request, stores it and starts its rma-license-transfer instance in one transaction, and answers what became of it. The steps are {@link RmaSteps}. */
@Service
public class RmaIntake {

    private static final Pattern RMA_NUMBER = Pattern.compile("^[A-Z0-9][A-Z0-9-]{3,39}$");
    private static final Pattern EMAIL = Pattern.compile("^[^@\\s]{1,64}@[^@\\s]+\\.[^@\\s]+$");

    private final Rmas rmas;
    private final Devices devices;
    private final Licenses licenses;
    private final Catalogue catalogue;
    private final LicenseIssuer issuer;
    private final MailOutbox outbox;
    private final AuditLog audit;
    private final RuntimeService runtime;
    private final TransactionTemplate transactions;

    public RmaIntake(Rmas rmas, Devices devices, Licenses licenses, LicenseIssuer issuer, Catalogue catalogue, MailOutbox outbox,
                     AuditLog audit, RuntimeService runtime, TransactionTemplate transactions) {
        this.licenses = licenses;
        this.catalogue = catalogue;
        this.rmas = rmas;
        this.devices = devices;
        this.issuer = issuer;
        this.outbox = outbox;
        this.audit = audit;
        this.runtime = runtime;
        this.transactions = transactions;
    }

    /** The first reason the request cannot become an RMA, if any. Checked before anything is stored or locked. */
    public Optional<Refusal> check(String accountId, RmaRequest request) {
        List<Refusal> syntax = new ArrayList<>();
        Udi failed = parse("failedUdi", request.failedUdi(), syntax);
        Udi replacement = parse("replacementUdi", request.replacementUdi(), syntax);
        if (request.rmaNumber() == null || !RMA_NUMBER.matcher(request.rmaNumber()).matches()) {
            syntax.add(Refusal.of(REQUEST_INVALID, "rmaNumber", "rmaNumber must be 4 to 40 characters of A-Z, 0-9 and '-', "
                    + "as on your RMA, e.g. RMA-88001234"));
        }
        if (request.email() == null || request.email().length() > 320 || !EMAIL.matcher(request.email()).matches()) {
            syntax.add(Refusal.of(REQUEST_INVALID, "email", "email must be an address like name@example.com"));
        }
        if (!syntax.isEmpty()) {
            return Optional.of(syntax.get(0));
        }
        if (failed.sameDevice(replacement)) {
            return Optional.of(Refusal.of(SAME_DEVICE, "replacementUdi", "The replacement must be another device than the failed one."));
        }
        Optional<Device> failedDevice = devices.find(failed);
        // Another account's device is answered exactly like one that does not exist: no existence oracle.
        if (failedDevice.isEmpty() || !failedDevice.get().accountId().equals(accountId)) {
            return Optional.of(Refusal.of(UNKNOWN_UDI, "failedUdi", "Your account holds no licensed device " + failed.binding()
                    + ": check the UDI of the failed device."));
        }
        Optional<Rma> earlier = rmas.findByFailedUdi(failed.binding());
        if (earlier.isPresent()) {
            return Optional.of(Refusal.of(RMA_EXISTS, "failedUdi", "Device " + failed.binding() + " already has RMA "
                    + earlier.get().rmaNumber() + " (" + earlier.get().status() + "); a failed device is replaced once."));
        }
        if (failedDevice.get().locked()) {
            return Optional.of(Refusal.of(DEVICE_LOCKED, "failedUdi", "Device " + failed.binding() + " is locked ("
                    + failedDevice.get().lockedReason() + ")."));
        }
        if (licenses.ofDevice(failed.binding(), License.Status.ACTIVE).isEmpty()) {
            return Optional.of(Refusal.of(NO_ACTIVE_LICENSES, "failedUdi", "Device " + failed.binding()
                    + " has no active licenses to transfer."));
        }
        if (!catalogue.isAllowedReplacement(failed.productId(), replacement.productId())) {
            return Optional.of(Refusal.of(REPLACEMENT_NOT_ALLOWED, "replacementUdi", "A " + replacement.productId()
                    + " cannot replace a " + failed.productId() + ": use the same product or an allowed substitute."));
        }
        Optional<Device> replacementDevice = devices.find(replacement);
        if (replacementDevice.isPresent() && !replacementDevice.get().accountId().equals(accountId)) {
            return Optional.of(Refusal.of(DEVICE_OF_ANOTHER_ACCOUNT, "replacementUdi", "Device " + replacement.binding()
                    + " belongs to another account."));
        }
        // A replacement is never claimed by naming it: that would let an RMA, which costs nothing, take another
        // customer's next device. It must be the account's already, by a shipping record (docs/devices.md).
        if (replacementDevice.isEmpty()) {
            return Optional.of(Refusal.of(REPLACEMENT_NOT_SHIPPED, "replacementUdi", "Device " + replacement.binding()
                    + " is not recorded as shipped to your account: an RMA replacement must arrive with its shipping record."));
        }
        if (replacementDevice.isPresent() && replacementDevice.get().locked()) {
            return Optional.of(Refusal.of(DEVICE_LOCKED, "replacementUdi", "Device " + replacement.binding() + " is locked ("
                    + replacementDevice.get().lockedReason() + ") and cannot be a replacement."));
        }
        return Optional.empty();
    }

    /** Accepts a checked request and starts its process in one transaction; a concurrent duplicate is refused. */
    public Rma submit(String accountId, RmaRequest request) {
        check(accountId, request).ifPresent(refusal -> {
            throw FLOW.refuse(refusal);
        });
        RmaRequest normalized = normalize(request);
        try {
            return transactions.execute(status -> {
                UUID id = UUID.randomUUID();
                Map<String, Object> variables = new HashMap<>();
                variables.put(VAR_RMA_ID, id.toString());
                variables.put(VAR_ACCOUNT_ID, accountId);
                variables.put(VAR_FAILED_UDI, normalized.failedUdi());
                variables.put(VAR_REPLACEMENT_UDI, normalized.replacementUdi());
                variables.put(VAR_RMA_NUMBER, normalized.rmaNumber());
                variables.put(VAR_EMAIL, normalized.email());
                // The first step runs after an asynchronous continuation: the start writes only the instance and its
                // job, which the job executor sees once this transaction, with the row, has committed.
                String instance = runtime.startProcessInstanceByKey(PROCESS_KEY, id.toString(), variables).getId();
                return create(id, accountId, normalized, instance);
            });
        } catch (DuplicateKeyException race) {
            throw FLOW.refuse(Refusal.of(RMA_EXISTS, "failedUdi", "Device " + normalized.failedUdi()
                    + " already has an RMA; a failed device is replaced once."));
        }
    }

    private Rma create(UUID id, String accountId, RmaRequest request, String processInstanceId) {
        // Stored with microseconds (PostgreSQL): the first answer must carry the time every later read shows.
        Rma rma = new Rma(id, accountId, request.rmaNumber(), Udi.parse(request.failedUdi()), Udi.parse(request.replacementUdi()), request.email(),
                RmaStatus.SUBMITTED, null, null, null, null, null, processInstanceId,
                Instant.now().truncatedTo(ChronoUnit.MICROS), null, null, null, null);
        rmas.insert(rma);
        audit.record(accountId, "rma.submitted", "rma:" + id, "RMA " + request.rmaNumber() + ": " + request.failedUdi() + " -> "
                + request.replacementUdi());
        return rma;
    }

    public Optional<Rma> find(UUID id, String accountId, boolean operator) {
        return rmas.find(id).filter(r -> operator || r.accountId().equals(accountId));
    }

    public Optional<IssuedLicenseFile> licenseFile(UUID id) {
        return issuer.fileOf(id.toString());
    }

    public Optional<MailOutbox.MailStatus> mail(UUID id) {
        return outbox.find(RmaMails.licenseMailKey(id)).or(() -> outbox.find(RmaMails.rejectionMailKey(id)));
    }

    private static RmaRequest normalize(RmaRequest request) {
        return new RmaRequest(Udi.parse(request.failedUdi()).binding(), Udi.parse(request.replacementUdi()).binding(),
                request.rmaNumber(), request.email());
    }

    private static Udi parse(String field, String text, List<Refusal> problems) {
        if (text == null || text.isBlank()) {
            problems.add(Refusal.of(REQUEST_INVALID, field, field + " is missing: enter it as PID:<product id>,SN:<serial number>"));
            return null;
        }
        try {
            return Udi.parse(text);
        } catch (UdiSyntaxException e) {
            problems.add(Refusal.of(UDI_INVALID, field, e.getMessage()));
            return null;
        }
    }

}
