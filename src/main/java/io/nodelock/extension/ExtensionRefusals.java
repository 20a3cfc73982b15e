package io.nodelock.extension;

/** The codes of the extension flow's refusals (see {@link io.nodelock.workflow.Refusal}; HTTP statuses in ExtensionProcess). */
public final class ExtensionRefusals {

    public static final String REQUEST_INVALID = "REQUEST_INVALID";
    public static final String UDI_INVALID = "UDI_INVALID";
    /** Also the answer for another account's device, so the answer does not reveal that the device exists. */
    public static final String UNKNOWN_UDI = "UNKNOWN_UDI";
    /** A license id that is not one of the caller's licenses. */
    public static final String UNKNOWN_LICENSE = "UNKNOWN_LICENSE";
    /** The device holds no evaluation or extension license of the feature: there is nothing to extend. */
    public static final String NOTHING_TO_EXTEND = "NOTHING_TO_EXTEND";
    /** Another request for the same feature on the same device is still open. */
    public static final String EXTENSION_OPEN = "EXTENSION_OPEN";
    public static final String DAYS_OUT_OF_RANGE = "DAYS_OUT_OF_RANGE";
    /** The rejection code of a request a TAC approver or lead rejected. */
    public static final String TAC_REJECTED = "TAC_REJECTED";

    private ExtensionRefusals() {
    }
}
