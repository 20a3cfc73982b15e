package io.nodelock.inventory;

/**
 * Whose rows a search sees: one account's ({@code accountId}), or every account's (null: an operator who named no
 * account). Customers always search with their own account; which rows belong to an account is each list's rule.
 */
public record Scope(String accountId) {

    public static final Scope ALL = new Scope(null);

    public static Scope account(String accountId) {
        if (accountId == null) {
            throw new IllegalArgumentException("an account scope needs an account");
        }
        return new Scope(accountId);
    }

    public boolean all() {
        return accountId == null;
    }
}
