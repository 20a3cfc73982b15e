package io.nodelock.rehost;

/** The codes of the rehost flow's refusals (see {@link io.nodelock.workflow.Refusal}; HTTP statuses in RehostProcess). */
public final class RehostRefusals {

    public static final String BAD_CREDENTIAL = "BAD_CREDENTIAL";
    public static final String CREDENTIAL_KEY_MISMATCH = "CREDENTIAL_KEY_MISMATCH";
    /** The credential carries no device certificate and trust on first use is off (docs/device-identity.md). */
    public static final String UNCERTIFIED_DEVICE = "UNCERTIFIED_DEVICE";
    /** The credential carries a device certificate that is not OK against the trusted authorities. */
    public static final String UNTRUSTED_DEVICE_CERTIFICATE = "UNTRUSTED_DEVICE_CERTIFICATE";
    public static final String UNKNOWN_UDI = "UNKNOWN_UDI";
    public static final String DEVICE_OF_ANOTHER_ACCOUNT = "DEVICE_OF_ANOTHER_ACCOUNT";
    public static final String DEVICE_LOCKED = "DEVICE_LOCKED";
    public static final String LICENSE_NOT_TRANSFERABLE = "LICENSE_NOT_TRANSFERABLE";
    public static final String REQUEST_INVALID = "REQUEST_INVALID";
    public static final String INVALID_REHOST_TICKET = "INVALID_REHOST_TICKET";
    public static final String TAMPERED_REHOST_TICKET = "TAMPERED_REHOST_TICKET";
    public static final String REHOST_TICKET_OF_ANOTHER_DEVICE = "REHOST_TICKET_OF_ANOTHER_DEVICE";
    public static final String REHOST_TICKET_MISMATCH = "REHOST_TICKET_MISMATCH";
    public static final String PERMISSION_TICKET_EXPIRED = "PERMISSION_TICKET_EXPIRED";
    public static final String PERMISSION_TICKET_NOT_ISSUED = "PERMISSION_TICKET_NOT_ISSUED";
    public static final String ALREADY_REDEEMED = "ALREADY_REDEEMED";
    public static final String DESTINATION_NOT_ALLOWED = "DESTINATION_NOT_ALLOWED";
    public static final String LICENSES_NO_LONGER_ACTIVE = "LICENSES_NO_LONGER_ACTIVE";
    public static final String REHOST_REJECTED = "REHOST_REJECTED";
    /** The rehost is between its expiry and its wait for a late rehost ticket (seconds); the upload may be retried. */
    public static final String REHOST_BUSY = "REHOST_BUSY";

    private RehostRefusals() {
    }
}
