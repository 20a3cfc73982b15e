package io.nodelock.evaluation;

import static io.nodelock.evaluation.EvaluationRefusals.*;

import io.nodelock.audit.AuditLog;
import io.nodelock.catalogue.Catalogue;
import io.nodelock.catalogue.EvaluationOffer;
import io.nodelock.catalogue.Feature;
import io.nodelock.device.Device;
import io.nodelock.device.Devices;
import io.nodelock.eula.ConsentOrigin;
import io.nodelock.eula.Eula;
import io.nodelock.eula.EulaConsent;
import io.nodelock.eula.EulaConsents;
import io.nodelock.license.IssuedLicenseFile;
import io.nodelock.license.LicenseIssuer;
import io.nodelock.licensefile.LicenseType;
import io.nodelock.licensefile.Udi;
import io.nodelock.licensefile.UdiSyntaxException;
import io.nodelock.notification.MailOutbox;
import io.nodelock.workflow.Refusal;
import io.nodelock.workflow.Refusal.FieldError;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Self-serve evaluations: what a device may evaluate, and granting one. A grant is one short transaction, with no
 * process model: the consent, the evaluation row, its signed license line, the mail in the outbox and the audit event
 * commit together or not at all (docs/evaluation.md says why no BPMN model).
 */
@Service
public class EvaluationIntake {

    /** The {@code license_file.issue_kind} of an evaluation's license. */
    public static final String ISSUE_KIND = "EVALUATION";

    // As the fulfillment intake's: one @, no spaces, a dot in the domain. The mail itself proves deliverability.
    private static final Pattern EMAIL = Pattern.compile("^[^@\\s]{1,64}@[^@\\s]+\\.[^@\\s]+$");
    private static final Pattern FEATURE = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");

    private final Evaluations evaluations;
    private final Devices devices;
    private final Catalogue catalogue;
    private final EulaConsents eulas;
    private final LicenseIssuer issuer;
    private final MailOutbox outbox;
    private final AuditLog audit;
    private final TransactionTemplate transactions;

    public EvaluationIntake(Evaluations evaluations, Devices devices, Catalogue catalogue, EulaConsents eulas,
                            LicenseIssuer issuer, MailOutbox outbox, AuditLog audit, TransactionTemplate transactions) {
        this.evaluations = evaluations;
        this.devices = devices;
        this.catalogue = catalogue;
        this.eulas = eulas;
        this.issuer = issuer;
        this.outbox = outbox;
        this.audit = audit;
        this.transactions = transactions;
    }

    /**
     * One evaluation the catalogue offers for a device's product.
     *
     * @param earlier the device's evaluation of this feature, if it had one (then it may not have another)
     */
    public record Offer(String feature, String description, int usageDays, Optional<Evaluation> earlier) {
    }

    /**
     * What a device may evaluate.
     *
     * @param eula the EULA to accept for any of them (empty only when nothing is offered)
     */
    public record DeviceOffers(Udi udi, boolean locked, List<Offer> offers, Optional<Eula> eula) {
    }

    /** The evaluations offered for a device the account holds. */
    public DeviceOffers offers(String accountId, String udiText) {
        Udi udi = Udi.parse(udiText(udiText).binding());
        Device device = heldDevice(accountId, udi);
        Map<String, Evaluation> earlier = evaluations.ofDevice(udi).stream()
                .collect(Collectors.toMap(Evaluation::feature, Function.identity()));
        List<Offer> offers = catalogue.evaluationsFor(udi.productId()).stream()
                .map(o -> new Offer(o.feature(), description(o.feature()), o.usageDays(), Optional.ofNullable(earlier.get(o.feature()))))
                .toList();
        return new DeviceOffers(udi, device.locked(), offers,
                catalogue.currentEula().isPresent() ? Optional.of(eulas.current()) : Optional.empty());
    }

