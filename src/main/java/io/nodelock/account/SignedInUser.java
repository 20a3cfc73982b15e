package io.nodelock.account;

import java.io.Serializable;

/**
 * The principal of a portal session: the person and the account they act for. Kept in the HTTP session, so it holds
 * ids and names only, never a password hash.
 */
public record SignedInUser(AccountUser user, Account account) implements Serializable {

    /** The audit actor of this person's actions. */
    public String actor() {
        // The audit trail keeps 64 characters of an actor: a long address is named by the person's id instead.
        return user.email().length() <= 59 ? "user:" + user.email() : "user:" + user.id();
    }
}
