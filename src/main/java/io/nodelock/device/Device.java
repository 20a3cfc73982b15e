package io.nodelock.device;

import java.time.Instant;

public record Device(String udi, String productId, String serialNumber, String accountId, Instant firstSeenAt,
                     Instant lockedAt, String lockedReason) {

    public boolean locked() {
        return lockedAt != null;
    }
}