    /**
     * Grants an evaluation, or refuses it with an {@link EvaluationRefusedException}: a malformed field, a device the
     * account does not hold, a feature not offered for it, an evaluation it already had, or a EULA not accepted.
     *
     * @param acceptedBy who accepts the EULA (through the API: the account of the token)
     */
    public Evaluation request(String accountId, String acceptedBy, EvaluationRequest request, ConsentOrigin origin) {
        List<FieldError> errors = validate(request);
        if (!errors.isEmpty()) {
            throw refused(Refusal.invalid(errors));
        }
        Udi requested = Udi.parse(request.udi());
        Udi udi = Udi.parse(requested.binding());
        Device device = heldDevice(accountId, udi);
        if (device.locked()) {
            throw refused(Refusal.of(DEVICE_LOCKED, "udi", "Device " + udi.binding() + " is locked (" + device.lockedReason()
                    + ") and receives no more licenses."));
        }
        EvaluationOffer offer = catalogue.evaluation(request.feature()).filter(o -> o.appliesTo(udi.productId()))
                .orElseThrow(() -> notOffered(request.feature(), udi));
        Optional<Evaluation> earlier = evaluations.find(udi, offer.feature());
        if (earlier.isPresent()) {
            throw exists(earlier.get(), accountId);
        }
        eulas.check(request.eulaVersion(), request.eulaAccepted()).ifPresent(refusal -> {
            throw refused(refusal);
        });
        UUID id = UUID.randomUUID();
        try {
            return transactions.execute(status -> grant(id, accountId, acceptedBy, request, requested, udi, offer, origin));
        } catch (DuplicateKeyException race) {
            // A concurrent request for the same feature and device committed first; everything of this one rolled back.
            throw exists(evaluations.find(udi, offer.feature()).orElseThrow(() -> race), accountId);
        }
    }

    private Evaluation grant(UUID id, String accountId, String acceptedBy, EvaluationRequest request, Udi requested, Udi udi,
                             EvaluationOffer offer, ConsentOrigin origin) {
        String subject = subject(id);
        EulaConsent consent = eulas.record(accountId, acceptedBy, request.eulaVersion(), origin, subject);
        // Microseconds, as PostgreSQL stores them: the first answer shows the time every later read shows.
        Evaluation evaluation = new Evaluation(id, accountId, udi, offer.feature(), offer.usageDays(), request.email(),
                consent.id(), Instant.now().truncatedTo(ChronoUnit.MICROS));
        // Before signing: a second evaluation of the feature on the device fails here and signs nothing.
        evaluations.insert(evaluation);
        IssuedLicenseFile file = issuer.issueTemporary(id.toString(), ISSUE_KIND, accountId, offer.feature(), requested,
                LicenseType.EVALUATION, offer.usageDays(), consent.eulaVersion());
        outbox.enqueue(EvaluationMails.licenseIssued(evaluation, description(offer.feature()), file, consent));
        audit.record(accountId, "evaluation.granted", subject, "evaluation of " + offer.feature() + " for " + requested + ", "
                + offer.usageDays() + " days of use, license " + String.join(", ", file.licenseIds()) + " signed with key "
                + file.keyId() + " under EULA " + consent.eulaVersion() + "; mailed to " + request.email());
        return evaluation;
    }

    public Optional<Evaluation> find(UUID id, String accountId, boolean operator) {
        return evaluations.find(id).filter(e -> operator || e.accountId().equals(accountId));
    }

    public Optional<IssuedLicenseFile> licenseFile(UUID evaluationId) {
        return issuer.fileOf(evaluationId.toString());
    }

    public Optional<MailOutbox.MailStatus> licenseMail(Evaluation evaluation) {
        return outbox.find(EvaluationMails.operationId(evaluation));
    }

    public Optional<EulaConsent> eulaConsent(Evaluation evaluation) {
        return eulas.consent(evaluation.eulaConsentId());
    }

    /** The audit subject of an evaluation, also the subject of its EULA consent. */
    public static String subject(UUID evaluationId) {
        return "evaluation:" + evaluationId;
    }

