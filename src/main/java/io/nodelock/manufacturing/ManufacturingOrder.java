package io.nodelock.manufacturing;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A manufacturing order as stored, with its progress counts.
 *
 * @param mode          {@link Mode#UDI}: each device names its SKUs; {@link Mode#PAK}: each device gets one unit of each
 *                      of {@code pakSkus} from {@code pakCode}
 * @param eulaConsentId the account's consent to {@code eulaVersion} that SKUs needing the EULA are preinstalled under
 * @param archived      whether the encrypted factory archive is stored (built, not yet erased)
 */
public record ManufacturingOrder(UUID id, String accountId, String requestedBy, String reference, Mode mode, String pakCode,
                                 List<String> pakSkus, UUID eulaConsentId, String eulaVersion, ManufacturingOrderStatus status,
                                 int deviceCount, int devicesMade, int devicesFailed, boolean archived, String rejectionCode,
                                 String rejectionMessage, String processInstanceId, Instant createdAt, Instant completedAt,
                                 Instant erasedAt) {

    public enum Mode { UDI, PAK }

    public int devicesDone() {
        return devicesMade + devicesFailed;
    }

    /** Whole percent of the devices done (made or failed); 100 only when every device is. */
    public int percent() {
        return deviceCount == 0 ? 100 : (int) ((long) devicesDone() * 100 / deviceCount);
    }

    /** The shipping reference its devices are recorded with (at most 100 characters, as the device table holds). */
    public String shippingReference() {
        return "manufacturing order " + id;
    }

    public String archiveFileName() {
        return "nodelock-manufacturing-" + id + ".zip";
    }
}
