package io.nodelock.resend;

import io.nodelock.licensefile.Udi;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A request to send every active license of a device again.
 *
 * @param channel    {@code api} (the customer) or {@code call-home} (the device)
 * @param email      the account's registered address the file went to, once sent
 * @param licenseIds the licenses in the file, once built: the device's active licenses at that moment
 */
public record Resend(UUID id, String accountId, String requestedBy, String channel, Udi udi, ResendStatus status, String email,
                     List<String> licenseIds, String content, String rejectionCode, String rejectionMessage,
                     String processInstanceId, Instant createdAt, Instant completedAt) {

    public String fileName() {
        return "nodelock-resend-" + id + ".lic";
    }
}
