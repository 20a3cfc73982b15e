package io.nodelock.audit.web;

import io.nodelock.api.ApiProblem;
import io.nodelock.audit.AuditCheckpoints;
import io.nodelock.audit.AuditEvent;
import io.nodelock.audit.AuditLog;
import io.nodelock.audit.AuditVerification;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/audit")
@Tag(name = "Audit", description = "The audit trail, for operators")
class AuditController {

    private static final int MAX_LIMIT = 1000;

    private final AuditLog audit;
    private final AuditVerification verification;
    private final AuditCheckpoints checkpoints;

    AuditController(AuditLog audit, AuditVerification verification, AuditCheckpoints checkpoints) {
        this.audit = audit;
        this.verification = verification;
        this.checkpoints = checkpoints;
    }

    @GetMapping("/verification")
    @PreAuthorize("hasRole('OPERATOR')")
    @Operation(summary = "Verify the whole audit chain and its signed checkpoints; names the first broken link if any")
    AuditVerification.Result verify() {
        return verification.verify();
    }

    @PostMapping("/checkpoints")
    @PreAuthorize("hasRole('OPERATOR')")
    @Operation(summary = "Anchor the audit chain's end now with a checkpoint signed by the service key (also done periodically)")
    ResponseEntity<AuditCheckpoints.Checkpoint> anchor() {
        return checkpoints.anchor().map(ResponseEntity::ok).orElseGet(() -> ResponseEntity.noContent().build());
    }

    @GetMapping
    @PreAuthorize("hasRole('OPERATOR')")
    @Operation(summary = "Audit events of one subject, oldest first (e.g. subject=fulfillment:<id> or pak:<code>); limit 1 to 1000")
    List<AuditEvent> events(@RequestParam String subject, @RequestParam(defaultValue = "200") int limit) {
        // No control characters: a NUL would fail the query in PostgreSQL, and no subject holds any.
        if (subject.isBlank() || subject.length() > 120 || subject.chars().anyMatch(Character::isISOControl)) {
            throw ApiProblem.invalid("subject", "subject must be 1 to 120 characters without control characters, "
                    + "e.g. fulfillment:<id>");
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            // Refused rather than clamped: a caller asking for more than it gets would take a partial trail for all of it.
            throw ApiProblem.invalid("limit", "limit must be 1 to " + MAX_LIMIT);
        }
        return audit.forSubject(subject, limit);
    }
}
