package io.nodelock.account;

/** A refused account, user or token request, with a stable code, the field at fault (if one is) and a message for people. */
public class AccountRefusal extends RuntimeException {

    /** What kind of refusal: the web layer answers each with its HTTP status. */
    public enum Kind { INVALID, NOT_FOUND, CONFLICT, FORBIDDEN }

    // The codes, upper snake case like every refusal code of the API (its problem type is the kebab-case form).
    public static final String INVALID_REQUEST = "INVALID_REQUEST";
    public static final String ACCOUNT_EXISTS = "ACCOUNT_EXISTS";
    public static final String ACCOUNT_NOT_FOUND = "ACCOUNT_NOT_FOUND";
    public static final String NOT_A_CUSTOMER_ACCOUNT = "NOT_A_CUSTOMER_ACCOUNT";
    public static final String USER_EXISTS = "USER_EXISTS";
    public static final String USER_NOT_FOUND = "USER_NOT_FOUND";
    public static final String USER_DISABLED = "USER_DISABLED";
    public static final String LAST_ADMIN = "LAST_ADMIN";
    public static final String LINK_INVALID = "LINK_INVALID";

    private final Kind kind;
    private final String code;
    private final String field;

    public AccountRefusal(Kind kind, String code, String field, String message) {
        super(message);
        this.kind = kind;
        this.code = code;
        this.field = field;
    }

    public Kind kind() {
        return kind;
    }

    public String code() {
        return code;
    }

    public String field() {
        return field;
    }

    static AccountRefusal invalid(String field, String message) {
        return new AccountRefusal(Kind.INVALID, INVALID_REQUEST, field, message);
    }
}
