package io.nodelock.fulfillment;

public enum FulfillmentStatus {
    /** Accepted, being worked on. */
    SUBMITTED,
    /** License lines signed and stored; the license mail is queued or sent. */
    ISSUED,
    /** Refused for a business reason the customer was told about. */
    REJECTED
}
