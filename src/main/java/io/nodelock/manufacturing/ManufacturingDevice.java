package io.nodelock.manufacturing;

import io.nodelock.licensefile.Udi;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * One device of a manufacturing order and its progress. The bundle itself is not part of this view: it holds the
 * device's private key and is read, decrypted, only for a download.
 *
 * @param bundleStored whether its encrypted bundle is stored (made, not yet erased)
 */
public record ManufacturingDevice(UUID orderId, int deviceNo, Udi udi, List<String> skus, State state, String certificateSerial,
                                  String deviceKeyId, List<String> licenseIds, boolean bundleStored, String failureCode,
                                  String failureMessage, Instant madeAt) {

    public enum State {
        /** Waiting for its batch. */
        PENDING,
        /** Certified, its licenses signed and its bundle stored. */
        MADE,
        /** Not made: a conflict found when its batch ran (the reason is recorded); nothing of it was recorded. */
        FAILED
    }
}
