package io.nodelock.resend.web;

import io.nodelock.account.Account;
import io.nodelock.account.CurrentAccount;
import io.nodelock.account.Role;
import io.nodelock.api.ApiProblem;
import io.nodelock.api.Attachments;
import io.nodelock.notification.MailOutbox;
import io.nodelock.resend.Resend;
import io.nodelock.resend.ResendIntake;
import io.nodelock.resend.ResendStatus;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/resends")
@Tag(name = "Resend", description = "Get every active license of a device again")
class ResendController {

    private final ResendIntake resends;

    ResendController(ResendIntake resends) {
        this.resends = resends;
    }

    record SubmitRequest(String udi) {
    }

    record MailView(String recipient, String status, int attempts, Instant sentAt) {
    }

    record ResendView(UUID id, String status, String udi, String channel, List<String> licenseIds, String licenseFile,
                      MailView mail, Map<String, String> rejection, Instant createdAt, Instant completedAt) {
    }

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Send a device's licenses again", description = "Builds a fresh file of every license active on the "
            + "device now (no PAK unit is used, license ids stay) and mails it to the account's registered address; a few "
            + "times per device and day. 202 with a Location to poll.")
    ResponseEntity<ResendView> submit(@RequestBody SubmitRequest body) {
        Account caller = CurrentAccount.get();
        Resend resend = resends.submit(caller.id(), caller.id(), body.udi(), ResendIntake.CHANNEL_API);
        return ResponseEntity.status(HttpStatus.ACCEPTED).location(URI.create("/api/v1/resends/" + resend.id())).body(view(resend));
    }

    @GetMapping("/{id}")
    @Operation(summary = "Status and result of a resend")
    ResendView get(@PathVariable String id) {
        return view(load(id));
    }

    @GetMapping(value = "/{id}/license-file", produces = {"application/x-nodelock-license", MediaType.TEXT_PLAIN_VALUE})
    @Operation(summary = "Download the resent license file")
    ResponseEntity<String> licenseFile(@PathVariable String id) {
        Resend r = load(id);
        if (r.status() != ResendStatus.ISSUED) {
            throw ApiProblem.licenseNotIssued(r.status() == ResendStatus.REJECTED
                    ? "This resend was refused: " + r.rejectionMessage() : "The file is not built yet.");
        }
        return Attachments.textFile(r.fileName(), r.content());
    }

    private Resend load(String id) {
        UUID uuid;
        try {
            uuid = UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw ApiProblem.notFound("resend", id);
        }
        Account caller = CurrentAccount.get();
        return resends.find(uuid, caller.id(), caller.has(Role.OPERATOR)).orElseThrow(() -> ApiProblem.notFound("resend", id));
    }

    private ResendView view(Resend r) {
        MailView mail = resends.mail(r.id()).map((MailOutbox.MailStatus m) -> new MailView(m.recipient(), m.status().name(),
                m.attempts(), m.sentAt())).orElse(null);
        return new ResendView(r.id(), r.status().name(), r.udi().binding(), r.channel(), r.licenseIds(),
                r.status() == ResendStatus.ISSUED ? "/api/v1/resends/" + r.id() + "/license-file" : null, mail,
                r.rejectionCode() == null ? null : Map.of("code", r.rejectionCode(), "message", r.rejectionMessage()),
                r.createdAt(), r.completedAt());
    }
}
