package io.nodelock.manufacturing;

import io.nodelock.pak.PakService;

/**
 * The codes of the manufacturing flow's refusals (see {@link io.nodelock.workflow.Refusal}; HTTP statuses in
 * ManufacturingProcess). The intake refuses with all of them; the redeem step again with those that can arise after
 * submission (another account's or certified device, locked device, PAK), ending the order as rejected.
 */
public final class ManufacturingRefusals {

    public static final String REQUEST_INVALID = io.nodelock.workflow.Refusal.INVALID_REQUEST;
    public static final String UDI_INVALID = "UDI_INVALID";
    public static final String SKU_UNKNOWN = "SKU_UNKNOWN";
    public static final String DUPLICATE_UDI = "DUPLICATE_UDI";
    public static final String TOO_MANY_DEVICES = "TOO_MANY_DEVICES";
    public static final String UDI_NOT_VALID_FOR_SKU = "UDI_NOT_VALID_FOR_SKU";
    /** A SKU needs the EULA and the account has no recorded consent to the current version. */
    public static final String EULA_NOT_ACCEPTED = "EULA_NOT_ACCEPTED";
    /** The problem type matches POST /api/v1/devices/bundles' ({@code device-of-another-account}). */
    public static final String DEVICE_OF_ANOTHER_ACCOUNT = "DEVICE_OF_ANOTHER_ACCOUNT";
    public static final String DEVICE_ALREADY_CERTIFIED = "DEVICE_ALREADY_CERTIFIED";
    public static final String DEVICE_LOCKED = "DEVICE_LOCKED";
    public static final String DEVICE_IN_OPEN_ORDER = "DEVICE_IN_OPEN_ORDER";
    public static final String PAK_UNKNOWN = PakService.PAK_UNKNOWN;
    public static final String SKU_NOT_ON_PAK = PakService.SKU_NOT_ON_PAK;
    public static final String PAK_EXHAUSTED = PakService.PAK_EXHAUSTED;

    private ManufacturingRefusals() {
    }
}
