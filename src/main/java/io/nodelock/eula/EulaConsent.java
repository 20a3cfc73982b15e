package io.nodelock.eula;

import java.time.Instant;
import java.util.UUID;

/**
 * One explicit acceptance of one EULA version.
 *
 * @param acceptedBy the identity that accepted (through the API: the account of the token)
 * @param textSha256 SHA-256 of the text accepted ({@link Eula#sha256()} when it was recorded)
 * @param subject    what the consent was given for, e.g. {@code "evaluation:<uuid>"}, {@code "fulfillment:<uuid>"},
 *                   {@code "extension:<uuid>"}; also the audit subject the acceptance is filed under
 */
public record EulaConsent(UUID id, String accountId, String acceptedBy, String eulaVersion, String textSha256,
                          Instant acceptedAt, ConsentOrigin origin, String subject) {
}
