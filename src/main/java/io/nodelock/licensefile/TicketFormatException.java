package io.nodelock.licensefile;

/** Text of a permission ticket, rehost ticket or device credential that the strict v1 parser rejects. */
public final class TicketFormatException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    public TicketFormatException(String message) {
        super(message);
    }

    public TicketFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
