package io.nodelock.catalogue;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

/**
 * A feature's self-serve evaluation: a device of one of {@code productIds} may get one evaluation license of
 * {@code feature}, counted in {@code usageDays} days of use, without a PAK (the {@code evaluation} block of a feature in
 * {@code catalogue.yml}). The EULA must always be accepted for it.
 */
public record EvaluationOffer(String feature, int usageDays, Set<String> productIds) {
    public EvaluationOffer {
        Objects.requireNonNull(feature, "feature");
        if (usageDays <= 0) {
            throw new IllegalArgumentException("usageDays must be positive: " + usageDays);
        }
        productIds = Collections.unmodifiableSet(new LinkedHashSet<>(productIds));
    }

    /** True if a device with this PID may evaluate the feature. */
    public boolean appliesTo(String productId) {
        return productIds.contains(productId);
    }
}
