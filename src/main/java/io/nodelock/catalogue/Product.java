package io.nodelock.catalogue;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

/**
 * A product ID (the PID half of a UDI), e.g. {@code ISR4331/K9}.
 *
 * @param featureSet  name of the feature set its universal image uses, or {@code null}
 * @param substitutes other PIDs allowed as RMA replacements for this one (not symmetric)
 * @param recordedOnly true when its devices belong to accounts only by shipping or manufacturing records: a
 *                     fulfillment never claims an unrecorded UDI of this product (catalogue {@code registration: recorded})
 */
public record Product(String id, String description, String featureSet, Set<String> substitutes, boolean recordedOnly) {

    public Product(String id, String description, String featureSet, Set<String> substitutes) {
        this(id, description, featureSet, substitutes, false);
    }

    public Product {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(description, "description");
        substitutes = Collections.unmodifiableSet(new LinkedHashSet<>(substitutes));
    }
}
