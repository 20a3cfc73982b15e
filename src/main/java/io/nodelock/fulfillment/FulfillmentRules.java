package io.nodelock.fulfillment;

import static io.nodelock.fulfillment.FulfillmentRefusals.*;

import io.nodelock.catalogue.Catalogue;
import io.nodelock.catalogue.Sku;
import io.nodelock.device.Device;
import io.nodelock.device.Devices;
import io.nodelock.licensefile.Udi;
import io.nodelock.workflow.Refusal;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * Whether one SKU may be fulfilled for one device of an account now: the rules the pak-fulfillment flow checks before
 * it spends a unit, in one place, so every way of fulfilling (one request, a bulk of rows) refuses the same devices
 * with the same codes and words.
 */
@Component
public class FulfillmentRules {

    private final Devices devices;
    private final Catalogue catalogue;

    FulfillmentRules(Devices devices, Catalogue catalogue) {
        this.devices = devices;
        this.catalogue = catalogue;
    }

    /**
     * Why {@code sku} cannot be fulfilled for {@code udi} of {@code accountId}, or empty if it can: the SKU does not
     * apply to the device's product ({@code UDI_NOT_VALID_FOR_SKU}), it needs the EULA and none was accepted
     * ({@code EULA_NOT_ACCEPTED}), the device is locked ({@code DEVICE_LOCKED}), it is an unrecorded device of a product
     * whose devices belong to accounts by record only ({@code DEVICE_NOT_RECORDED}), or another account holds it
     * ({@code DEVICE_OF_ANOTHER_ACCOUNT}). PAK units are the caller's to redeem.
     */
    public Optional<Refusal> refusal(String accountId, Sku sku, Udi udi, boolean eulaAccepted) {
        if (!sku.productIds().contains(udi.productId())) {
            return refused(UDI_NOT_VALID_FOR_SKU, "SKU " + sku.id() + " does not apply to product " + udi.productId()
                    + "; it applies to " + String.join(", ", sku.productIds().stream().sorted().toList()) + ".");
        }
        if (sku.eulaRequired() && !eulaAccepted) {
            return refused(EULA_NOT_ACCEPTED, "SKU " + sku.id() + " needs the end-user license agreement to be accepted.");
        }
        Optional<Device> device = devices.find(udi);
        if (device.isPresent() && device.get().locked()) {
            return refused(DEVICE_LOCKED, "Device " + udi.binding() + " is locked (" + device.get().lockedReason()
                    + ") and receives no more licenses.");
        }
        if (device.isEmpty() && catalogue.product(udi.productId()).map(p -> p.recordedOnly()).orElse(false)) {
            // Devices of this product ship with a record naming their account: an unrecorded UDI is no one's to claim.
            return refused(DEVICE_NOT_RECORDED, "Device " + udi.binding() + " is not recorded as shipped to your account; "
                    + udi.productId() + " devices belong to accounts by their shipping or manufacturing record only.");
        }
        if (device.isPresent() && !device.get().accountId().equals(accountId)) {
            return anotherAccounts(udi);
        }
        return Optional.empty();
    }

    /** The refusal of a device another account holds (also when a claim finds it taken). */
    public static Optional<Refusal> anotherAccounts(Udi udi) {
        return refused(DEVICE_OF_ANOTHER_ACCOUNT, "Device " + udi.binding() + " is registered to another account. "
                + "Licenses move between accounts only by rehost or RMA.");
    }

    private static Optional<Refusal> refused(String code, String message) {
        return Optional.of(Refusal.of(code, message));
    }
}
