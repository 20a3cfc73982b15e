package io.nodelock.migration;

import io.nodelock.licensefile.Udi;
import io.nodelock.pak.PakCode;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A request to move one license to another SKU on its device, for one PAK unit.
 *
 * @param licenseId     the license migrated; SUPERSEDED once the migration is issued
 * @param feature       that license's feature
 * @param fromSku       that license's SKU (null for a self-serve evaluation or a TAC extension)
 * @param eulaConsentId the consent a target SKU that needs the EULA was accepted under, else null
 * @param email         the account's registered address the result went to, once sent
 * @param supersededIds the licenses the new line took the place of, once issued: the license, and for a conversion
 *                      the feature's other active evaluation and extension lines on the device
 */
public record Migration(UUID id, String accountId, String requestedBy, String licenseId, Udi udi, String feature, String fromSku,
                        MigrationKind kind, String toSku, PakCode pakCode, UUID eulaConsentId, String eulaVersion,
                        MigrationStatus status, String email, List<String> supersededIds, String rejectionCode, String rejectionMessage,
                        String processInstanceId, Instant createdAt, Instant completedAt) {

    public Migration {
        supersededIds = List.copyOf(supersededIds);
    }
}