    private List<FieldError> validate(EvaluationRequest request) {
        List<FieldError> errors = new ArrayList<>();
        if (request.udi() == null || request.udi().isBlank()) {
            errors.add(new FieldError("udi", "UDI is missing: enter it as PID:<product id>,SN:<serial number>"));
        } else {
            try {
                Udi.parse(request.udi());
            } catch (UdiSyntaxException e) {
                errors.add(new FieldError("udi", e.getMessage()));
            }
        }
        String offered = catalogue.evaluations().stream().map(EvaluationOffer::feature).collect(Collectors.joining(", "));
        if (request.feature() == null || request.feature().isBlank()) {
            errors.add(new FieldError("feature", "feature is missing: name the feature to evaluate (offered: " + offered
                    + "; GET /api/v1/evaluations/offers?udi=... lists a device's)"));
        } else if (!FEATURE.matcher(request.feature()).matches()) {
            errors.add(new FieldError("feature", "feature must be a feature name like securityk9 (offered: " + offered + ")"));
        } else if (catalogue.feature(request.feature()).isEmpty()) {
            errors.add(new FieldError("feature", "feature '" + request.feature() + "' is not in the catalogue (revision "
                    + catalogue.revision() + "); offered for evaluation: " + offered));
        }
        if (request.email() == null || request.email().length() > 320 || !EMAIL.matcher(request.email()).matches()) {
            errors.add(new FieldError("email", "email must be an address like name@example.com"));
        }
        return errors;
    }

    private static Udi udiText(String text) {
        if (text == null || text.isBlank()) {
            throw refused(Refusal.invalid(List.of(new FieldError("udi", "UDI is missing: enter it as PID:<product id>,SN:<serial number>"))));
        }
        try {
            return Udi.parse(text);
        } catch (UdiSyntaxException e) {
            throw refused(Refusal.invalid(List.of(new FieldError("udi", e.getMessage()))));
        }
    }

    /** The device, if the account holds it; another account's device is answered exactly like one that does not exist. */
    private Device heldDevice(String accountId, Udi udi) {
        return devices.find(udi).filter(d -> d.accountId().equals(accountId)).orElseThrow(() -> refused(Refusal.of(UNKNOWN_UDI,
                "udi", "Your account holds no licensed device " + udi.binding() + ". An evaluation is for a device that "
                        + "received a license through your account: check the UDI (show license udi on the device).")));
    }

    private EvaluationRefusedException notOffered(String feature, Udi udi) {
        List<String> forDevice = catalogue.evaluationsFor(udi.productId()).stream().map(EvaluationOffer::feature).toList();
        String message = catalogue.evaluation(feature).isEmpty()
                ? "Feature " + feature + " offers no self-serve evaluation."
                : "Feature " + feature + " offers no self-serve evaluation for product " + udi.productId() + ".";
        message += forDevice.isEmpty() ? " Product " + udi.productId() + " has none to offer."
                : " Device " + udi.binding() + " may evaluate: " + String.join(", ", forDevice) + ".";
        return refused(Refusal.of(EVALUATION_NOT_OFFERED, "feature", message).with("offered", forDevice));
    }

    private static EvaluationRefusedException exists(Evaluation earlier, String accountId) {
        String when = earlier.createdAt().truncatedTo(ChronoUnit.SECONDS).toString();
        String message = "Device " + earlier.udi().binding() + " already had its evaluation of " + earlier.feature();
        Refusal refusal;
        if (earlier.accountId().equals(accountId)) {
            refusal = Refusal.of(EVALUATION_EXISTS, "feature", message + " (evaluation " + earlier.id() + ", granted " + when
                    + "); a device evaluates a feature once. Its license is still at /api/v1/evaluations/" + earlier.id()
                    + "/license-file; for more days ask for an extension.")
                    .with("evaluationId", earlier.id().toString())
                    .with("evaluation", "/api/v1/evaluations/" + earlier.id());
        } else {
            // another account's evaluation of a device this account holds now: said, but not shown
            refusal = Refusal.of(EVALUATION_EXISTS, "feature", message + " (granted " + when + " to the account that held it "
                    + "then); a device evaluates a feature once.");
        }
        return refused(refusal);
    }

    private String description(String feature) {
        return catalogue.feature(feature).map(Feature::description).orElse(feature);
    }

    private static EvaluationRefusedException refused(Refusal refusal) {
        return new EvaluationRefusedException(refusal);
    }
}
