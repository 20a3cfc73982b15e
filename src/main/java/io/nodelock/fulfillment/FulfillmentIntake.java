package io.nodelock.fulfillment;

import static io.nodelock.fulfillment.process.PakFulfillmentProcess.*;

import io.nodelock.audit.AuditLog;
import io.nodelock.catalogue.Catalogue;
import io.nodelock.catalogue.Sku;
import io.nodelock.eula.ConsentOrigin;
import io.nodelock.eula.EulaConsent;
import io.nodelock.eula.EulaConsents;
import io.nodelock.license.IssuedLicenseFile;
import io.nodelock.license.LicenseIssuer;
import io.nodelock.licensefile.Udi;
import io.nodelock.notification.MailOutbox;
import io.nodelock.pak.PakCode;
import io.nodelock.workflow.Refusal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.operaton.bpm.engine.RuntimeService;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The fulfillment flow's intake: validates a request, stores it and starts its pak-fulfillment instance in one
 * transaction, and answers what became of it. The steps are {@link FulfillmentSteps}.
 */
@Service
public class FulfillmentIntake {

    private final Fulfillments fulfillments;
    private final Catalogue catalogue;
    private final LicenseIssuer issuer;
    private final MailOutbox outbox;
    private final RuntimeService runtime;
    private final TransactionTemplate transactions;
    private final AuditLog audit;
    private final EulaConsents eulas;

    public FulfillmentIntake(Fulfillments fulfillments, Catalogue catalogue, LicenseIssuer issuer, MailOutbox outbox,
                             RuntimeService runtime, TransactionTemplate transactions, AuditLog audit, EulaConsents eulas) {
        this.fulfillments = fulfillments;
        this.catalogue = catalogue;
        this.issuer = issuer;
        this.outbox = outbox;
        this.runtime = runtime;
        this.transactions = transactions;
        this.audit = audit;
        this.eulas = eulas;
    }

    /** The outcome of a submission: the fulfillment, and whether this call created it or an earlier one with the same key did. */
    public record Submission(Fulfillment fulfillment, boolean created) {
    }

    /**
     * Validates and accepts a request, then starts its process in the same transaction. With an idempotency key, a
     * retry of the same request returns the first fulfillment; the same key with a different request is refused.
     * For a SKU that requires the EULA, the consent (the current version, or the one named, which must be the
     * current one) is recorded in that transaction too, given by {@code acceptedBy} from {@code origin}.
     */
    public Submission submit(String accountId, String acceptedBy, FulfillmentRequest request, String idempotencyKey,
                             ConsentOrigin origin) {
        List<Refusal.FieldError> errors = RequestValidation.validate(request, catalogue);
        if (!errors.isEmpty()) {
            throw FLOW.refuse(Refusal.invalid(errors));
        }
        FulfillmentRequest normalized = new FulfillmentRequest(PakCode.parse(request.pakCode()).formatted(), request.sku(),
                Udi.parse(request.udi()).toString(), request.email(), request.eula(), request.eulaVersion());
        String fingerprint = fingerprint(normalized);
        if (idempotencyKey != null) {
            Optional<Submission> earlier = replay(accountId, idempotencyKey, fingerprint);
            if (earlier.isPresent()) {
                // before the EULA check: the first request's consent stands, even if a newer EULA came out since
                return earlier.get();
            }
        }
        boolean eulaRequired = catalogue.sku(request.sku()).orElseThrow().eulaRequired();
        String eulaVersion = !eulaRequired ? null
                : normalized.eulaVersion() != null ? normalized.eulaVersion() : eulas.current().version();
        if (eulaRequired) {
            eulas.check(eulaVersion, normalized.eulaAccepted()).ifPresent(refusal -> {
                throw FLOW.refuse(refusal);
            });
        }
        Consent consent = eulaRequired ? new Consent(acceptedBy, eulaVersion, origin) : null;
        try {
            Fulfillment created = transactions.execute(status -> create(accountId, normalized, idempotencyKey, fingerprint, consent));
            return new Submission(created, true);
        } catch (DuplicateKeyException race) {
            // A concurrent retry with the same key won; answer with its fulfillment.
            return replay(accountId, idempotencyKey, fingerprint).orElseThrow(() -> race);
        }
    }

