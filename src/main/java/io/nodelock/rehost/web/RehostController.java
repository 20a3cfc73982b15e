package io.nodelock.rehost.web;

import io.nodelock.account.Account;
import io.nodelock.account.CurrentAccount;
import io.nodelock.account.Role;
import io.nodelock.api.ApiProblem;
import io.nodelock.api.Attachments;
import io.nodelock.license.IssuedLicenseFile;
import io.nodelock.license.License;
import io.nodelock.rehost.Rehost;
import io.nodelock.rehost.RehostRequest;
import io.nodelock.rehost.RehostIntake;
import io.nodelock.rehost.RehostStatus;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
@RequestMapping("/api/v1/rehosts")
@Tag(name = "Rehost", description = "Transfer licenses between two working devices with a permission ticket and a rehost ticket")
class RehostController {

    private final RehostIntake rehosts;

    RehostController(RehostIntake rehosts) {
        this.rehosts = rehosts;
    }

    record CredentialBody(String credential) {
    }

    record RehostTicketUpload(String rehostTicket, String destinationUdi) {
    }

    record TransferableLicense(String id, String feature, String type, int count, Instant issuedAt) {
    }

    record TransferableView(String udi, String deviceKeyId, List<TransferableLicense> licenses) {
    }

    record PermissionTicketView(String id, Instant issuedAt, Instant expiresAt, String keyId, String download) {
    }

    record RehostView(UUID id, String status, String sourceUdi, String destinationUdi, String email, List<String> licenseIds,
                      PermissionTicketView permissionTicket, List<String> destinationLicenseIds, String licenseFile,
                      Map<String, String> rejection, Map<String, String> mails, Instant createdAt, Instant redeemedAt,
                      Instant completedAt) {
    }

    @PostMapping(value = "/transferable-licenses", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "List the licenses a device may transfer", description = "Checks the device credential (from 'license "
            + "save credential'); the first valid credential registers the device key. Lists the active, permanent licenses "
            + "of the device that no open rehost names; evaluation, extension, subscription and emergency licenses never move.")
    TransferableView transferable(@RequestBody CredentialBody body) {
        Account caller = CurrentAccount.get();
        RehostIntake.VerifiedSource source = rehosts.verifySource(caller.id(), body == null ? null : body.credential());
        List<TransferableLicense> list = rehosts.transferable(source).stream().map(RehostController::view).toList();
        return new TransferableView(source.udi().binding(), source.deviceKey().keyId(), list);
    }

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Request a license rehost", description = "Issues a permission ticket for the chosen licenses of the "
            + "source device (mailed and downloadable); the process then waits for the device's rehost ticket until the "
            + "permission ticket expires. 202 with a Location to poll.")
    ResponseEntity<RehostView> submit(@RequestBody RehostRequest request) {
        Account caller = CurrentAccount.get();
        Rehost rehost = rehosts.submit(caller.id(), request);
        return ResponseEntity.status(HttpStatus.ACCEPTED).location(URI.create("/api/v1/rehosts/" + rehost.id())).body(view(rehost));
    }

    @GetMapping("/{id}")
    @Operation(summary = "Status and result of a rehost")
    RehostView get(@PathVariable String id) {
        return view(load(id));
    }

    @GetMapping(value = "/{id}/permission-ticket", produces = MediaType.TEXT_PLAIN_VALUE)
    @Operation(summary = "Download the permission ticket", description = "The file to give to 'license revoke' on the source device.")
    ResponseEntity<String> permissionTicket(@PathVariable String id) {
        Rehost rehost = load(id);
        var ticket = rehosts.permissionTicket(rehost.id()).orElseThrow(() -> new ApiProblem(HttpStatus.CONFLICT,
                "permission-ticket-not-issued", "No permission ticket", rehost.status() == RehostStatus.REJECTED
                ? "This rehost was rejected: " + rehost.rejectionMessage() : "The permission ticket is not issued yet."));
        return Attachments.textFile("permission-" + ticket.id() + ".txt", ticket.content());
    }

    @PostMapping(value = "/{id}/rehost-ticket", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Upload the rehost ticket", description = "Checks the device's signature and that the ticket answers "
            + "this rehost's issued, unexpired, unredeemed permission ticket, then signs the same features for the destination. "
            + "A rehost ticket is redeemed once: any further upload gets 409 already-redeemed.")
    ResponseEntity<RehostView> uploadRehostTicket(@PathVariable String id, @RequestBody RehostTicketUpload upload) {
        Rehost rehost = load(id);
        Account caller = CurrentAccount.get();
        if (!rehost.accountId().equals(caller.id())) {
            // Operators may look at a rehost, but only its owner redeems it.
            throw new ApiProblem(HttpStatus.FORBIDDEN, "forbidden", "Forbidden", "Only the account that owns this rehost may upload its rehost ticket.");
        }
        Rehost redeemed = rehosts.redeem(rehost, caller.id(), upload == null ? null : upload.rehostTicket(),
                upload == null ? null : upload.destinationUdi());
        return ResponseEntity.status(HttpStatus.ACCEPTED).location(URI.create("/api/v1/rehosts/" + rehost.id())).body(view(redeemed));
    }

    @GetMapping(value = "/{id}/license-file", produces = {"application/x-nodelock-license", MediaType.TEXT_PLAIN_VALUE})
    @Operation(summary = "Download the destination's license file")
    ResponseEntity<String> licenseFile(@PathVariable String id) {
        Rehost rehost = load(id);
        IssuedLicenseFile file = rehosts.licenseFile(rehost.id()).orElseThrow(() -> ApiProblem.licenseNotIssued("The destination licenses are not issued (status " + rehost.status() + ")."));
        return Attachments.textFile(file.fileName(), file.content());
    }

    private Rehost load(String id) {
        UUID uuid;
        try {
            uuid = UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw ApiProblem.notFound("Rehost", id);
        }
        Account caller = CurrentAccount.get();
        return rehosts.find(uuid, caller.id(), caller.has(Role.OPERATOR)).orElseThrow(() -> ApiProblem.notFound("Rehost", id));
    }

    private static TransferableLicense view(License l) {
        return new TransferableLicense(l.id(), l.feature(), l.type().wireName(), l.count(), l.issuedAt());
    }

    private RehostView view(Rehost r) {
        String base = "/api/v1/rehosts/" + r.id();
        PermissionTicketView ticket = rehosts.permissionTicket(r.id()).map(t -> new PermissionTicketView(t.id(), t.issuedAt(),
                t.expiresAt(), t.keyId(), base + "/permission-ticket")).orElse(null);
        Optional<IssuedLicenseFile> file = r.status() == RehostStatus.ISSUED ? rehosts.licenseFile(r.id()) : Optional.empty();
        Map<String, String> mails = new LinkedHashMap<>();
        rehosts.mails(r.id()).forEach((kind, m) -> mails.put(kind, m.status().name()));
        return new RehostView(r.id(), r.status().name(), r.sourceUdi().binding(),
                r.destinationUdi() == null ? null : r.destinationUdi().binding(), r.email(), r.licenseIds(), ticket,
                file.map(IssuedLicenseFile::licenseIds).orElse(List.of()), file.isPresent() ? base + "/license-file" : null,
                r.rejectionCode() == null ? null : Map.of("code", r.rejectionCode(), "message", r.rejectionMessage()), mails,
                r.createdAt(), r.redeemedAt(), r.completedAt());
    }
}
