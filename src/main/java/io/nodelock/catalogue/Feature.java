package io.nodelock.catalogue;

import java.util.Objects;

/** A licensable feature, e.g. {@code securityk9} or the universal-image level {@code ipservices}. */
public record Feature(String name, String description) {
    public Feature {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(description, "description");
    }
}
