package io.nodelock.extension;

import static io.nodelock.extension.ExtensionRefusals.*;
import static io.nodelock.extension.process.ExtensionProcess.*;

import io.nodelock.audit.AuditLog;
import io.nodelock.catalogue.Catalogue;
import io.nodelock.device.Device;
import io.nodelock.device.Devices;
import io.nodelock.eula.ConsentOrigin;
import io.nodelock.eula.EulaConsent;
import io.nodelock.eula.EulaConsents;
import io.nodelock.license.IssuedLicenseFile;
import io.nodelock.license.License;
import io.nodelock.license.LicenseIssuer;
import io.nodelock.license.Licenses;
import io.nodelock.licensefile.LicenseType;
import io.nodelock.licensefile.Udi;
import io.nodelock.licensefile.UdiSyntaxException;
import io.nodelock.notification.MailOutbox;
import io.nodelock.workflow.Refusal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
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

/**
 * The extension flow's intake: checks a request, records the EULA consent, stores the request and starts its
 * license-extension instance in one transaction, and answers what became of it. The steps are {@link ExtensionSteps};
 * the approvals {@link ExtensionApprovals}.
 */
@Service
public class ExtensionIntake {

    private static final Pattern EMAIL = Pattern.compile("^[^@\\s]{1,64}@[^@\\s]+\\.[^@\\s]+$");

    private final Extensions extensions;
    private final Devices devices;
    private final Licenses licenses;
    private final LicenseIssuer issuer;
    private final Catalogue catalogue;
    private final EulaConsents consents;
    private final MailOutbox outbox;
    private final AuditLog audit;
    private final ExtensionProperties properties;
    private final RuntimeService runtime;
    private final TransactionTemplate transactions;

    public ExtensionIntake(Extensions extensions, Devices devices, Licenses licenses, LicenseIssuer issuer, Catalogue catalogue,
                           EulaConsents consents, MailOutbox outbox, AuditLog audit, ExtensionProperties properties,
                           RuntimeService runtime, TransactionTemplate transactions) {
        this.extensions = extensions;
        this.devices = devices;
        this.licenses = licenses;
        this.issuer = issuer;
        this.catalogue = catalogue;
        this.consents = consents;
        this.outbox = outbox;
        this.audit = audit;
        this.properties = properties;
        this.runtime = runtime;
        this.transactions = transactions;
    }

    /** The request to extend one of the account's licenses: its device and feature come from that license. */
    public ExtensionRequest forLicense(String accountId, String licenseId, ExtensionRequest request) {
        License license = licenses.find(licenseId).filter(l -> l.accountId().equals(accountId)).orElseThrow(() -> FLOW.refuse(
                Refusal.of(UNKNOWN_LICENSE, "licenseId", "Your account holds no license " + licenseId + ".")));
        if (license.status() != License.Status.ACTIVE
                || (license.type() != LicenseType.EVALUATION && license.type() != LicenseType.EXTENSION)) {
            throw FLOW.refuse(Refusal.of(NOTHING_TO_EXTEND, "licenseId", "License " + licenseId + " is " + license.type().wireName()
                    + " and " + license.status() + ": only active evaluation and extension licenses are extended."));
        }
        return new ExtensionRequest(license.udi(), license.feature(), request.days(), request.reason(), request.email(),
                request.eulaVersion(), request.eulaAccepted());
    }

