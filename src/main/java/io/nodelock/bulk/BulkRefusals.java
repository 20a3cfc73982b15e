package io.nodelock.bulk;

import io.nodelock.fulfillment.FulfillmentRefusals;
import io.nodelock.pak.PakService;

/**
 * The codes of the bulk flow's refusals (see {@link io.nodelock.workflow.Refusal}; HTTP statuses in
 * BulkFulfillmentProcess). The intake refuses a whole upload with the first group; a row is refused with the second,
 * the codes a single fulfillment of that row would have been rejected with.
 */
public final class BulkRefusals {

    // ---- the whole upload, at intake
    public static final String REQUEST_INVALID = io.nodelock.workflow.Refusal.INVALID_REQUEST;
    /** Rows that cannot be read: a CSV line that is not {@code udi,sku}, a malformed UDI, a missing SKU. */
    public static final String ROWS_MALFORMED = "ROWS_MALFORMED";
    public static final String TOO_MANY_ROWS = "TOO_MANY_ROWS";
    /** The same UDI and SKU on more than one row. */
    public static final String DUPLICATE_ROWS = "DUPLICATE_ROWS";
    public static final String SKU_UNKNOWN = "SKU_UNKNOWN";
    public static final String PAK_UNKNOWN = PakService.PAK_UNKNOWN;
    public static final String SKU_NOT_ON_PAK = PakService.SKU_NOT_ON_PAK;
    /** At intake: the PAK has fewer units of a SKU than the rows that can be fulfilled need. Also a row's refusal. */
    public static final String PAK_EXHAUSTED = PakService.PAK_EXHAUSTED;

    // ---- one row, when its batch runs
    public static final String UDI_NOT_VALID_FOR_SKU = FulfillmentRefusals.UDI_NOT_VALID_FOR_SKU;
    public static final String EULA_NOT_ACCEPTED = FulfillmentRefusals.EULA_NOT_ACCEPTED;
    public static final String DEVICE_LOCKED = FulfillmentRefusals.DEVICE_LOCKED;
    public static final String DEVICE_NOT_RECORDED = FulfillmentRefusals.DEVICE_NOT_RECORDED;
    public static final String DEVICE_OF_ANOTHER_ACCOUNT = FulfillmentRefusals.DEVICE_OF_ANOTHER_ACCOUNT;
    /** A row that failed for a reason of the service's own (recorded in its log), not of the row: it used no unit. */
    public static final String ROW_FAILED = "ROW_FAILED";

    private BulkRefusals() {
    }
}
