package io.nodelock.licensefile;

import java.util.Objects;

/** Outcome of checking one license line; {@link #message()} is meant to be shown to an operator as is. */
public record Verification(Status status, String message) {

    /** Why a line was accepted or rejected, in the order a device checks. */
    public enum Status {
        OK,
        /** The text could not be parsed (only from file verification). */
        MALFORMED,
        UNSIGNED,
        UNKNOWN_KEY_ID,
        BAD_SIGNATURE,
        UDI_MISMATCH,
        NOT_YET_VALID,
        EXPIRED
    }

    public Verification {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(message, "message");
    }

    public boolean ok() {
        return status == Status.OK;
    }

    static Verification of(Status status, String message) {
        return new Verification(status, message);
    }
}
