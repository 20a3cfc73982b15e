package io.nodelock.rma;

public enum RmaStatus {
    /** Accepted; the failed device is being locked and checked against policy. */
    SUBMITTED,
    /** Waiting for a TAC engineer's decision. */
    IN_REVIEW,
    /** Replacement licenses signed and stored; their mail is queued or sent. */
    ISSUED,
    /** Refused, by a business check or by TAC. */
    REJECTED
}
