package io.nodelock.account;

/** A refused account, user or token request, with a stable code, the field at fault (if one is) and a message for people. */
public class AccountRefusal extends RuntimeException {

    /** What kind of refusal: the web layer answers each with its HTTP status. */
    public enum Kind { INVALID, NOT_FOUND, CONFLICT, FORBIDDEN }

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
        return new AccountRefusal(Kind.INVALID, "invalid-request", field, message);
    }
}
