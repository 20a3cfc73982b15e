package io.nodelock.catalogue;

import java.util.List;
import java.util.Map;

/**
 * {@code catalogue.yml} as Jackson binds it, once the schema has checked its shape. Values the schema rejected are
 * removed before binding, so a field is {@code null} (or 0 / false) when it was missing or wrong; those problems
 * are already reported, and the reference checks skip what is absent.
 */
record CatalogueFile(Integer format, String revision, List<FeatureEntry> features,
                     Map<String, List<String>> featureSets, List<ProductEntry> products, List<SkuEntry> skus,
                     EulasEntry eulas) {

    record FeatureEntry(String name, String description, EvaluationEntry evaluation) {
    }

    /** A feature's self-serve evaluation: days of use, and the PIDs whose devices may have it. */
    record EvaluationEntry(int usageDays, List<String> products) {
    }

    /** The EULA versions and which of them is accepted now. */
    record EulasEntry(String current, List<EulaEntry> versions) {
    }

    record EulaEntry(String version, String title, String text) {
    }

    record ProductEntry(String id, String description, String featureSet, List<String> substitutes, String registration) {
    }

    /**
     * {@code type} stays text here: the schema holds the list of types, {@link LicenseKind} maps it afterwards.
     * {@code upgradeOf}: the SKUs this one replaces on a device (license migration), or null.
     */
    record SkuEntry(String id, String description, List<String> features, String type, boolean counted, int count,
                    int usageDays, int termDays, Boolean eulaRequired, List<String> products, List<String> upgradeOf) {
    }
}
