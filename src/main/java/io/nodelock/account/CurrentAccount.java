package io.nodelock.account;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

/** The account behind the current API request: an API token's, or the one a signed-in person acts for. */
public final class CurrentAccount {

    private CurrentAccount() {
    }

    public static Account get() {
        Authentication auth = SecurityContextHolder.getContext().getAuthentication();
        if (auth != null && auth.getPrincipal() instanceof Account account) {
            return account;
        }
        if (auth != null && auth.getPrincipal() instanceof SignedInUser user) {
            return user.account();
        }
        throw new IllegalStateException("no authenticated account on this request");
    }

    /** The person signed in to the portal, if the request came with a portal session rather than a token. */
    public static java.util.Optional<SignedInUser> user() {
        Authentication auth = SecurityContextHolder.getContext().getAuthentication();
        return auth != null && auth.getPrincipal() instanceof SignedInUser user ? java.util.Optional.of(user) : java.util.Optional.empty();
    }

    /** Who acts, for the audit trail and consents: the signed-in person, else the token's account. */
    public static String actor() {
        return user().map(SignedInUser::actor).orElseGet(() -> get().id());
    }
}
