package io.nodelock.fulfillment.web;

import io.nodelock.account.Account;
import io.nodelock.account.CurrentAccount;
import io.nodelock.account.Role;
import io.nodelock.api.ApiProblem;
import io.nodelock.api.Attachments;
import io.nodelock.api.Problems;
import io.nodelock.eula.ConsentOrigin;
import io.nodelock.eula.EulaConsent;
import io.nodelock.fulfillment.Fulfillment;
import io.nodelock.fulfillment.FulfillmentRequest;
import io.nodelock.fulfillment.FulfillmentIntake;
import io.nodelock.fulfillment.FulfillmentStatus;
import io.nodelock.license.IssuedLicenseFile;
import io.nodelock.notification.MailOutbox;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/fulfillments")
@Tag(name = "Fulfillments", description = "Turn a PAK and a device UDI into a signed license file")
class FulfillmentController {

    private final FulfillmentIntake fulfillments;

    FulfillmentController(FulfillmentIntake fulfillments) {
        this.fulfillments = fulfillments;
    }

    /** {@code eulaVersion}: the EULA version accepted, for a SKU that requires the EULA; missing means the current one. */
    record SubmitRequest(String pakCode, String sku, String udi, String email, Boolean eulaAccepted, String eulaVersion) {
    }

    record Rejection(String code, String message) {
    }

    record MailView(String recipient, String status, int attempts, Instant sentAt, String lastError) {
        static MailView of(MailOutbox.MailStatus m) {
            return new MailView(m.recipient(), m.status().name(), m.attempts(), m.sentAt(), m.lastError());
        }
    }

    /** {@code eulaVersion}: the EULA version the consent recorded with the request names (null when the SKU needs none). */
    record FulfillmentView(UUID id, String status, String pakCode, String sku, String udi, String email, boolean eulaAccepted,
                           String eulaVersion, Instant createdAt, Instant completedAt, Rejection rejection, List<String> licenseIds,
                           String licenseFile, MailView mail, Map<String, String> links) {
    }

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Submit a fulfillment", description = "Answers 202 with a Location to poll. A retry with the same "
            + "Idempotency-Key returns the first fulfillment instead of starting a second one.")
    ResponseEntity<FulfillmentView> submit(@RequestBody SubmitRequest body, HttpServletRequest request,
                                           @Parameter(description = "Client-chosen key that makes retries safe: 1 to 200 "
                                                   + "printable ASCII characters (space to tilde), not all blank")
                                           @RequestHeader(name = "Idempotency-Key", required = false) String idempotencyKey) {
        // Printable ASCII: header bytes beyond it are decoded differently by every hop, so such a key would not
        // reliably match its own retry; 200 is the stored column's width.
        if (idempotencyKey != null && (idempotencyKey.isBlank() || idempotencyKey.length() > 200
                || !Problems.isPrintableAscii(idempotencyKey))) {
            throw ApiProblem.invalid("Idempotency-Key", "Idempotency-Key must be 1 to 200 printable ASCII characters");
        }
        Account caller = CurrentAccount.get();
        // Through the API the account of the token is who accepts: tokens name no person.
        FulfillmentIntake.Submission submission = fulfillments.submit(caller.id(), caller.id(),
                new FulfillmentRequest(body.pakCode(), body.sku(), body.udi(), body.email(), body.eulaAccepted(), body.eulaVersion()),
                idempotencyKey, ConsentOrigin.api(request.getRemoteAddr(), request.getHeader(HttpHeaders.USER_AGENT)));
        Fulfillment f = submission.fulfillment();
        return ResponseEntity.status(HttpStatus.ACCEPTED)
                .location(URI.create("/api/v1/fulfillments/" + f.id()))
                .header("Idempotent-Replayed", Boolean.toString(!submission.created()))
                .body(view(f));
    }

    @GetMapping("/{id}")
    @Operation(summary = "Status and result of a fulfillment")
    FulfillmentView get(@PathVariable String id) {
        return view(load(id));
    }

    @GetMapping(value = "/{id}/license-file", produces = {"application/x-nodelock-license", MediaType.TEXT_PLAIN_VALUE})
    @Operation(summary = "Download the issued license file")
    ResponseEntity<String> licenseFile(@PathVariable String id) {
        Fulfillment f = load(id);
        IssuedLicenseFile file = fulfillments.licenseFile(f.id()).orElseThrow(() -> ApiProblem.licenseNotIssued(f.status() == FulfillmentStatus.REJECTED
                ? "This fulfillment was rejected: " + f.rejectionMessage()
                : "The license is not issued yet; poll the fulfillment until its status is ISSUED."));
        return Attachments.textFile(file.fileName(), file.content());
    }

    private Fulfillment load(String id) {
        UUID uuid;
        try {
            uuid = UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw ApiProblem.notFound("Fulfillment", id);
        }
        Account caller = CurrentAccount.get();
        return fulfillments.find(uuid, caller.id(), caller.has(Role.OPERATOR))
                .orElseThrow(() -> ApiProblem.notFound("Fulfillment", id));
    }

    private FulfillmentView view(Fulfillment f) {
        String self = "/api/v1/fulfillments/" + f.id();
        List<String> licenseIds = List.of();
        String fileLink = null;
        MailView mail = null;
        if (f.status() == FulfillmentStatus.ISSUED) {
            licenseIds = fulfillments.licenseFile(f.id()).map(IssuedLicenseFile::licenseIds).orElse(List.of());
            fileLink = self + "/license-file";
            mail = fulfillments.licenseMail(f.id()).map(MailView::of).orElse(null);
        } else if (f.status() == FulfillmentStatus.REJECTED) {
            mail = fulfillments.rejectionMail(f.id()).map(MailView::of).orElse(null);
        }
        Map<String, String> links = fileLink == null ? Map.of("self", self) : Map.of("self", self, "licenseFile", fileLink);
        return new FulfillmentView(f.id(), f.status().name(), f.pakCode().formatted(), f.sku(), f.udi().toString(), f.email(), f.eulaAccepted(),
                fulfillments.eulaConsent(f).map(EulaConsent::eulaVersion).orElse(null), f.createdAt(), f.completedAt(), f.rejectionCode() == null ? null : new Rejection(f.rejectionCode(), f.rejectionMessage()),
                licenseIds, fileLink, mail, links);
    }
}
