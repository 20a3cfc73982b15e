package io.nodelock.licensefile;

import java.util.Arrays;
import java.util.stream.Collectors;

/** Kind of license a line grants; the wire name is what appears after {@code type=} in a line. */
public enum LicenseType {
    /** Never expires; no usage period. */
    PERMANENT("permanent"),
    /** Trial right counted in days of use ({@code usagedays}), not calendar days. */
    EVALUATION("evaluation"),
    /** Extends an evaluation by further days of use. */
    EXTENSION("extension"),
    /** Valid between calendar instants {@code notbefore} and {@code notafter}. */
    SUBSCRIPTION("subscription");

    private final String wireName;

    LicenseType(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** Exact, case-sensitive inverse of {@link #wireName()}; a line has one spelling only. */
    public static LicenseType fromWire(String wire) {
        for (LicenseType t : values()) {
            if (t.wireName.equals(wire)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown license type '" + wire + "'; expected one of "
                + Arrays.stream(values()).map(LicenseType::wireName).collect(Collectors.joining(", ")));
    }
}
