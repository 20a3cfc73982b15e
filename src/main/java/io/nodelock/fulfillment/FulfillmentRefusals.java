package io.nodelock.fulfillment;

/** The codes of the fulfillment flow's refusals (see {@link io.nodelock.workflow.Refusal}; HTTP statuses in PakFulfillmentProcess). */
public final class FulfillmentRefusals {

    public static final String UDI_NOT_VALID_FOR_SKU = "UDI_NOT_VALID_FOR_SKU";
    public static final String DEVICE_OF_ANOTHER_ACCOUNT = "DEVICE_OF_ANOTHER_ACCOUNT";
    public static final String EULA_NOT_ACCEPTED = io.nodelock.eula.EulaRefusals.EULA_NOT_ACCEPTED;
    public static final String DEVICE_LOCKED = "DEVICE_LOCKED";
    /** A device of a product whose devices belong to accounts by record only, and no record names it. */
    public static final String DEVICE_NOT_RECORDED = "DEVICE_NOT_RECORDED";
    public static final String IDEMPOTENCY_KEY_REUSED = "IDEMPOTENCY_KEY_REUSED";

    private FulfillmentRefusals() {
    }
}
