package io.nodelock.account;

import java.util.Locale;
import java.util.Optional;

/**
 * What a person may do in their account's portal and API. None of these maps to an engine group: customers never
 * hold engine identities ({@link Role#CUSTOMER}), so none of them can start a model at an arbitrary activity.
 */
public enum AccountUserRole {
    /** Everything a user may, plus the account's users. */
    ACCOUNT_ADMIN,
    /** Registers PAKs, requests RMAs, rehosts, evaluations, extensions and resends; manages API tokens. */
    ACCOUNT_USER,
    /** Reads only: every write is refused. */
    ACCOUNT_VIEWER;

    /** The Spring Security authority of this role. */
    public String authority() {
        return "ROLE_" + name();
    }

    public boolean mayWrite() {
        return this != ACCOUNT_VIEWER;
    }

    /** Accepts {@code ACCOUNT_ADMIN} and its short form {@code admin}, in any case. */
    public static Optional<AccountUserRole> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String t = text.trim().toUpperCase(Locale.ROOT);
        for (AccountUserRole r : values()) {
            if (r.name().equals(t) || r.name().equals("ACCOUNT_" + t)) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }
}
