package io.nodelock.account.web;

import io.nodelock.account.Account;
import io.nodelock.account.AccountAdministration;
import io.nodelock.account.AccountUser;
import io.nodelock.account.AccountUserRole;
import io.nodelock.account.ApiTokens;
import io.nodelock.account.CurrentAccount;
import io.nodelock.account.SignedInUser;
import io.nodelock.api.ApiProblem;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** The caller's own account: who is signed in, the account's people and its API tokens. */
@RestController
@Tag(name = "Account", description = "Your account: its people and API tokens")
class AccountController {

    private final AccountAdministration administration;
    private final ApiTokens tokens;

    AccountController(AccountAdministration administration, ApiTokens tokens) {
        this.administration = administration;
        this.tokens = tokens;
    }

    record UserView(UUID id, String email, String displayName, String role, String status, Instant createdAt, Instant lastSignInAt) {
        static UserView of(AccountUser u) {
            return new UserView(u.id(), u.email(), u.displayName(), u.role().name(), u.status().name(), u.createdAt(), u.lastSignInAt());
        }
    }

    record AccountView(String id, String displayName, String email) {
        static AccountView of(Account a) {
            return new AccountView(a.id(), a.displayName(), a.email());
        }
    }

    record Me(UserView user, AccountView account, String via) {
    }

    @GetMapping("/api/v1/me")
    @Operation(summary = "Who is calling: the signed-in person (portal) or the token's account")
    Me me() {
        Account account = CurrentAccount.get();
        return CurrentAccount.user().map(u -> new Me(UserView.of(u.user()), AccountView.of(account), "session"))
                .orElseGet(() -> new Me(null, AccountView.of(account), "token"));
    }

    // ---- people ----

    record Items<T>(List<T> items) {
    }

    @GetMapping("/api/v1/account/users")
    @Operation(summary = "The people of your account")
    Items<UserView> users() {
        return new Items<>(administration.usersOf(CurrentAccount.get().id()).stream().map(UserView::of).toList());
    }

    record Invitation(String email, String role) {
    }

    @PostMapping("/api/v1/account/users/invitations")
    @Operation(summary = "Invite a person to your account (account admins): a single-use link is mailed to them")
    ResponseEntity<UserView> invite(@RequestBody Invitation body) {
        SignedInUser admin = admin("Inviting people");
        AccountUser user = AccountProblems.call(() -> administration.invite(admin.actor(), admin.account().id(),
                body == null ? null : body.email(), body == null ? null : AccountUserRole.parse(body.role()).orElse(null)));
        return ResponseEntity.created(URI.create("/api/v1/account/users/" + user.id())).body(UserView.of(user));
    }

    record UserChange(String role, Boolean disabled) {
    }

    @PatchMapping("/api/v1/account/users/{id}")
    @Operation(summary = "Change a person's role, or disable or enable them (account admins)")
    UserView update(@PathVariable String id, @RequestBody UserChange body) {
        SignedInUser admin = admin("Managing people");
        UUID userId;
        try {
            userId = UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw ApiProblem.notFound("user", id);
        }
        AccountUserRole role = body == null || body.role() == null ? null : AccountUserRole.parse(body.role()).orElseThrow(() ->
                ApiProblem.invalid("role", "role must be ACCOUNT_ADMIN, ACCOUNT_USER or ACCOUNT_VIEWER."));
        if (userId.equals(admin.user().id()) && body != null && Boolean.TRUE.equals(body.disabled())) {
            throw ApiProblem.invalid("disabled", "You cannot disable yourself.");
        }
        return UserView.of(AccountProblems.call(() -> administration.updateUser(admin, userId, role, body == null ? null : body.disabled())));
    }

    // ---- tokens ----

    record TokenView(String id, String name, String scope, Instant createdAt, String createdBy, Instant lastUsedAt, Instant revokedAt) {
        static TokenView of(ApiTokens.Listed t) {
            return new TokenView(t.id(), t.name(), t.scope().wire(), t.createdAt(), t.createdBy(), t.lastUsedAt(), t.revokedAt());
        }
    }

    record NewToken(String name, String scope) {
    }

    record IssuedToken(String id, String name, String scope, Instant createdAt, String token) {
    }

    @GetMapping("/api/v1/account/tokens")
    @Operation(summary = "Your account's API tokens (never their secrets)")
    Items<TokenView> tokens() {
        return new Items<>(tokens.ofAccount(CurrentAccount.get().id()).stream().map(TokenView::of).toList());
    }

    @PostMapping("/api/v1/account/tokens")
    @Operation(summary = "Create an API token (signed-in admins and users); its secret is in this answer only")
    ResponseEntity<IssuedToken> createToken(@RequestBody NewToken body) {
        SignedInUser user = person("Creating API tokens");
        String name = body == null || body.name() == null ? "" : body.name().strip();
        if (name.isEmpty() || name.length() > 100) {
            throw ApiProblem.invalid("name", "name must be 1 to 100 characters, to tell the token apart later.");
        }
        ApiTokens.Scope scope = ApiTokens.Scope.parse(body.scope() == null ? "" : body.scope()).orElseThrow(() ->
                ApiProblem.invalid("scope", "scope must be 'read' (GET only) or 'write'."));
        ApiTokens.Issued issued = tokens.issue(user.account().id(), name, scope, user.user().email());
        return ResponseEntity.created(URI.create("/api/v1/account/tokens/" + issued.listed().id())).header("Cache-Control", "no-store")
                .body(new IssuedToken(issued.listed().id(), name, scope.wire(), issued.listed().createdAt(), issued.token()));
    }

    @DeleteMapping("/api/v1/account/tokens/{id}")
    @Operation(summary = "Revoke an API token (signed-in admins and users)")
    ResponseEntity<Void> revokeToken(@PathVariable String id) {
        SignedInUser user = person("Revoking API tokens");
        if (!tokens.revoke(user.account().id(), id)) {
            throw ApiProblem.notFound("active API token", id);
        }
        return ResponseEntity.noContent().build();
    }

    private static SignedInUser person(String what) {
        return CurrentAccount.user().orElseThrow(() -> AccountProblems.signInRequired(what));
    }

    private static SignedInUser admin(String what) {
        SignedInUser user = person(what);
        if (user.user().role() != AccountUserRole.ACCOUNT_ADMIN) {
            throw new ApiProblem(HttpStatus.FORBIDDEN, "forbidden", "Forbidden", what + " is for account admins.");
        }
        return user;
    }
}
