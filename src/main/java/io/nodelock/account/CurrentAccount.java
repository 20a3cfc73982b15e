package io.nodelock.account;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

/** The account behind the current API request. */
public final class CurrentAccount {

    private CurrentAccount() {
    }

    public static Account get() {
        Authentication auth = SecurityContextHolder.getContext().getAuthentication();
        if (auth != null && auth.getPrincipal() instanceof Account account) {
            return account;
        }
        throw new IllegalStateException("no authenticated account on this request");
    }
}
