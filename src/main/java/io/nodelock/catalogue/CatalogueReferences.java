package io.nodelock.catalogue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

import io.nodelock.catalogue.CatalogueFile.EulaEntry;
import io.nodelock.catalogue.CatalogueFile.EulasEntry;
import io.nodelock.catalogue.CatalogueFile.FeatureEntry;
import io.nodelock.catalogue.CatalogueFile.ProductEntry;
import io.nodelock.catalogue.CatalogueFile.SkuEntry;

/**
 * The rules a schema cannot state: ids unique across entries, names that must refer to something defined elsewhere
 * in the file, the feature-set rules, and that what needs the EULA accepted has a EULA to accept. Runs on the bound file; an entry whose id was missing or rejected by the
 * schema is skipped (its error is already reported).
 */
final class CatalogueReferences {

    private final CatalogueFile file;
    private final Findings findings;
    /** First entry per id, by the JSON pointer of the entry: later duplicates are reported and left out. */
    final Map<String, String> features;
    final Map<String, String> products;
    final Map<String, String> skus;
    /** Level to the feature set it belongs to, and the pointer of that level. */
    private final Map<String, String> setOfLevel = new LinkedHashMap<>();
    private final Map<String, String> levelAt = new LinkedHashMap<>();

    CatalogueReferences(CatalogueFile file, Findings findings) {
        this.file = file;
        this.findings = findings;
        this.features = unique("features", file.features(), FeatureEntry::name, "feature");
        this.products = unique("products", file.products(), ProductEntry::id, "product");
        this.skus = unique("skus", file.skus(), SkuEntry::id, "sku");
    }

    void check() {
        featureSets();
        products();
        skus();
        upgrades();
        evaluations();
        eulas();
    }

    private <T> Map<String, String> unique(String section, List<T> entries, Function<T, String> id, String what) {
        Map<String, String> first = new LinkedHashMap<>();
        for (int i = 0; entries != null && i < entries.size(); i++) {
            String name = entries.get(i) == null ? null : id.apply(entries.get(i));
            if (name == null) {
                continue;
            }
            String at = "/" + section + "/" + i;
            String previous = first.putIfAbsent(name, at);
            if (previous != null) {
                findings.at(at, "duplicate " + what + " '" + name + "' (first defined at line "
                        + findings.line(previous) + ")");
            }
        }
        return first;
    }

    private void featureSets() {
        if (file.featureSets() == null) {
            return;
        }
        file.featureSets().forEach((set, levels) -> {
            String setAt = YamlTree.pointer("/featureSets", set);
            for (int i = 0; levels != null && i < levels.size(); i++) {
                String level = levels.get(i);
                String at = YamlTree.pointer(setAt, i);
                if (level == null) {
                    continue;
                }
                if (!features.containsKey(level)) {
                    findings.at(at, "feature set " + set + ": unknown feature '" + level + "' "
                            + CatalogueParser.hint(level, features.keySet(), false));
                    continue;
                }
                String other = setOfLevel.putIfAbsent(level, set);
                if (other == null) {
                    levelAt.put(level, at);
                } else if (!other.equals(set)) {
                    findings.at(at, "feature set " + set + ": feature '" + level + "' is already a level of feature "
                            + "set '" + other + "' (line " + findings.line(levelAt.get(level)) + "); a feature can be a "
                            + "level of only one set");
                }
            }
        });
    }

    private void products() {
        Map<String, List<String>> sets = file.featureSets() == null ? Map.of() : file.featureSets();
        products.forEach((id, entryAt) -> {
            ProductEntry product = entry(file.products(), entryAt);
            String ctx = "product " + id + ": ";
            if (product.featureSet() != null && !sets.containsKey(product.featureSet())) {
                findings.at(entryAt + "/featureSet", ctx + "unknown feature set '" + product.featureSet() + "' "
                        + CatalogueParser.hint(product.featureSet(), sets.keySet(), false));
            }
            List<String> substitutes = product.substitutes() == null ? List.of() : product.substitutes();
            for (int i = 0; i < substitutes.size(); i++) {
                String substitute = substitutes.get(i);
                String at = entryAt + "/substitutes/" + i;
                if (id.equals(substitute)) {
                    findings.at(at, ctx + "a product cannot list itself as a substitute (the same PID is always an "
                            + "allowed replacement)");
                } else if (substitute != null && !products.containsKey(substitute)) {
                    findings.at(at, ctx + "unknown substitute product '" + substitute + "' "
                            + CatalogueParser.hint(substitute, products.keySet(), false));
                }
            }
        });
    }

