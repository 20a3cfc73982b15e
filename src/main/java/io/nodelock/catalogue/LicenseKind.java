package io.nodelock.catalogue;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** The kind of license a SKU grants. */
public enum LicenseKind {
    /** Never expires. */
    PERMANENT,
    /** Temporary trial license, counted in days of use; EULA acceptance required by default. */
    EVALUATION,
    /** Temporary license extending an evaluation, counted in days of use; EULA acceptance required by default. */
    EXTENSION,
    /** Time-bound license, valid for a number of calendar days. */
    SUBSCRIPTION;

    /** Lower-case name as written in {@code catalogue.yml} and on the wire, e.g. {@code "evaluation"}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** True for evaluation and extension licenses (period counted in days of use). */
    public boolean isTemporary() {
        return this == EVALUATION || this == EXTENSION;
    }

    /** The kind with the given {@linkplain #wireName() wire name} (exact, lower case). */
    public static Optional<LicenseKind> fromWireName(String wireName) {
        return Arrays.stream(values()).filter(k -> k.wireName().equals(wireName)).findFirst();
    }
}
