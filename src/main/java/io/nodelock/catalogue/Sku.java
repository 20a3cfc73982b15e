package io.nodelock.catalogue;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * An orderable license SKU, e.g. {@code FL-ISR4300-SEC-K9}.
 *
 * @param features     feature names the license enables (levels imply their lower levels, see
 *                     {@link Catalogue#effectiveFeatures(String)})
 * @param counted      true for capacity ("pay as you grow") licenses
 * @param count        capacity granted when counted, 0 otherwise
 * @param usageDays    days of use for evaluation/extension licenses, 0 otherwise
 * @param termDays     calendar days for subscription licenses, 0 otherwise
 * @param eulaRequired whether the EULA must be explicitly accepted before the license is used
 * @param productIds   PIDs the SKU may be fulfilled for
 * @param upgradeOf    SKUs this one replaces on a device: a license bought as one of them may be migrated to this SKU
 *                     with a unit of it (license migration, docs/migration.md); empty for most SKUs
 */
public record Sku(String id, String description, List<String> features, LicenseKind type, boolean counted,
                  int count, int usageDays, int termDays, boolean eulaRequired, Set<String> productIds,
                  Set<String> upgradeOf) {
    public Sku {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(type, "type");
        features = List.copyOf(features);
        productIds = Collections.unmodifiableSet(new LinkedHashSet<>(productIds));
        upgradeOf = Collections.unmodifiableSet(new LinkedHashSet<>(upgradeOf));
    }

    /** A SKU that upgrades no other. */
    public Sku(String id, String description, List<String> features, LicenseKind type, boolean counted, int count,
               int usageDays, int termDays, boolean eulaRequired, Set<String> productIds) {
        this(id, description, features, type, counted, count, usageDays, termDays, eulaRequired, productIds, Set.of());
    }

    /** True if the SKU may be fulfilled for the given PID. */
    public boolean appliesTo(String productId) {
        return productIds.contains(productId);
    }
}
