package io.nodelock.extension;

/**
 * A customer's request to extend the evaluation or extension license of a feature on a device.
 *
 * @param days         days of use wanted
 * @param eulaAccepted consent to EULA {@code eulaVersion}: only JSON {@code true} is consent
 */
public record ExtensionRequest(String udi, String feature, Integer days, String reason, String email, String eulaVersion,
                               Object eulaAccepted) {
}
