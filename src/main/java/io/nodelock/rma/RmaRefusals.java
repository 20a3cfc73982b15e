package io.nodelock.rma;

/** The codes of the RMA flow's refusals (see {@link io.nodelock.workflow.Refusal}; HTTP statuses in RmaProcess). */
public final class RmaRefusals {

    public static final String REQUEST_INVALID = "REQUEST_INVALID";
    public static final String UDI_INVALID = "UDI_INVALID";
    public static final String SAME_DEVICE = "SAME_DEVICE";
    /** Also the answer for another account's device, so the answer does not reveal that the device exists. */
    public static final String UNKNOWN_UDI = "UNKNOWN_UDI";
    public static final String RMA_EXISTS = "RMA_EXISTS";
    public static final String DEVICE_LOCKED = "DEVICE_LOCKED";
    public static final String NO_ACTIVE_LICENSES = "NO_ACTIVE_LICENSES";
    public static final String REPLACEMENT_NOT_ALLOWED = "REPLACEMENT_NOT_ALLOWED";
    public static final String DEVICE_OF_ANOTHER_ACCOUNT = "DEVICE_OF_ANOTHER_ACCOUNT";
    /** The replacement is no device of the account's shipping records: a replacement is never claimed by an RMA. */
    public static final String REPLACEMENT_NOT_SHIPPED = "REPLACEMENT_NOT_SHIPPED";
    /** The rejection code of an RMA a TAC approver rejected in its review. */
    public static final String TAC_REJECTED = "TAC_REJECTED";

    private RmaRefusals() {
    }
}
