package io.nodelock.licensefile;

/** A license line's text that the strict v1 parser rejects; {@link #reason()} says which rule was broken. */
public final class LicenseFormatException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    /** The rule that was broken. */
    public enum Reason {
        EMPTY,
        NON_ASCII,
        BAD_WHITESPACE,
        BAD_PREFIX,
        UNSUPPORTED_VERSION,
        MALFORMED_FIELD,
        UNKNOWN_FIELD,
        DUPLICATE_FIELD,
        MISORDERED_FIELD,
        MISSING_FIELD,
        TRAILING_GARBAGE,
        BAD_VALUE,
        BAD_SIGNATURE_ENCODING,
        BAD_SIGNATURE_LENGTH,
        NON_CANONICAL
    }

    private final Reason reason;

    public LicenseFormatException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public LicenseFormatException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
