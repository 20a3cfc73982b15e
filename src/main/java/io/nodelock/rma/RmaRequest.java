package io.nodelock.rma;

/** A customer's request to move the licenses of {@code failedUdi} to {@code replacementUdi} under an RMA number. */
public record RmaRequest(String failedUdi, String replacementUdi, String rmaNumber, String email) {
}
