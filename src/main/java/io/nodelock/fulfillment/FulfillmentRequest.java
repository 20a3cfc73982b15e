package io.nodelock.fulfillment;

/** What a customer asks for: a license of {@code sku} from {@code pakCode} for the device {@code udi}. */
public record FulfillmentRequest(String pakCode, String sku, String udi, String email, Boolean eulaAccepted) {

    public boolean eula() {
        return Boolean.TRUE.equals(eulaAccepted);
    }
}
