package io.nodelock.evaluation;

import io.nodelock.licensefile.Udi;
import java.time.Instant;
import java.util.UUID;

/**
 * A granted self-serve evaluation: one per feature per device.
 *
 * @param udi            the device's binding (PID and SN): what makes "once per device"
 * @param eulaConsentId  the consent it was granted with ({@link io.nodelock.eula.EulaConsents#consent})
 */
public record Evaluation(UUID id, String accountId, Udi udi, String feature, int usageDays, String email,
                         UUID eulaConsentId, Instant createdAt) {
}
