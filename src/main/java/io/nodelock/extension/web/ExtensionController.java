package io.nodelock.extension.web;

import io.nodelock.account.Account;
import io.nodelock.account.CurrentAccount;
import io.nodelock.account.Role;
import io.nodelock.api.ApiProblem;
import io.nodelock.api.Attachments;
import io.nodelock.eula.ConsentOrigin;
import io.nodelock.extension.Extension;
import io.nodelock.extension.ExtensionDecision;
import io.nodelock.extension.ExtensionIntake;
import io.nodelock.extension.ExtensionRequest;
import io.nodelock.extension.ExtensionStatus;
import io.nodelock.license.IssuedLicenseFile;
import io.nodelock.notification.MailOutbox;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Extensions", description = "Ask TAC to extend an evaluation or extension license")
class ExtensionController {

    private final ExtensionIntake extensions;

    ExtensionController(ExtensionIntake extensions) {
        this.extensions = extensions;
    }

    record SubmitRequest(String udi, String feature, Integer days, String reason, String email, String eulaVersion,
                         Boolean eulaAccepted) {
    }

    record ExtendRequest(Integer days, String reason, String email, String eulaVersion, Boolean eulaAccepted) {
    }

    record PolicyView(String rule, String decision, String detail, Boolean needsLeadApproval, Integer extensionNumber) {
    }

    record DecisionView(int round, String decidedBy, String decision, Integer days, String comment, Instant decidedAt) {
    }

    record MailView(String recipient, String status, int attempts, Instant sentAt) {
    }

    record ExtensionView(UUID id, String status, String udi, String feature, String extendsLicense, int daysRequested,
                         Integer daysGranted, String reason, String email, String eulaVersion, PolicyView policy,
                         List<DecisionView> decisions, Instant escalatedAt, Map<String, String> rejection,
                         List<String> licenseIds, String licenseFile, MailView mail, Instant createdAt, Instant completedAt) {
    }

    @PostMapping(value = "/api/v1/licenses/{licenseId}/extend", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Ask to extend an evaluation or extension license", description = "Action on one of your evaluation "
            + "or extension licenses: asks for more days of use of its feature on its device, under the EULA version you "
            + "accept (eulaAccepted must be true). Policy approves small first extensions at once; others wait for TAC, "
            + "large or repeated ones for a TAC lead too. 202 with a Location to poll.")
    ResponseEntity<ExtensionView> extend(@PathVariable String licenseId, @RequestBody ExtendRequest body, HttpServletRequest http) {
        Account caller = CurrentAccount.get();
        ExtensionRequest request = extensions.forLicense(caller.id(), licenseId, new ExtensionRequest(null, null, body.days(),
                body.reason(), body.email(), body.eulaVersion(), body.eulaAccepted()));
        return accepted(extensions.submit(caller.id(), caller.id(), request, origin(http)));
    }

    @PostMapping(value = "/api/v1/extensions", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Ask to extend the evaluation of a feature on a device", description = "The same request as "
            + "POST /api/v1/licenses/{licenseId}/extend, naming the device (UDI) and the feature instead of the license.")
    ResponseEntity<ExtensionView> submit(@RequestBody SubmitRequest body, HttpServletRequest http) {
        Account caller = CurrentAccount.get();
        return accepted(extensions.submit(caller.id(), caller.id(), new ExtensionRequest(body.udi(), body.feature(), body.days(),
                body.reason(), body.email(), body.eulaVersion(), body.eulaAccepted()), origin(http)));
    }

    @GetMapping("/api/v1/extensions/{id}")
    @Operation(summary = "Status, decisions and result of an extension request")
    ExtensionView get(@PathVariable String id) {
        return view(load(id));
    }

    @GetMapping(value = "/api/v1/extensions/{id}/license-file", produces = {"application/x-nodelock-license", MediaType.TEXT_PLAIN_VALUE})
    @Operation(summary = "Download the extension's license file")
    ResponseEntity<String> licenseFile(@PathVariable String id) {
        Extension e = load(id);
        IssuedLicenseFile file = extensions.licenseFile(e.id()).orElseThrow(() -> ApiProblem.licenseNotIssued(e.status() == ExtensionStatus.REJECTED
                ? "This extension was not granted: " + e.rejectionMessage() : "The extension is not issued yet (" + e.status() + ")."));
        return Attachments.textFile(file.fileName(), file.content());
    }

    private ResponseEntity<ExtensionView> accepted(Extension e) {
        return ResponseEntity.status(HttpStatus.ACCEPTED).location(URI.create("/api/v1/extensions/" + e.id())).body(view(e));
    }

    private static ConsentOrigin origin(HttpServletRequest http) {
        return ConsentOrigin.api(http.getRemoteAddr(), http.getHeader(HttpHeaders.USER_AGENT));
    }

    private Extension load(String id) {
        UUID uuid;
        try {
            uuid = UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw ApiProblem.notFound("extension request", id);
        }
        Account caller = CurrentAccount.get();
        return extensions.find(uuid, caller.id(), caller.has(Role.OPERATOR)).orElseThrow(() -> ApiProblem.notFound("extension request", id));
    }

    private ExtensionView view(Extension e) {
        Optional<IssuedLicenseFile> file = e.status() == ExtensionStatus.ISSUED ? extensions.licenseFile(e.id()) : Optional.empty();
        List<DecisionView> decisions = extensions.decisions(e.id()).stream().map((ExtensionDecision d) -> new DecisionView(d.round(),
                d.decidedBy(), d.decision(), d.days(), d.comment(), d.decidedAt())).toList();
        MailView mail = extensions.mail(e.id()).map((MailOutbox.MailStatus m) -> new MailView(m.recipient(), m.status().name(),
                m.attempts(), m.sentAt())).orElse(null);
        return new ExtensionView(e.id(), e.status().name(), e.udi().binding(), e.feature(), e.baseLicenseId(), e.daysRequested(),
                e.daysGranted(), e.reason(), e.email(), e.eulaVersion(),
                e.policyRule() == null ? null : new PolicyView(e.policyRule(), e.policyDecision(), e.policyDetail(),
                        e.needsLeadApproval(), e.sequence()),
                decisions, e.escalatedAt(),
                e.rejectionCode() == null ? null : Map.of("code", e.rejectionCode(), "message", e.rejectionMessage()),
                file.map(IssuedLicenseFile::licenseIds).orElse(List.of()),
                file.isPresent() ? "/api/v1/extensions/" + e.id() + "/license-file" : null, mail, e.createdAt(), e.completedAt());
    }
}