    private void skus() {
        skus.forEach((id, entryAt) -> {
            SkuEntry sku = entry(file.skus(), entryAt);
            String ctx = "sku " + id + ": ";
            List<String> skuFeatures = sku.features() == null ? List.of() : sku.features();
            for (int i = 0; i < skuFeatures.size(); i++) {
                String feature = skuFeatures.get(i);
                if (feature != null && !features.containsKey(feature)) {
                    findings.at(entryAt + "/features/" + i, ctx + "unknown feature '" + feature + "' "
                            + CatalogueParser.hint(feature, features.keySet(), false));
                }
            }
            List<String> pids = sku.products() == null ? List.of() : sku.products();
            for (int i = 0; i < pids.size(); i++) {
                String pid = pids.get(i);
                String at = entryAt + "/products/" + i;
                if (pid == null) {
                    continue;
                }
                if (!products.containsKey(pid)) {
                    findings.at(at, ctx + "unknown product '" + pid + "' "
                            + CatalogueParser.hint(pid, products.keySet(), false));
                    continue;
                }
                // a feature-set level only makes sense on products whose image uses that feature set
                String productSet = entry(file.products(), products.get(pid)).featureSet();
                skuFeatures.stream().filter(Objects::nonNull).filter(setOfLevel::containsKey).forEach(feature -> {
                    String set = setOfLevel.get(feature);
                    if (!set.equals(productSet)) {
                        findings.at(at, ctx + "feature '" + feature + "' is a level of feature set '" + set
                                + "' but product " + pid + (productSet == null ? " uses no feature set"
                                : " uses feature set '" + productSet + "'"));
                    }
                });
            }
        });
    }

    /**
     * A SKU's {@code upgradeOf} names other defined SKUs, each sold for at least one of its products (else no device
     * could ever be migrated between them), and never leads back to the SKU itself: a cycle would let a license be
     * "upgraded" round and round, a unit each time. Temporary SKUs upgrade nothing: an evaluation replacing a
     * permanent license would be a downgrade.
     */
    private void upgrades() {
        Map<String, Map<String, String>> edges = new LinkedHashMap<>();
        skus.forEach((id, entryAt) -> {
            SkuEntry sku = entry(file.skus(), entryAt);
            if (sku.upgradeOf() == null) {
                return;
            }
            String ctx = "sku " + id + ": ";
            if (LicenseKind.fromWireName(sku.type()).map(LicenseKind::isTemporary).orElse(false)) {
                findings.at(entryAt + "/upgradeOf", ctx + "an " + sku.type() + " SKU cannot be an upgrade: 'upgradeOf' is "
                        + "for permanent and subscription SKUs");
            }
            for (int i = 0; i < sku.upgradeOf().size(); i++) {
                String old = sku.upgradeOf().get(i);
                String at = entryAt + "/upgradeOf/" + i;
                if (old == null) {
                    continue;
                }
                if (old.equals(id)) {
                    findings.at(at, ctx + "a SKU cannot be an upgrade of itself");
                    continue;
                }
                if (!skus.containsKey(old)) {
                    findings.at(at, ctx + "upgradeOf: unknown SKU '" + old + "' " + CatalogueParser.hint(old, skus.keySet(), false));
                    continue;
                }
                List<String> mine = sku.products() == null ? List.of() : sku.products();
                List<String> theirs = entry(file.skus(), skus.get(old)).products();
                if (theirs != null && !mine.isEmpty() && mine.stream().noneMatch(theirs::contains)) {
                    findings.at(at, ctx + "upgradeOf: SKU '" + old + "' is sold for " + String.join(", ", theirs)
                            + ", none of this SKU's products (" + String.join(", ", mine) + "): no device could be upgraded from it");
                }
                edges.computeIfAbsent(id, k -> new LinkedHashMap<>()).put(old, at);
            }
        });
        // One finding per cycle, at the last reference (in file order) that closes it.
        Map<java.util.Set<String>, String[]> cycles = new LinkedHashMap<>();
        edges.forEach((from, targets) -> targets.forEach((to, at) -> {
            List<String> back = path(edges, to, from);
            if (back != null) {
                List<String> cycle = new java.util.ArrayList<>(List.of(from));
                cycle.addAll(back);
                cycles.put(new java.util.TreeSet<>(cycle), new String[] {at, from, String.join(" -> ", cycle)});
            }
        }));
        cycles.values().forEach(c -> findings.at(c[0], "sku " + c[1] + ": upgradeOf makes a cycle (" + c[2]
                + "): a license could be upgraded round and round"));
    }