    /** The first reason the request cannot be taken, if any. Checked before anything is stored. */
    public Optional<Refusal> check(String accountId, ExtensionRequest request) {
        List<Refusal.FieldError> errors = new ArrayList<>();
        Udi udi = null;
        if (request.udi() == null || request.udi().isBlank()) {
            errors.add(new Refusal.FieldError("udi", "udi is missing: enter it as PID:<product id>,SN:<serial number>"));
        } else {
            try {
                udi = Udi.parse(request.udi());
            } catch (UdiSyntaxException e) {
                return Optional.of(Refusal.of(UDI_INVALID, "udi", e.getMessage()));
            }
        }
        if (request.feature() == null || catalogue.feature(request.feature()).isEmpty()) {
            errors.add(new Refusal.FieldError("feature", "feature must be a feature of the catalogue, e.g. securityk9"));
        }
        if (request.days() == null) {
            errors.add(new Refusal.FieldError("days", "days is missing: the days of use you need, 1 to " + properties.maxDays()));
        }
        if (request.reason() == null || request.reason().isBlank() || request.reason().length() > 1000) {
            errors.add(new Refusal.FieldError("reason", "reason must say, in 1 to 1000 characters, why you need more days"));
        }
        if (request.email() == null || request.email().length() > 320 || !EMAIL.matcher(request.email()).matches()) {
            errors.add(new Refusal.FieldError("email", "email must be an address like name@example.com"));
        }
        if (!errors.isEmpty()) {
            return Optional.of(errors.size() == 1 ? Refusal.of(REQUEST_INVALID, errors.get(0).field(), errors.get(0).message())
                    : new Refusal(REQUEST_INVALID, errors.size() + " fields are invalid; see 'errors'.", errors, Map.of()));
        }
        if (request.days() < 1 || request.days() > properties.maxDays()) {
            return Optional.of(Refusal.of(DAYS_OUT_OF_RANGE, "days", "days must be 1 to " + properties.maxDays()
                    + " days of use; ask again later for more"));
        }
        Optional<Device> device = devices.find(udi);
        // Another account's device is answered exactly like one that does not exist: no existence oracle.
        if (device.isEmpty() || !device.get().accountId().equals(accountId)) {
            return Optional.of(Refusal.of(UNKNOWN_UDI, "udi", "Your account holds no licensed device " + udi.binding()
                    + ": check the UDI."));
        }
        if (device.get().locked()) {
            return Optional.of(Refusal.of(NOTHING_TO_EXTEND, "udi", "Device " + udi.binding() + " is locked ("
                    + device.get().lockedReason() + "): its licenses are not extended."));
        }
        if (baseLicense(udi, request.feature()).isEmpty()) {
            return Optional.of(Refusal.of(NOTHING_TO_EXTEND, "feature", "Device " + udi.binding() + " holds no evaluation or "
                    + "extension license of " + request.feature() + " to extend: request an evaluation first."));
        }
        Optional<Extension> open = extensions.findOpen(udi.binding(), request.feature());
        if (open.isPresent() && runtime.createProcessInstanceQuery().processInstanceId(open.get().processInstanceId()).count() == 0
                && extensions.markCancelled(open.get().id(), "Its process instance was deleted without its listeners.")) {
            // Deleted in Cockpit with "skip custom listeners": the request can never end by itself, so it ends here.
            audit.record(AuditLog.SYSTEM, "extension.cancelled", "extension:" + open.get().id(), "process instance "
                    + open.get().processInstanceId() + " no longer exists");
            open = Optional.empty();
        }
        if (open.isPresent()) {
            return Optional.of(Refusal.of(EXTENSION_OPEN, "feature", "An extension of " + request.feature() + " on "
                    + udi.binding() + " is already waiting (" + open.get().status() + "); wait for its answer.")
                    .with("extensionId", open.get().id().toString()));
        }
        return consents.check(request.eulaVersion(), request.eulaAccepted());
    }

    /** Accepts a checked request: consent, row and process instance in one transaction; a concurrent duplicate is refused. */
    public Extension submit(String accountId, String requestedBy, ExtensionRequest request, ConsentOrigin origin) {
        check(accountId, request).ifPresent(refusal -> {
            throw FLOW.refuse(refusal);
        });
        Udi udi = Udi.parse(request.udi());
        License base = baseLicense(udi, request.feature()).orElseThrow();
        try {
            return transactions.execute(status -> {
                UUID id = UUID.randomUUID();
                EulaConsent consent = consents.record(accountId, requestedBy, request.eulaVersion(), origin, "extension:" + id);
                Map<String, Object> variables = new HashMap<>();
                variables.put(VAR_EXTENSION_ID, id.toString());
                variables.put(VAR_ACCOUNT_ID, accountId);
                variables.put(VAR_UDI, udi.binding());
                variables.put(VAR_FEATURE, request.feature());
                variables.put(VAR_DAYS, request.days());
                variables.put(VAR_REASON, request.reason());
                variables.put(VAR_EMAIL, request.email());
                variables.put(VAR_EULA_VERSION, consent.eulaVersion());
                // The first step runs after an asynchronous continuation, once this transaction (with the row) committed.
                String instance = runtime.startProcessInstanceByKey(PROCESS_KEY, id.toString(), variables).getId();
                Extension extension = new Extension(id, accountId, requestedBy, udi, request.feature(), base.id(), request.days(),
                        request.reason(), request.email(), consent.eulaVersion(), consent.id(), ExtensionStatus.SUBMITTED, null,
                        null, null, null, null, null, null, null, null, null, instance,
                        Instant.now().truncatedTo(ChronoUnit.MICROS), null);
                extensions.insert(extension);
                audit.record(requestedBy, "extension.requested", "extension:" + id, request.feature() + " on " + udi.binding()
                        + ": " + request.days() + " days, EULA " + consent.eulaVersion() + "; reason: " + request.reason());
                return extension;
            });
        } catch (DuplicateKeyException race) {
            throw FLOW.refuse(Refusal.of(EXTENSION_OPEN, "feature", "An extension of " + request.feature() + " on "
                    + udi.binding() + " is already waiting; wait for its answer."));
        }
    }

    /** The newest active evaluation or extension license of the feature on the device: what a request extends. */
    private Optional<License> baseLicense(Udi udi, String feature) {
        return licenses.ofDevice(udi.binding(), License.Status.ACTIVE).stream()
                .filter(l -> l.feature().equals(feature))
                .filter(l -> l.type() == LicenseType.EVALUATION || l.type() == LicenseType.EXTENSION)
                .max(Comparator.comparing(License::issuedAt));
    }

    public Optional<Extension> find(UUID id, String accountId, boolean operator) {
        return extensions.find(id).filter(e -> operator || e.accountId().equals(accountId));
    }

    public List<ExtensionDecision> decisions(UUID id) {
        return extensions.decisions(id);
    }

    public Optional<IssuedLicenseFile> licenseFile(UUID id) {
        return issuer.fileOf(id.toString());
    }

    public Optional<MailOutbox.MailStatus> mail(UUID id) {
        return outbox.find(ExtensionMails.licenseMailKey(id)).or(() -> outbox.find(ExtensionMails.rejectionMailKey(id)));
    }
}
