package io.nodelock.notification.web;

import io.nodelock.account.Account;
import io.nodelock.account.CurrentAccount;
import io.nodelock.api.ApiProblem;
import io.nodelock.notification.MailOutbox;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Mail the outbox gave up on, and an operator's retry of it. */
@RestController
@RequestMapping("/api/v1/mails")
@Tag(name = "Mail", description = "Customer mail the outbox gave up on, for operators")
class MailController {

    private final MailOutbox outbox;

    MailController(MailOutbox outbox) {
        this.outbox = outbox;
    }

    @GetMapping("/failed")
    @PreAuthorize("hasRole('OPERATOR')")
    @Operation(summary = "Mails parked as FAILED after nodelock.mail.give-up-after, oldest first (limit 1 to 1000)")
    List<MailOutbox.FailedMail> failed(@RequestParam(defaultValue = "200") int limit) {
        if (limit < 1 || limit > 1000) {
            throw ApiProblem.invalid("limit", "limit must be 1 to 1000");
        }
        return outbox.failedMails(limit);
    }

    @PostMapping("/{operationId}/retry")
    @PreAuthorize("hasRole('OPERATOR')")
    @Operation(summary = "Queue a FAILED mail again (e.g. once the relay or the address is fixed); 202, then poll the request's mail status")
    ResponseEntity<MailOutbox.MailStatus> retry(@PathVariable String operationId) {
        Account operator = CurrentAccount.get();
        return switch (outbox.retry(operationId, operator.id())) {
            case RETRIED -> ResponseEntity.accepted().body(outbox.find(operationId).orElseThrow());
            case UNKNOWN -> throw ApiProblem.notFound("Mail", operationId);
            case NOT_FAILED -> throw new ApiProblem(HttpStatus.CONFLICT, "mail-not-failed", "Mail not failed",
                    "Only a mail parked as FAILED can be retried; this one is " + outbox.find(operationId).map(m -> m.status().name()).orElse("gone") + ".");
        };
    }
}
