package io.nodelock.extension;

import io.nodelock.licensefile.Udi;
import java.time.Instant;
import java.util.UUID;

/**
 * A customer's request to extend an evaluation or extension license of one feature on one device.
 *
 * @param requestedBy       who asked (the account's sign-in); never an approver of the same request
 * @param baseLicenseId     the evaluation or extension license the request extends
 * @param policyRule        the name of the policy rule that decided, once the flow checked it
 * @param policyDecision    {@code approve} (at once) or {@code review} (a person decides)
 * @param needsLeadApproval whether a TAC lead must approve too (large or repeated extension)
 * @param sequence          1 for the first extension of the feature on the device, 2 for the second...
 */
public record Extension(UUID id, String accountId, String requestedBy, Udi udi, String feature, String baseLicenseId,
                        int daysRequested, String reason, String email, String eulaVersion, UUID eulaConsentId,
                        ExtensionStatus status, String policyRule, String policyDecision, String policyDetail,
                        Boolean needsLeadApproval, Integer sequence, Instant policyCheckedAt, Instant escalatedAt,
                        Integer daysGranted, String rejectionCode, String rejectionMessage, String processInstanceId,
                        Instant createdAt, Instant completedAt) {

    /** The value of the open-request slot: one open request per feature and device. */
    String openSlot() {
        return udi.binding() + " " + feature;
    }
}
