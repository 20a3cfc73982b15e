package io.nodelock.pak;

/** The outcome of redeeming one PAK unit for one fulfillment. */
public sealed interface Redemption {

    record Redeemed(long pakLineId, boolean alreadyRedeemed) implements Redemption {
    }

    /** A business refusal with a stable code and a message written for the customer. */
    record Refused(String code, String message) implements Redemption {
    }
}
