package io.nodelock.audit.web;

import io.nodelock.api.ApiProblem;
import io.nodelock.audit.AuditEvent;
import io.nodelock.audit.AuditLog;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/audit")
@Tag(name = "Audit", description = "The audit trail, for operators")
class AuditController {

    private final AuditLog audit;

    AuditController(AuditLog audit) {
        this.audit = audit;
    }

    @GetMapping
    @PreAuthorize("hasRole('OPERATOR')")
    @Operation(summary = "Audit events of one subject, oldest first (e.g. subject=fulfillment:<id> or pak:<code>)")
    List<AuditEvent> events(@RequestParam String subject, @RequestParam(defaultValue = "200") int limit) {
        if (subject.isBlank() || subject.length() > 120) {
            throw ApiProblem.invalid("subject", "subject must be 1 to 120 characters, e.g. fulfillment:<id>");
        }
        return audit.forSubject(subject, limit);
    }
}