    private Optional<Submission> replay(String accountId, String idempotencyKey, String fingerprint) {
        return fulfillments.findByIdempotencyKey(accountId, idempotencyKey).map(existing -> {
            if (!fingerprint.equals(fulfillments.fingerprint(existing.id()).orElse(""))) {
                throw FLOW.refuse(Refusal.of(FulfillmentRefusals.IDEMPOTENCY_KEY_REUSED, "Idempotency-Key '" + idempotencyKey
                        + "' was already used for a different request (" + existing.id() + "). Use a new key for a new request.")
                        .with("fulfillmentId", existing.id().toString()));
            }
            return new Submission(existing, false);
        });
    }

    /** The EULA acceptance a fulfillment is submitted with. */
    private record Consent(String acceptedBy, String eulaVersion, ConsentOrigin origin) {
    }

    private Fulfillment create(String accountId, FulfillmentRequest request, String idempotencyKey, String fingerprint,
                               Consent consent) {
        UUID id = UUID.randomUUID();
        // The request lives in the fulfillment row; the instance carries only its id (the business key), which keeps
        // the engine's per-instance writes small. The job executor sees neither before this transaction commits.
        String instance = runtime.startProcessInstanceByKey(PROCESS_KEY, id.toString(),
                Map.of(VAR_FULFILLMENT_ID, id.toString())).getId();
        // Stored with microseconds (PostgreSQL): the first answer must carry the time every later read shows.
        Fulfillment fulfillment = new Fulfillment(id, accountId, PakCode.parse(request.pakCode()), request.sku(), Udi.parse(request.udi()),
                request.email(), request.eula(), FulfillmentStatus.SUBMITTED, null, null, instance,
                Instant.now().truncatedTo(ChronoUnit.MICROS), null);
        fulfillments.insert(fulfillment, idempotencyKey, fingerprint);
        audit.record(accountId, "fulfillment.submitted", "fulfillment:" + id, describe(request));
        if (consent != null) {
            eulas.record(accountId, consent.acceptedBy(), consent.eulaVersion(), consent.origin(), "fulfillment:" + id);
        }
        return fulfillment;
    }

    public Optional<Fulfillment> find(UUID id, String accountId, boolean operator) {
        return fulfillments.find(id).filter(f -> operator || f.accountId().equals(accountId));
    }

    public Optional<IssuedLicenseFile> licenseFile(UUID fulfillmentId) {
        return issuer.fileOf(fulfillmentId.toString());
    }

    /** The EULA consent the fulfillment was submitted with (only SKUs that require the EULA have one). */
    public Optional<EulaConsent> eulaConsent(Fulfillment f) {
        // no query for the others: views are polled
        boolean required = catalogue.sku(f.sku()).map(Sku::eulaRequired).orElse(true);
        return required && f.eulaAccepted() ? eulas.forSubject("fulfillment:" + f.id()).stream().findFirst() : Optional.empty();
    }

    public Optional<MailOutbox.MailStatus> licenseMail(UUID fulfillmentId) {
        return outbox.find("license-mail:" + fulfillmentId);
    }

    public Optional<MailOutbox.MailStatus> rejectionMail(UUID fulfillmentId) {
        return outbox.find("rejection-mail:" + fulfillmentId);
    }

    private static String describe(FulfillmentRequest r) {
        return "PAK " + r.pakCode() + ", SKU " + r.sku() + ", UDI " + r.udi() + ", mail to " + r.email();
    }

    static String fingerprint(FulfillmentRequest r) {
        String canonical = String.join("\n", r.pakCode(), r.sku(), r.udi(), r.email(), Boolean.toString(r.eula()));
        if (r.eulaVersion() != null) {
            // only when named, so that requests without one keep the fingerprints they had before versions existed
            canonical += "\neula=" + r.eulaVersion();
        }
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
