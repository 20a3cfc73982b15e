package io.nodelock.migration;

/** What a migration does to the license. */
public enum MigrationKind {
    /** To a SKU that the catalogue declares {@code upgradeOf} the license's SKU, on the same product. */
    UPGRADE,
    /** An evaluation or extension license to a permanent SKU of its feature, on the same product. */
    CONVERSION
}