    /** The SKUs from {@code from} to {@code to} along upgradeOf references (both included), or null if there is no way. */
    private static List<String> path(Map<String, Map<String, String>> edges, String from, String to) {
        Map<String, String> cameFrom = new LinkedHashMap<>();
        java.util.ArrayDeque<String> queue = new java.util.ArrayDeque<>(List.of(from));
        cameFrom.put(from, null);
        while (!queue.isEmpty()) {
            String at = queue.poll();
            if (at.equals(to)) {
                java.util.LinkedList<String> way = new java.util.LinkedList<>();
                for (String step = at; step != null; step = cameFrom.get(step)) {
                    way.addFirst(step);
                }
                return way;
            }
            for (String next : edges.getOrDefault(at, Map.of()).keySet()) {
                if (!cameFrom.containsKey(next)) {
                    cameFrom.put(next, at);
                    queue.add(next);
                }
            }
        }
        return null;
    }

    /** A feature's evaluation names defined products, and a feature-set level only products of that set. */
    private void evaluations() {
        features.forEach((name, entryAt) -> {
            FeatureEntry feature = entry(file.features(), entryAt);
            if (feature.evaluation() == null || feature.evaluation().products() == null) {
                return;
            }
            String ctx = "feature " + name + ": evaluation: ";
            List<String> pids = feature.evaluation().products();
            String set = setOfLevel.get(name);
            for (int i = 0; i < pids.size(); i++) {
                String pid = pids.get(i);
                String at = entryAt + "/evaluation/products/" + i;
                if (pid == null) {
                    continue;
                }
                if (!products.containsKey(pid)) {
                    findings.at(at, ctx + "unknown product '" + pid + "' "
                            + CatalogueParser.hint(pid, products.keySet(), false));
                    continue;
                }
                String productSet = entry(file.products(), products.get(pid)).featureSet();
                if (set != null && !set.equals(productSet)) {
                    findings.at(at, ctx + "feature '" + name + "' is a level of feature set '" + set + "' but product "
                            + pid + (productSet == null ? " uses no feature set" : " uses feature set '" + productSet + "'"));
                }
            }
        });
    }

    /**
     * EULA versions are unique and {@code current} is one of them; without {@code eulas}, nothing may need the EULA
     * accepted (there would be no text to accept, and no version to record the consent with).
     */
    private void eulas() {
        EulasEntry eulas = file.eulas();
        if (eulas == null) {
            if (findings.tree.values.containsKey("/eulas")) {
                return; // written, but of the wrong shape: reported already
            }
            String advice = ", but the catalogue has no 'eulas' (the EULA texts customers accept; see docs/catalogue.md)";
            features.forEach((name, entryAt) -> {
                if (entry(file.features(), entryAt).evaluation() != null) {
                    findings.at(entryAt + "/evaluation", "feature " + name + ": an evaluation needs the EULA accepted"
                            + advice);
                }
            });
            skus.forEach((id, entryAt) -> {
                SkuEntry sku = entry(file.skus(), entryAt);
                boolean required = sku.eulaRequired() != null ? sku.eulaRequired()
                        : LicenseKind.fromWireName(sku.type()).map(LicenseKind::isTemporary).orElse(false);
                if (required) {
                    findings.at(entryAt + (sku.eulaRequired() != null ? "/eulaRequired" : "/type"), "sku " + id
                            + ": needs the EULA accepted" + advice + "; or set 'eulaRequired: false'");
                }
            });
            return;
        }
        List<EulaEntry> versions = eulas.versions();
        Map<String, String> defined = unique("eulas/versions", versions, EulaEntry::version, "EULA version");
        // a version the schema rejected may be the one meant: its error is reported, not this one
        boolean allNamed = versions != null && versions.stream().allMatch(v -> v != null && v.version() != null);
        if (eulas.current() != null && allNamed && !defined.containsKey(eulas.current())) {
            findings.at("/eulas/current", "eulas: current version '" + eulas.current() + "' is not listed in 'versions' "
                    + CatalogueParser.hint(eulas.current(), defined.keySet(), false));
        }
    }

    private static <T> T entry(List<T> entries, String pointer) {
        return entries.get(Integer.parseInt(YamlTree.lastSegment(pointer)));
    }
}
