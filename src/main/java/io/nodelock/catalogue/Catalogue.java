package io.nodelock.catalogue;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The validated, immutable product catalogue: features (and the self-serve evaluations they offer), universal-image
 * feature sets, products (PIDs), SKUs and the versions of the end-user license agreement.
 * Instances come from {@link CatalogueParser}; collections preserve file order.
 */
public final class Catalogue {
    private final int format;
    private final String revision;
    private final Map<String, Feature> features;
    private final Map<String, FeatureSet> featureSets;
    private final Map<String, FeatureSet> featureSetByLevel;
    private final Map<String, Product> products;
    private final Map<String, Sku> skus;
    private final Map<String, EvaluationOffer> evaluations;
    private final Map<String, EulaText> eulas;
    private final EulaText currentEula;

    /**
     * @param currentEula the version of {@code eulas} customers accept now; {@code null} only when {@code eulas} is
     *                    empty (then nothing in the catalogue may need the EULA accepted: the parser checks that)
     */
    Catalogue(int format, String revision, List<Feature> features, List<FeatureSet> featureSets,
              List<Product> products, List<Sku> skus, List<EvaluationOffer> evaluations, List<EulaText> eulas,
              String currentEula) {
        this.format = format;
        this.revision = Objects.requireNonNull(revision, "revision");
        this.features = index(features, Feature::name);
        this.featureSets = index(featureSets, FeatureSet::name);
        Map<String, FeatureSet> byLevel = new LinkedHashMap<>();
        for (FeatureSet set : featureSets) {
            for (String level : set.levels()) {
                if (byLevel.putIfAbsent(level, set) != null) {
                    throw new IllegalArgumentException("level " + level + " in more than one feature set");
                }
            }
        }
        this.featureSetByLevel = Collections.unmodifiableMap(byLevel);
        this.products = index(products, Product::id);
        this.skus = index(skus, Sku::id);
        this.evaluations = index(evaluations, EvaluationOffer::feature);
        for (String feature : this.evaluations.keySet()) {
            if (!this.features.containsKey(feature)) {
                throw new IllegalArgumentException("evaluation of unknown feature " + feature);
            }
        }
        this.eulas = index(eulas, EulaText::version);
        this.currentEula = currentEula == null ? null : this.eulas.get(currentEula);
        if ((this.currentEula == null) != this.eulas.isEmpty()) {
            throw new IllegalArgumentException("current EULA " + currentEula + " is not one of " + this.eulas.keySet());
        }
    }

    private static <T> Map<String, T> index(List<T> items, java.util.function.Function<T, String> key) {
        Map<String, T> map = new LinkedHashMap<>();
        for (T item : items) {
            if (map.put(key.apply(item), item) != null) {
                throw new IllegalArgumentException("duplicate " + key.apply(item));
            }
        }
        return Collections.unmodifiableMap(map);
    }

    /** The file format version (currently always 1). */
    public int format() {
        return format;
    }

    /** The operator's revision label, e.g. {@code "2026-11-28.1"}. */
    public String revision() {
        return revision;
    }

    public Optional<Sku> sku(String id) {
        return Optional.ofNullable(id == null ? null : skus.get(id));
    }

    public Collection<Sku> skus() {
        return skus.values();
    }

    public Optional<Product> product(String pid) {
        return Optional.ofNullable(pid == null ? null : products.get(pid));
    }

    public Collection<Product> products() {
        return products.values();
    }

    public Optional<Feature> feature(String name) {
        return Optional.ofNullable(name == null ? null : features.get(name));
    }

    public Collection<Feature> features() {
        return features.values();
    }

    public Optional<FeatureSet> featureSet(String name) {
        return Optional.ofNullable(name == null ? null : featureSets.get(name));
    }

    public Collection<FeatureSet> featureSets() {
        return featureSets.values();
    }

    /** The feature set the given feature is a level of, if any (a feature is a level of at most one set). */
    public Optional<FeatureSet> featureSetOfLevel(String feature) {
        return Optional.ofNullable(feature == null ? null : featureSetByLevel.get(feature));
    }

    /**
     * Everything a license for {@code feature} enables: for a feature-set level, that level and all lower levels
     * (lowest first); for any other known feature, just itself; for an unknown name, the empty set.
     */
    public Set<String> effectiveFeatures(String feature) {
        FeatureSet set = feature == null ? null : featureSetByLevel.get(feature);
        if (set != null) {
            return set.effectiveFeatures(feature);
        }
        return feature != null && features.containsKey(feature) ? Set.of(feature) : Set.of();
    }

    /** True if a license for {@code higher} also enables {@code lower} (a feature includes itself). */
    public boolean includes(String higher, String lower) {
        return effectiveFeatures(higher).contains(lower);
    }

    /**
     * The SKUs a license bought as {@code skuId} may be upgraded to on a device with {@code productId}: those that
     * declare {@code upgradeOf} it and apply to the product, in file order.
     */
    public List<Sku> upgradesOf(String skuId, String productId) {
        if (skuId == null) {
            return List.of();
        }
        return skus.values().stream().filter(s -> s.upgradeOf().contains(skuId) && s.appliesTo(productId)).toList();
    }

    /**
     * The permanent SKUs an evaluation or extension license of {@code feature} on a device with {@code productId} may
     * be converted to: each names the feature and applies to the product, in file order.
     */
    public List<Sku> conversionsOf(String feature, String productId) {
        return skus.values().stream().filter(s -> s.type() == LicenseKind.PERMANENT && s.features().contains(feature)
                && s.appliesTo(productId)).toList();
    }

    /** True if the SKU exists and may be fulfilled for the PID. */
    public boolean skuAppliesTo(String skuId, String productId) {
        return sku(skuId).map(s -> s.appliesTo(productId)).orElse(false);
    }

    /**
     * True if a device with {@code replacementPid} may replace a failed {@code failedPid} in an RMA: the failed PID
     * must be in the catalogue and the replacement must be the same PID or one of its listed substitutes.
     */
    public boolean isAllowedReplacement(String failedPid, String replacementPid) {
        return product(failedPid)
                .map(p -> p.id().equals(replacementPid) || p.substitutes().contains(replacementPid))
                .orElse(false);
    }

    /** The self-serve evaluation {@code feature} offers, if any (for which products: {@link EvaluationOffer#appliesTo}). */
    public Optional<EvaluationOffer> evaluation(String feature) {
        return Optional.ofNullable(feature == null ? null : evaluations.get(feature));
    }

    /** Every self-serve evaluation, in the order of the features. */
    public Collection<EvaluationOffer> evaluations() {
        return evaluations.values();
    }

    /** The evaluations a device with this PID may ask for, in the order of the features. */
    public List<EvaluationOffer> evaluationsFor(String productId) {
        return evaluations.values().stream().filter(e -> e.appliesTo(productId)).toList();
    }

    /** Every EULA version, in file order. */
    public Collection<EulaText> eulas() {
        return eulas.values();
    }

    public Optional<EulaText> eula(String version) {
        return Optional.ofNullable(version == null ? null : eulas.get(version));
    }

    /** The EULA customers accept now; empty only for a catalogue in which nothing needs the EULA accepted. */
    public Optional<EulaText> currentEula() {
        return Optional.ofNullable(currentEula);
    }

    @Override
    public String toString() {
        return "Catalogue[revision=" + revision + ", features=" + features.size() + ", featureSets="
                + featureSets.size() + ", products=" + products.size() + ", skus=" + skus.size() + ", evaluations="
                + evaluations.size() + ", eulas=" + eulas.keySet() + "]";
    }
}
