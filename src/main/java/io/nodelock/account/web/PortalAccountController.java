package io.nodelock.account.web;

import io.nodelock.account.AccountAdministration;
import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Map;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * What a person does before signing in: accept an invitation, ask for a password reset, set a new password with the
 * mailed link. Part of the portal (session cookie and CSRF), not of the token API.
 */
@RestController
@Hidden
class PortalAccountController {

    private final AccountAdministration administration;

    PortalAccountController(AccountAdministration administration) {
        this.administration = administration;
    }

    record Acceptance(String token, String displayName, String password) {
    }

    @PostMapping("/portal/api/invitation")
    Map<String, String> accept(@RequestBody Acceptance body) {
        var user = AccountProblems.call(() -> administration.acceptInvitation(body == null ? null : body.token(),
                body == null ? null : body.displayName(), body == null ? null : body.password()));
        return Map.of("email", user.email(), "status", user.status().name());
    }

    record ResetRequest(String email) {
    }

    @PostMapping("/portal/api/password-reset")
    ResponseEntity<Map<String, String>> requestReset(@RequestBody ResetRequest body, HttpServletRequest request) {
        administration.requestPasswordReset(body == null ? null : body.email(), request.getRemoteAddr());
        // The same answer whether or not the address has a sign-in: this page tells no one who exists.
        return ResponseEntity.accepted().body(Map.of("message", "If that address has a sign-in, a reset link is on its way."));
    }

    record NewPassword(String token, String password) {
    }

    @PostMapping("/portal/api/password")
    Map<String, String> reset(@RequestBody NewPassword body) {
        var user = AccountProblems.call(() -> administration.resetPassword(body == null ? null : body.token(),
                body == null ? null : body.password()));
        return Map.of("email", user.email(), "status", "ACTIVE");
    }
}
