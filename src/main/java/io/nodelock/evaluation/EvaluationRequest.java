package io.nodelock.evaluation;

/**
 * What a customer asks for: an evaluation of {@code feature} on the device {@code udi}, its license mailed to
 * {@code email}, with the EULA version {@code eulaVersion} accepted.
 *
 * @param eulaAccepted only {@link Boolean#TRUE} is consent; the API binds nothing but JSON {@code true} to it
 */
public record EvaluationRequest(String udi, String feature, String email, String eulaVersion, Boolean eulaAccepted) {
}
