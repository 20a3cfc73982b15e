package io.nodelock.account;

import java.time.Instant;
import java.util.Set;

public record Account(String id, String displayName, String email, Set<Role> roles, Instant createdAt) implements java.io.Serializable {

    public boolean has(Role role) {
        return roles.contains(role);
    }
}
