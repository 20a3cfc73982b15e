package io.nodelock.evaluation.web;

import io.nodelock.account.Account;
import io.nodelock.account.CurrentAccount;
import io.nodelock.account.Role;
import io.nodelock.api.ApiProblem;
import io.nodelock.api.Attachments;
import io.nodelock.eula.ConsentOrigin;
import io.nodelock.eula.Eula;
import io.nodelock.eula.EulaConsent;
import io.nodelock.eula.EulaConsents;
import io.nodelock.evaluation.Evaluation;
import io.nodelock.evaluation.EvaluationIntake;
import io.nodelock.evaluation.EvaluationRefusals;
import io.nodelock.evaluation.EvaluationRefusedException;
import io.nodelock.evaluation.EvaluationRequest;
import io.nodelock.license.IssuedLicenseFile;
import io.nodelock.notification.MailOutbox;
import io.nodelock.workflow.Refusal;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/evaluations")
@Tag(name = "Evaluations", description = "Self-serve evaluation licenses: once per feature per device, no PAK, EULA accepted")
class EvaluationController {

    private final EvaluationIntake evaluations;

    EvaluationController(EvaluationIntake evaluations) {
        this.evaluations = evaluations;
    }

    record EulaRef(String version, String title, String sha256, String text) {
        static EulaRef of(Eula eula) {
            return new EulaRef(eula.version(), eula.title(), eula.sha256(), EulaConsents.TEXT_PATH + eula.version());
        }
    }

    /**
     * @param available     true if the device may ask for it now
     * @param evaluationId  the device's earlier evaluation of the feature, when this account was granted it
     */
    record OfferView(String feature, String description, int usageDays, boolean available, UUID evaluationId,
                     Instant evaluatedAt) {
    }

    record OffersView(String udi, boolean deviceLocked, EulaRef eula, List<OfferView> offers) {
    }

    record EulaAcceptance(String version, String sha256, String acceptedBy, Instant acceptedAt, String text) {
    }

    record MailView(String recipient, String status, int attempts, Instant sentAt, String lastError) {
        static MailView of(MailOutbox.MailStatus m) {
            return new MailView(m.recipient(), m.status().name(), m.attempts(), m.sentAt(), m.lastError());
        }
    }

    record EvaluationView(UUID id, String udi, String feature, String type, int usageDays, String email, Instant createdAt,
                          EulaAcceptance eula, List<String> licenseIds, String licenseFile, MailView mail,
                          Map<String, String> links) {
    }

    @GetMapping("/offers")
    @Operation(summary = "What a device your account holds may evaluate, and the EULA to accept for it")
    OffersView offers(@RequestParam String udi) {
        Account caller = CurrentAccount.get();
        EvaluationIntake.DeviceOffers offers = refusing(() -> evaluations.offers(caller.id(), udi));
        return new OffersView(offers.udi().binding(), offers.locked(), offers.eula().map(EulaRef::of).orElse(null),
                offers.offers().stream().map(o -> new OfferView(o.feature(), o.description(), o.usageDays(),
                        !offers.locked() && o.earlier().isEmpty(),
                        o.earlier().filter(e -> e.accountId().equals(caller.id())).map(Evaluation::id).orElse(null),
                        o.earlier().map(Evaluation::createdAt).orElse(null))).toList());
    }

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Ask for an evaluation license", description = "Granted at once: 201 with a Location; the license "
            + "file is also mailed. Once per feature per device: a second request is a 409 naming the first.")
    ResponseEntity<EvaluationView> request(@RequestBody EvaluationRequest body, HttpServletRequest request) {
        Account caller = CurrentAccount.get();
        // Through the API the account of the token is who accepts the EULA: tokens name no person.
        Evaluation evaluation = refusing(() -> evaluations.request(caller.id(), caller.id(), body,
                ConsentOrigin.api(request.getRemoteAddr(), request.getHeader(HttpHeaders.USER_AGENT))));
        return ResponseEntity.created(URI.create("/api/v1/evaluations/" + evaluation.id())).body(view(evaluation));
    }

    @GetMapping("/{id}")
    @Operation(summary = "An evaluation: its license, the EULA accepted for it, its mail")
    EvaluationView get(@PathVariable String id) {
        return view(load(id));
    }

    @GetMapping(value = "/{id}/license-file", produces = {"application/x-nodelock-license", MediaType.TEXT_PLAIN_VALUE})
    @Operation(summary = "Download the evaluation's license file")
    ResponseEntity<String> licenseFile(@PathVariable String id) {
        Evaluation evaluation = load(id);
        // granted with its file in one transaction: a missing file is a fault, not a state
        IssuedLicenseFile file = evaluations.licenseFile(evaluation.id()).orElseThrow(() -> new IllegalStateException(
                "evaluation " + evaluation.id() + " has no license file"));
        return Attachments.textFile(file.fileName(), file.content());
    }

    private Evaluation load(String id) {
        UUID uuid;
        try {
            uuid = UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw ApiProblem.notFound("Evaluation", id);
        }
        Account caller = CurrentAccount.get();
        return evaluations.find(uuid, caller.id(), caller.has(Role.OPERATOR)).orElseThrow(() -> ApiProblem.notFound("Evaluation", id));
    }

    private EvaluationView view(Evaluation e) {
        String self = "/api/v1/evaluations/" + e.id();
        EulaConsent consent = evaluations.eulaConsent(e).orElseThrow(() -> new IllegalStateException(
                "evaluation " + e.id() + " has no EULA consent"));
        List<String> licenseIds = evaluations.licenseFile(e.id()).map(IssuedLicenseFile::licenseIds).orElse(List.of());
        return new EvaluationView(e.id(), e.udi().binding(), e.feature(), "evaluation", e.usageDays(), e.email(), e.createdAt(),
                new EulaAcceptance(consent.eulaVersion(), consent.textSha256(), consent.acceptedBy(), consent.acceptedAt(),
                        EulaConsents.TEXT_PATH + consent.eulaVersion()),
                licenseIds, self + "/license-file", evaluations.licenseMail(e).map(MailView::of).orElse(null),
                Map.of("self", self, "licenseFile", self + "/license-file"));
    }

    /** Runs an intake call, answering its refusal as problem details with the status {@link EvaluationRefusals} gives it. */
    private static <T> T refusing(Supplier<T> call) {
        try {
            return call.get();
        } catch (EvaluationRefusedException refused) {
            Refusal refusal = refused.refusal();
            Map<String, Object> properties = new LinkedHashMap<>(refusal.details());
            properties.put("code", refusal.code());
            String title = Refusal.INVALID_REQUEST.equals(refusal.code()) ? "Invalid request"
                    : EvaluationRefusals.RESPONSES.title();
            throw new ApiProblem(HttpStatus.valueOf(EvaluationRefusals.RESPONSES.statusOf(refusal.code())), refusal.type(), title,
                    refusal.message(), refusal.errors().stream().map(f -> new ApiProblem.FieldError(f.field(), f.message())).toList(),
                    properties);
        }
    }
}
