package io.nodelock.account.web;

import io.nodelock.account.AccountUser;
import io.nodelock.account.AccountUsers;
import io.nodelock.account.Accounts;
import io.nodelock.account.SignedInUser;
import io.nodelock.api.ApiProblem;
import io.nodelock.api.Problems;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.util.Set;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Checks, after authentication, what a session or token may do now: a portal session whose person was disabled or
 * whose account was suspended since sign-in ends; a viewer or a read-scoped token may only read.
 */
class PrincipalChecks extends OncePerRequestFilter {

    private static final Set<String> READS = Set.of("GET", "HEAD", "OPTIONS");

    private final AccountUsers users;
    private final Accounts accounts;

    PrincipalChecks(AccountUsers users, Accounts accounts) {
        this.users = users;
        this.accounts = accounts;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Authentication auth = SecurityContextHolder.getContext().getAuthentication();
        if (auth != null && auth.getPrincipal() instanceof SignedInUser signedIn) {
            // One indexed read per request: a disabled person or a suspended account is out at once, on every node.
            // A changed role ends the session too: the next sign-in carries the new one.
            boolean stillActive = users.find(signedIn.user().id()).filter(u -> u.status() == AccountUser.Status.ACTIVE)
                    .filter(u -> u.role() == signedIn.user().role()).isPresent() && !accounts.suspended(signedIn.account().id());
            if (!stillActive) {
                HttpSession session = request.getSession(false);
                if (session != null) {
                    session.invalidate();
                }
                SecurityContextHolder.clearContext();
                Problems.write(response, new ApiProblem(HttpStatus.UNAUTHORIZED, "signed-out", "Signed out",
                        "Your sign-in ended: your user was disabled or changed, or your account suspended. Sign in again."), Problems.instance(request));
                return;
            }
        }
        if (auth != null && !READS.contains(request.getMethod())
                && auth.getAuthorities().stream().anyMatch(a -> PortalAuthenticationProvider.READ_ONLY.equals(a.getAuthority()))) {
            Problems.write(response, new ApiProblem(HttpStatus.FORBIDDEN, "read-only", "Read only",
                    "This sign-in or token may only read (a viewer, or a token with scope 'read')."), Problems.instance(request));
            return;
        }
        chain.doFilter(request, response);
    }
}
