package io.nodelock.rma.web;

import io.nodelock.account.Account;
import io.nodelock.account.CurrentAccount;
import io.nodelock.account.Role;
import io.nodelock.api.ApiProblem;
import io.nodelock.api.Attachments;
import io.nodelock.license.IssuedLicenseFile;
import io.nodelock.rma.Rma;
import io.nodelock.rma.RmaRequest;
import io.nodelock.rma.RmaIntake;
import io.nodelock.rma.RmaStatus;
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
@RequestMapping("/api/v1/rmas")
@Tag(name = "RMA", description = "Move the licenses of a failed device to its replacement")
class RmaController {

    private final RmaIntake rmas;

    RmaController(RmaIntake rmas) {
        this.rmas = rmas;
    }

    record RmaView(UUID id, String status, String rmaNumber, String failedUdi, String replacementUdi, String email,
                   String reviewReason, String reviewedBy, String reviewComment, Map<String, String> rejection,
                   List<String> licenseIds, String licenseFile, Instant createdAt, Instant completedAt) {
    }

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Request an RMA license transfer", description = "Locks the failed device at once and reissues its "
            + "active licenses for the replacement; policy may route it to a TAC review first. 202 with a Location to poll.")
    ResponseEntity<RmaView> submit(@RequestBody RmaRequest request) {
        Account caller = CurrentAccount.get();
        Rma rma = rmas.submit(caller.id(), request);
        return ResponseEntity.status(HttpStatus.ACCEPTED).location(URI.create("/api/v1/rmas/" + rma.id())).body(view(rma));
    }

    @GetMapping("/{id}")
    @Operation(summary = "Status and result of an RMA")
    RmaView get(@PathVariable String id) {
        return view(load(id));
    }

    @GetMapping(value = "/{id}/license-file", produces = {"application/x-nodelock-license", MediaType.TEXT_PLAIN_VALUE})
    @Operation(summary = "Download the replacement's license file")
    ResponseEntity<String> licenseFile(@PathVariable String id) {
        Rma rma = load(id);
        IssuedLicenseFile file = rmas.licenseFile(rma.id()).orElseThrow(() -> ApiProblem.licenseNotIssued(rma.status() == RmaStatus.REJECTED
                ? "This RMA was rejected: " + rma.rejectionMessage() : "The replacement licenses are not issued yet."));
        return Attachments.textFile(file.fileName(), file.content());
    }

    private Rma load(String id) {
        UUID uuid;
        try {
            uuid = UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw ApiProblem.notFound("RMA", id);
        }
        Account caller = CurrentAccount.get();
        return rmas.find(uuid, caller.id(), caller.has(Role.OPERATOR)).orElseThrow(() -> ApiProblem.notFound("RMA", id));
    }

    private RmaView view(Rma rma) {
        var file = rma.status() == RmaStatus.ISSUED ? rmas.licenseFile(rma.id()) : java.util.Optional.<IssuedLicenseFile>empty();
        return new RmaView(rma.id(), rma.status().name(), rma.rmaNumber(), rma.failedUdi().binding(), rma.replacementUdi().binding(), rma.email(),
                rma.reviewReason(), rma.reviewedBy(), rma.reviewComment(),
                rma.rejectionCode() == null ? null : Map.of("code", rma.rejectionCode(), "message", rma.rejectionMessage()),
                file.map(IssuedLicenseFile::licenseIds).orElse(List.of()),
                file.isPresent() ? "/api/v1/rmas/" + rma.id() + "/license-file" : null, rma.createdAt(), rma.completedAt());
    }
}
