package io.nodelock.fulfillment;

/**
 * What a customer asks for: a license of {@code sku} from {@code pakCode} for the device {@code udi}.
 *
 * @param eulaAccepted only {@code true} is consent (JSON {@code true}: the API binds nothing else to it)
 * @param eulaVersion  the EULA version accepted, for a SKU that requires the EULA; {@code null} means the current one
 *                     (requests from before EULA versions existed send none)
 */
public record FulfillmentRequest(String pakCode, String sku, String udi, String email, Boolean eulaAccepted,
                                 String eulaVersion) {

    public FulfillmentRequest(String pakCode, String sku, String udi, String email, Boolean eulaAccepted) {
        this(pakCode, sku, udi, email, eulaAccepted, null);
    }

    public boolean eula() {
        return Boolean.TRUE.equals(eulaAccepted);
    }
}
