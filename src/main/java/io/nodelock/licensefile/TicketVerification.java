package io.nodelock.licensefile;

import java.util.Objects;

/** Outcome of checking a ticket or credential; {@link #message()} is meant to be shown to an operator as is. */
public record TicketVerification(Status status, String message) {

    /** Why a ticket was accepted or rejected, in the order the checks run. */
    public enum Status {
        OK,
        UNKNOWN_KEY_ID,
        BAD_SIGNATURE,
        UDI_MISMATCH,
        NOT_YET_VALID,
        EXPIRED,
        /** A rehost ticket does not answer the permission ticket it names (id, UDI, licenses or device key). */
        MISMATCH
    }

    public TicketVerification {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(message, "message");
    }

    public boolean ok() {
        return status == Status.OK;
    }

    static TicketVerification of(Status status, String message) {
        return new TicketVerification(status, message);
    }
}
