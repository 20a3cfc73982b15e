package io.nodelock.account.web;

import io.nodelock.account.Account;
import io.nodelock.account.AccountAdministration;
import io.nodelock.account.AccountUser;
import io.nodelock.account.AccountUserRole;
import io.nodelock.account.CurrentAccount;
import io.nodelock.api.ApiProblem;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.time.Instant;
import java.util.UUID;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** Operators manage customer accounts: create one, invite its first admin, suspend and reactivate it. */
@RestController
@Tag(name = "Accounts", description = "Customer accounts (operators)")
class AccountsController {

    private final AccountAdministration administration;

    AccountsController(AccountAdministration administration) {
        this.administration = administration;
    }

    record NewAccount(String id, String displayName, String email) {
    }

    record AccountCreated(String id, String displayName, String email, Instant createdAt) {
    }

    @PostMapping("/api/v1/accounts")
    @PreAuthorize("hasRole('OPERATOR')")
    @Operation(summary = "Create a customer account (operators only); then invite its first admin")
    ResponseEntity<AccountCreated> create(@RequestBody NewAccount body) {
        if (body == null) {
            throw ApiProblem.invalid("id", "Send {id, displayName, email}.");
        }
        Account a = AccountProblems.call(() -> administration.createAccount(CurrentAccount.actor(), body.id(), body.displayName(), body.email()));
        return ResponseEntity.created(URI.create("/api/v1/accounts/" + a.id()))
                .body(new AccountCreated(a.id(), a.displayName(), a.email(), a.createdAt()));
    }

    record Invitation(String email, String role) {
    }

    record Invited(UUID id, String accountId, String email, String role, String status) {
    }

    @PostMapping("/api/v1/accounts/{accountId}/invitations")
    @PreAuthorize("hasRole('OPERATOR')")
    @Operation(summary = "Invite a person to a customer account (operators only; the role defaults to ACCOUNT_ADMIN)")
    ResponseEntity<Invited> invite(@PathVariable String accountId, @RequestBody Invitation body) {
        AccountUserRole role = body == null || body.role() == null ? AccountUserRole.ACCOUNT_ADMIN
                : AccountUserRole.parse(body.role()).orElseThrow(() -> ApiProblem.invalid("role",
                        "role must be ACCOUNT_ADMIN, ACCOUNT_USER or ACCOUNT_VIEWER."));
        AccountUser u = AccountProblems.call(() -> administration.invite(CurrentAccount.actor(), accountId,
                body == null ? null : body.email(), role));
        return ResponseEntity.status(201).body(new Invited(u.id(), u.accountId(), u.email(), u.role().name(), u.status().name()));
    }

    record Suspension(String reason) {
    }

    record AccountState(String id, boolean suspended, boolean changed) {
    }

    @PostMapping("/api/v1/accounts/{accountId}/suspend")
    @PreAuthorize("hasRole('OPERATOR')")
    @Operation(summary = "Suspend a customer account (operators only): its tokens and people are refused, nothing is deleted")
    AccountState suspend(@PathVariable String accountId, @RequestBody(required = false) Suspension body) {
        boolean changed = AccountProblems.call(() -> administration.suspend(CurrentAccount.actor(), accountId, body == null ? null : body.reason()));
        return new AccountState(accountId, true, changed);
    }

    @PostMapping("/api/v1/accounts/{accountId}/reactivate")
    @PreAuthorize("hasRole('OPERATOR')")
    @Operation(summary = "Reactivate a suspended customer account (operators only)")
    AccountState reactivate(@PathVariable String accountId) {
        boolean changed = AccountProblems.call(() -> administration.reactivate(CurrentAccount.actor(), accountId));
        return new AccountState(accountId, false, changed);
    }
}
