package io.nodelock.licensefile;

/** A UDI text or UDI part that breaks the strict UDI syntax; {@link #reason()} says which rule. */
public final class UdiSyntaxException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    /** The rule that was broken. */
    public enum Reason {
        EMPTY,
        STRAY_WHITESPACE,
        LOWER_CASE,
        MALFORMED_FIELD,
        UNKNOWN_FIELD,
        DUPLICATE_FIELD,
        MISORDERED_FIELD,
        MISSING_PID,
        MISSING_SN,
        PID_EMPTY,
        PID_TOO_LONG,
        PID_BAD_START,
        PID_BAD_CHARACTER,
        SN_EMPTY,
        SN_TOO_LONG,
        SN_BAD_CHARACTER,
        VID_MALFORMED
    }

    private final Reason reason;

    public UdiSyntaxException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
