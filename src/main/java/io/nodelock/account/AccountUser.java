package io.nodelock.account;

import java.time.Instant;
import java.util.UUID;

/** A person who signs in for an account. */
public record AccountUser(UUID id, String accountId, String email, String displayName, AccountUserRole role, Status status,
                          Instant createdAt, String createdBy, Instant lastSignInAt) implements java.io.Serializable {

    public enum Status {
        /** Invited; signs in once the invitation is accepted and a password chosen. */
        INVITED,
        ACTIVE,
        /** Disabled by an account admin: cannot sign in. */
        DISABLED
    }
}
