package io.nodelock.resend;

/** The codes of the resend flow's refusals (see {@link io.nodelock.workflow.Refusal}; HTTP statuses in ResendProcess). */
public final class ResendRefusals {

    public static final String REQUEST_INVALID = "REQUEST_INVALID";
    public static final String UDI_INVALID = "UDI_INVALID";
    /** Also the answer for another account's device, so the answer does not reveal that the device exists. */
    public static final String UNKNOWN_UDI = "UNKNOWN_UDI";
    public static final String DEVICE_LOCKED = "DEVICE_LOCKED";
    public static final String NO_ACTIVE_LICENSES = "NO_ACTIVE_LICENSES";
    public static final String RESEND_LIMIT_REACHED = "RESEND_LIMIT_REACHED";

    private ResendRefusals() {
    }
}
