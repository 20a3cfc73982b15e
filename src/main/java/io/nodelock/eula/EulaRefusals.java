package io.nodelock.eula;

/**
 * The codes of {@link EulaConsents#check}'s refusals. Each flow maps them to its HTTP status; the evaluation API and
 * the fulfillment API answer 422 (docs/eula.md).
 */
public final class EulaRefusals {

    /** {@code eulaAccepted} is anything but JSON {@code true}: missing, null, false (a string or number never binds). */
    public static final String EULA_NOT_ACCEPTED = "EULA_NOT_ACCEPTED";
    /** {@code eulaVersion} is missing, or names no version of the EULA. */
    public static final String EULA_UNKNOWN = "EULA_UNKNOWN";
    /** {@code eulaVersion} names an earlier version: only the current one may be accepted. */
    public static final String EULA_OUTDATED = "EULA_OUTDATED";

    private EulaRefusals() {
    }
}
