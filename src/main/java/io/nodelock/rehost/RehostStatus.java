package io.nodelock.rehost;

public enum RehostStatus {
    /** Accepted; the permission ticket is being issued. */
    SUBMITTED,
    /** Permission ticket issued and mailed; waiting for the device's rehost ticket until the ticket expires. */
    AWAITING_REHOST_TICKET,
    /** The rehost ticket was accepted (redeemed); the destination licenses are being signed. */
    REHOST_TICKET_RECEIVED,
    /** Destination licenses signed and stored; the source's licenses are recorded as transferred. */
    ISSUED,
    /** The permission ticket expired before a rehost ticket came back; nothing moved. */
    EXPIRED,
    /** Refused by a business check (form start). */
    REJECTED
}
