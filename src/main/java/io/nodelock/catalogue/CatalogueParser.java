package io.nodelock.catalogue;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.DumperOptions.FlowStyle;

/**
 * Parses and validates {@code catalogue.yml} (format 1). Plain Java, no Spring; thread-safe.
 * <p>
 * Works on SnakeYAML's node tree so every error names its line (and, inside {@code [a, b]} lists, its column).
 * Validation does not stop at the first problem: {@link CatalogueException} carries every error, in file order.
 */
public final class CatalogueParser {

    /** The only file format version this parser understands. */
    public static final int SUPPORTED_FORMAT = 1;

    static final Pattern FEATURE_NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");
    static final Pattern PRODUCT_ID = Pattern.compile("[A-Z0-9][A-Z0-9/+=.-]{0,17}");
    static final Pattern SKU_ID = Pattern.compile("[A-Z0-9][A-Z0-9/+=.-]{0,39}");
    static final int MAX_REVISION_LENGTH = 64;

    private static final List<String> ROOT_KEYS = List.of("format", "revision", "features", "featureSets", "products", "skus");
    private static final List<String> FEATURE_KEYS = List.of("name", "description");
    private static final List<String> PRODUCT_KEYS = List.of("id", "description", "featureSet", "substitutes");
    private static final List<String> SKU_KEYS = List.of("id", "description", "features", "type", "counted", "count",
            "usageDays", "termDays", "eulaRequired", "products");

    /** Parses and validates a catalogue. {@code sourceName} (e.g. {@code catalogue.yml}) prefixes every error. */
    public Catalogue parse(String sourceName, Reader reader) {
        return new Run(sourceName).parse(reader);
    }

    /** Convenience overload for YAML held in a string. */
    public Catalogue parse(String sourceName, String yaml) {
        return parse(sourceName, new StringReader(yaml));
    }

    // ------------------------------------------------------------------------------------------------------------

    private record Error(int line, int column, String message) {
    }

    private record Ref(String value, Node node) {
    }

    private record FeatureDraft(String name, String description, Node node) {
    }

    private record SetDraft(String name, List<Ref> levels, Node node) {
    }

    private record ProductDraft(String id, String description, Ref featureSet, List<Ref> substitutes, Node node) {
    }

    private record SkuDraft(String id, String description, List<Ref> features, LicenseKind type, boolean counted,
                            int count, int usageDays, int termDays, boolean eulaRequired, List<Ref> products,
                            Node node) {
    }

    /** State of one parse. */
    private static final class Run {
        private final String source;
        private final List<Error> errors = new ArrayList<>();
        /** Nodes that sit inside a flow-style ([a, b] / {k: v}) collection: errors on them also give the column. */
        private final Set<Node> inFlow = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());

        Run(String source) {
            this.source = source == null || source.isBlank() ? "catalogue" : source;
        }

        Catalogue parse(Reader reader) {
            Node root;
            try {
                root = new Yaml().compose(reader);
            } catch (MarkedYAMLException e) {
                Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
                String problem = e.getProblem() != null ? e.getProblem() : e.getMessage();
                String context = e.getContext() != null ? e.getContext() + ": " : "";
                int line = mark == null ? 0 : mark.getLine() + 1;
                int column = mark == null ? 0 : mark.getColumn() + 1;
                errors.add(new Error(line, column, "not valid YAML: " + context + problem));
                throw failure();
            } catch (YAMLException e) {
                if (e.getCause() instanceof IOException io) {
                    throw new UncheckedIOException("cannot read " + source, io);
                }
                errors.add(new Error(0, 0, "not valid YAML: " + e.getMessage()));
                throw failure();
            }
            if (root == null) {
                errors.add(new Error(0, 0, "the file is empty; expected keys " + String.join(", ", ROOT_KEYS)));
                throw failure();
            }
            if (!(root instanceof MappingNode rootMap)) {
                error(root, "the file must be a mapping with keys " + String.join(", ", ROOT_KEYS) + ", not "
                        + kind(root));
                throw failure();
            }
            Fields top = fields(rootMap, null, ROOT_KEYS);

            int format = readFormat(top);
            String revision = readRevision(top);
            List<FeatureDraft> features = readFeatures(top);
            List<SetDraft> sets = readFeatureSets(top);
            List<ProductDraft> products = readProducts(top);
            List<SkuDraft> skus = readSkus(top);

            crossCheck(features, sets, products, skus);

            if (!errors.isEmpty()) {
                throw failure();
            }
            return new Catalogue(format, revision,
                    features.stream().map(f -> new Feature(f.name(), f.description())).toList(),
                    sets.stream().map(s -> new FeatureSet(s.name(), values(s.levels()))).toList(),
                    products.stream().map(p -> new Product(p.id(), p.description(),
                            p.featureSet() == null ? null : p.featureSet().value(),
                            new LinkedHashSet<>(values(p.substitutes())))).toList(),
                    skus.stream().map(s -> new Sku(s.id(), s.description(), values(s.features()), s.type(),
                            s.counted(), s.count(), s.usageDays(), s.termDays(), s.eulaRequired(),
                            new LinkedHashSet<>(values(s.products())))).toList());
        }

        private CatalogueException failure() {
            List<Error> sorted = new ArrayList<>(errors);
            sorted.sort(Comparator.comparingInt(Error::line).thenComparingInt(Error::column));
            return new CatalogueException(sorted.stream().map(this::format).toList());
        }

        private String format(Error e) {
            if (e.line() <= 0) {
                return source + ": " + e.message();
            }
            String where = e.column() > 0 ? " line " + e.line() + ", column " + e.column() : " line " + e.line();
            return source + where + ": " + e.message();
        }

        // ---------------------------------------------------------------------------------------------- sections

        private int readFormat(Fields top) {
            Node node = top.required("format");
            if (node == null) {
                return SUPPORTED_FORMAT;
            }
            Integer format = integer(node, null, "format");
            if (format != null && format != SUPPORTED_FORMAT) {
                error(node, "unsupported format " + format + " (this version of Nodelock reads format "
                        + SUPPORTED_FORMAT + ")");
            }
            return SUPPORTED_FORMAT;
        }

        private String readRevision(Fields top) {
            Node node = top.required("revision");
            if (node == null) {
                return "";
            }
            String revision = text(node, null, "revision");
            if (revision == null) {
                return "";
            }
            if (revision.isBlank()) {
                error(node, "'revision' must not be blank");
            } else if (revision.length() > MAX_REVISION_LENGTH) {
                error(node, "'revision' is longer than " + MAX_REVISION_LENGTH + " characters");
            } else if (revision.chars().anyMatch(Character::isISOControl)) {
                error(node, "'revision' must be a single line of text");
            }
            return revision.strip();
        }

        private List<FeatureDraft> readFeatures(Fields top) {
            List<FeatureDraft> result = new ArrayList<>();
            for (MappingNode entry : entries(top, "features", true)) {
                Fields f = fields(entry, peek(entry, "name", "feature"), FEATURE_KEYS);
                String name = id(f, "name", FEATURE_NAME, "feature", "a feature name must be 1-64 characters of "
                        + "a-z 0-9 _ -, starting with a letter or digit");
                String description = requiredText(f, "description");
                if (name != null) {
                    result.add(new FeatureDraft(name, description, entry));
                }
            }
            duplicates(result, FeatureDraft::name, FeatureDraft::node, "feature");
            return result;
        }

        private List<SetDraft> readFeatureSets(Fields top) {
            List<SetDraft> result = new ArrayList<>();
            Node node = top.optional("featureSets");
            if (node == null) {
                return result;
            }
            if (!(node instanceof MappingNode map)) {
                error(node, "'featureSets' must be a mapping of set name to list of levels, e.g. "
                        + "universal-k9: [ipbase, ipservices], not " + kind(node));
                return result;
            }
            if (map.getValue().isEmpty()) {
                error(node, "'featureSets' is empty; remove the key or define at least one feature set");
            }
            Map<String, Node> seen = new LinkedHashMap<>();
            for (NodeTuple tuple : map.getValue()) {
                Node keyNode = tuple.getKeyNode();
                String name = keyNode instanceof ScalarNode s && s.getTag() != Tag.NULL ? s.getValue() : null;
                if (name == null) {
                    error(keyNode, "feature set name must be text");
                    continue;
                }
                String context = "feature set " + name;
                if (!FEATURE_NAME.matcher(name).matches()) {
                    error(keyNode, "invalid feature set name '" + name + "': 1-64 characters of a-z 0-9 _ -, "
                            + "starting with a letter or digit");
                }
                Node previous = seen.putIfAbsent(name, keyNode);
                if (previous != null) {
                    error(keyNode, "duplicate feature set '" + name + "' (first defined at line " + line(previous) + ")");
                    continue;
                }
                List<Ref> levels = refList(tuple.getValueNode(), context, "the levels", true);
                Map<String, Ref> levelSeen = new LinkedHashMap<>();
                List<Ref> unique = new ArrayList<>();
                for (Ref level : levels) {
                    Ref first = levelSeen.putIfAbsent(level.value(), level);
                    if (first != null) {
                        error(level.node(), context + ": level '" + level.value() + "' is listed twice");
                    } else {
                        unique.add(level);
                    }
                }
                result.add(new SetDraft(name, unique, keyNode));
            }
            return result;
        }

        private List<ProductDraft> readProducts(Fields top) {
            List<ProductDraft> result = new ArrayList<>();
            for (MappingNode entry : entries(top, "products", true)) {
                Fields f = fields(entry, peek(entry, "id", "product"), PRODUCT_KEYS);
                String id = id(f, "id", PRODUCT_ID, "product", "a product ID (PID) must be 1-18 characters of "
                        + "A-Z 0-9 - / + = ., starting with a letter or digit");
                String description = requiredText(f, "description");
                Ref featureSet = null;
                Node fsNode = f.optional("featureSet");
                if (fsNode != null) {
                    String value = text(fsNode, f.context, "featureSet");
                    if (value != null) {
                        featureSet = new Ref(value, fsNode);
                    }
                }
                List<Ref> substitutes = List.of();
                Node subNode = f.optional("substitutes");
                if (subNode != null) {
                    substitutes = refList(subNode, f.context, "'substitutes'", false);
                }
                if (id != null) {
                    result.add(new ProductDraft(id, description, featureSet, substitutes, entry));
                }
            }
            duplicates(result, ProductDraft::id, ProductDraft::node, "product");
            return result;
        }

        private List<SkuDraft> readSkus(Fields top) {
            List<SkuDraft> result = new ArrayList<>();
            for (MappingNode entry : entries(top, "skus", true)) {
                Fields f = fields(entry, peek(entry, "id", "sku"), SKU_KEYS);
                String id = id(f, "id", SKU_ID, "sku", "a SKU id must be 1-40 characters of A-Z 0-9 - / + = ., "
                        + "starting with a letter or digit");
                String ctx = f.context;
                String description = requiredText(f, "description");

                List<Ref> features = List.of();
                Node featuresNode = f.required("features");
                if (featuresNode != null) {
                    features = dedupe(refList(featuresNode, ctx, "'features'", true), ctx, "feature");
                }

                LicenseKind type = null;
                Node typeNode = f.required("type");
                if (typeNode != null) {
                    String value = text(typeNode, ctx, "type");
                    if (value != null) {
                        type = LicenseKind.fromWireName(value).orElse(null);
                        if (type == null) {
                            List<String> kinds = java.util.Arrays.stream(LicenseKind.values())
                                    .map(LicenseKind::wireName).toList();
                            error(typeNode, ctx + ": unknown type '" + value + "' " + hint(value, kinds, true));
                        }
                    }
                }

                boolean counted = false;
                Node countedNode = f.optional("counted");
                if (countedNode != null) {
                    Boolean b = bool(countedNode, ctx, "counted");
                    counted = b != null && b;
                }
                int count = 0;
                Node countNode = f.optional("count");
                if (countedNode != null || countNode != null) {
                    if (counted && countNode == null) {
                        error(entry, ctx + ": counted SKU needs 'count' (the capacity it grants, e.g. 25 access points)");
                    } else if (!counted && countNode != null) {
                        error(countNode, ctx + ": 'count' is only allowed when 'counted: true'");
                    } else if (countNode != null) {
                        count = positive(countNode, ctx, "count");
                    }
                }

                Node usageNode = f.optional("usageDays");
                Node termNode = f.optional("termDays");
                int usageDays = 0;
                int termDays = 0;
                if (type != null) {
                    if (type.isTemporary()) {
                        if (usageNode == null) {
                            error(entry, ctx + ": " + type.wireName() + " SKU needs 'usageDays' (days of use, e.g. 60)");
                        } else {
                            usageDays = positive(usageNode, ctx, "usageDays");
                        }
                    } else if (usageNode != null) {
                        error(usageNode, ctx + ": 'usageDays' is only allowed for evaluation and extension SKUs, not "
                                + type.wireName());
                    }
                    if (type == LicenseKind.SUBSCRIPTION) {
                        if (termNode == null) {
                            error(entry, ctx + ": subscription SKU needs 'termDays' (calendar days, e.g. 365)");
                        } else {
                            termDays = positive(termNode, ctx, "termDays");
                        }
                    } else if (termNode != null) {
                        error(termNode, ctx + ": 'termDays' is only allowed for subscription SKUs, not "
                                + type.wireName());
                    }
                }

                if (type == null) {
                    // type unknown or missing (already reported): still check the numbers themselves
                    if (usageNode != null) {
                        positive(usageNode, ctx, "usageDays");
                    }
                    if (termNode != null) {
                        positive(termNode, ctx, "termDays");
                    }
                }

                boolean eulaRequired = type != null && type.isTemporary();
                Node eulaNode = f.optional("eulaRequired");
                if (eulaNode != null) {
                    Boolean b = bool(eulaNode, ctx, "eulaRequired");
                    if (b != null) {
                        eulaRequired = b;
                    }
                }

                List<Ref> products = List.of();
                Node productsNode = f.required("products");
                if (productsNode != null) {
                    products = dedupe(refList(productsNode, ctx, "'products'", true), ctx, "product");
                }

                if (id != null && type != null) {
                    result.add(new SkuDraft(id, description, features, type, counted, count, usageDays, termDays,
                            eulaRequired, products, entry));
                } else if (id != null) {
                    // keep it for duplicate detection and reference checks; never built because errors exist
                    result.add(new SkuDraft(id, description, features, LicenseKind.PERMANENT, counted, count,
                            usageDays, termDays, eulaRequired, products, entry));
                }
            }
            duplicates(result, SkuDraft::id, SkuDraft::node, "sku");
            return result;
        }

        // ---------------------------------------------------------------------------------------- cross checks

        private void crossCheck(List<FeatureDraft> features, List<SetDraft> sets, List<ProductDraft> products,
                                List<SkuDraft> skus) {
            Set<String> featureNames = features.stream().map(FeatureDraft::name)
                    .collect(Collectors.toCollection(LinkedHashSet::new));
            Map<String, SetDraft> setByName = new LinkedHashMap<>();
            sets.forEach(s -> setByName.putIfAbsent(s.name(), s));
            Map<String, ProductDraft> productById = new LinkedHashMap<>();
            products.forEach(p -> productById.putIfAbsent(p.id(), p));

            Map<String, SetDraft> setOfLevel = new LinkedHashMap<>();
            Map<String, Ref> levelRef = new LinkedHashMap<>();
            for (SetDraft set : sets) {
                for (Ref level : set.levels()) {
                    if (!featureNames.contains(level.value())) {
                        error(level.node(), "feature set " + set.name() + ": unknown feature '" + level.value() + "' "
                                + hint(level.value(), featureNames, false));
                        continue;
                    }
                    SetDraft other = setOfLevel.putIfAbsent(level.value(), set);
                    if (other != null && other != set) {
                        error(level.node(), "feature set " + set.name() + ": feature '" + level.value()
                                + "' is already a level of feature set '" + other.name() + "' (line "
                                + line(levelRef.get(level.value()).node()) + "); a feature can be a level of only one set");
                    } else {
                        levelRef.putIfAbsent(level.value(), level);
                    }
                }
            }

            for (ProductDraft product : products) {
                String ctx = "product " + product.id();
                if (product.featureSet() != null && !setByName.containsKey(product.featureSet().value())) {
                    error(product.featureSet().node(), ctx + ": unknown feature set '" + product.featureSet().value()
                            + "' " + hint(product.featureSet().value(), setByName.keySet(), false));
                }
                Set<String> seen = new LinkedHashSet<>();
                for (Ref sub : product.substitutes()) {
                    if (sub.value().equals(product.id())) {
                        error(sub.node(), ctx + ": a product cannot list itself as a substitute (the same PID is "
                                + "always an allowed replacement)");
                    } else if (!productById.containsKey(sub.value())) {
                        error(sub.node(), ctx + ": unknown substitute product '" + sub.value() + "' "
                                + hint(sub.value(), productById.keySet(), false));
                    } else if (!seen.add(sub.value())) {
                        error(sub.node(), ctx + ": substitute '" + sub.value() + "' is listed twice");
                    }
                }
            }

            for (SkuDraft sku : skus) {
                String ctx = "sku " + sku.id();
                for (Ref feature : sku.features()) {
                    if (!featureNames.contains(feature.value())) {
                        error(feature.node(), ctx + ": unknown feature '" + feature.value() + "' "
                                + hint(feature.value(), featureNames, false));
                    }
                }
                for (Ref pid : sku.products()) {
                    ProductDraft product = productById.get(pid.value());
                    if (product == null) {
                        error(pid.node(), ctx + ": unknown product '" + pid.value() + "' "
                                + hint(pid.value(), productById.keySet(), false));
                        continue;
                    }
                    // a feature-set level only makes sense on products whose image uses that feature set
                    for (Ref feature : sku.features()) {
                        SetDraft set = setOfLevel.get(feature.value());
                        if (set == null) {
                            continue;
                        }
                        String productSet = product.featureSet() == null ? null : product.featureSet().value();
                        if (!set.name().equals(productSet)) {
                            error(pid.node(), ctx + ": feature '" + feature.value() + "' is a level of feature set '"
                                    + set.name() + "' but product " + product.id()
                                    + (productSet == null ? " uses no feature set" : " uses feature set '" + productSet + "'"));
                        }
                    }
                }
            }
        }

        // -------------------------------------------------------------------------------------- node helpers

        /** A mapping's keys, with duplicate and unknown keys reported. */
        private final class Fields {
            final MappingNode node;
            final Map<String, NodeTuple> byKey = new LinkedHashMap<>();
            final String context;

            Fields(MappingNode node, String context, List<String> allowed) {
                this.node = node;
                this.context = context;
                for (NodeTuple tuple : node.getValue()) {
                    Node keyNode = tuple.getKeyNode();
                    if (!(keyNode instanceof ScalarNode scalar) || scalar.getTag() == Tag.NULL) {
                        error(keyNode, prefix(context) + "keys must be plain names, not " + kind(keyNode));
                        continue;
                    }
                    String key = scalar.getValue();
                    if (!allowed.contains(key)) {
                        error(keyNode, prefix(context) + "unknown key '" + key + "' " + hint(key, allowed, true));
                        continue;
                    }
                    NodeTuple first = byKey.putIfAbsent(key, tuple);
                    if (first != null) {
                        error(keyNode, prefix(context) + "duplicate key '" + key + "' (first at line "
                                + line(first.getKeyNode()) + ")");
                    }
                }
            }

            Node optional(String key) {
                NodeTuple tuple = byKey.get(key);
                return tuple == null ? null : tuple.getValueNode();
            }

            Node required(String key) {
                Node value = optional(key);
                if (value == null) {
                    error(node, prefix(context) + "missing required key '" + key + "'");
                }
                return value;
            }
        }

        /** "sku FL-X" (or "sku at line N" when the entry has no usable id) for messages about an entry. */
        private String peek(MappingNode entry, String key, String what) {
            for (NodeTuple tuple : entry.getValue()) {
                if (tuple.getKeyNode() instanceof ScalarNode k && k.getValue().equals(key)
                        && tuple.getValueNode() instanceof ScalarNode v && v.getTag() != Tag.NULL
                        && !v.getValue().isBlank()) {
                    return what + " " + v.getValue();
                }
            }
            return what + " at line " + line(entry);
        }

        private Fields fields(MappingNode node, String context, List<String> allowed) {
            return new Fields(node, context, allowed);
        }

        /**
         * Reads the identifying key of a list entry ({@code name} / {@code id}). Unknown-key errors raised before
         * the id is known carry no context; that is fine, they still name the line.
         */
        private String id(Fields f, String key, Pattern pattern, String what, String rule) {
            Node node = f.required(key);
            if (node == null) {
                return null;
            }
            String value = text(node, f.context, key);
            if (value == null) {
                return null;
            }
            if (!pattern.matcher(value).matches()) {
                error(node, "invalid " + what + " " + key + " '" + value + "': " + rule);
                return null;
            }
            return value;
        }

        private String requiredText(Fields f, String key) {
            Node node = f.required(key);
            if (node == null) {
                return "";
            }
            String value = text(node, f.context, key);
            if (value != null && value.isBlank()) {
                error(node, prefix(f.context) + "'" + key + "' must not be blank");
            }
            return value == null ? "" : value.strip();
        }

        /** The mapping entries of a top-level list section. */
        private List<MappingNode> entries(Fields top, String key, boolean required) {
            Node node = required ? top.required(key) : top.optional(key);
            List<MappingNode> result = new ArrayList<>();
            if (node == null) {
                return result;
            }
            if (!(node instanceof SequenceNode seq)) {
                error(node, "'" + key + "' must be a list of entries (lines starting with '- '), not " + kind(node));
                return result;
            }
            if (seq.getValue().isEmpty()) {
                error(node, "'" + key + "' must not be empty");
            }
            for (Node item : seq.getValue()) {
                if (item instanceof MappingNode map) {
                    result.add(map);
                } else {
                    error(item, "each entry of '" + key + "' must be a mapping of keys, not " + kind(item));
                }
            }
            return result;
        }

        /** A list of plain names, e.g. {@code [ipbase, ipservices]}. */
        /** @param label what the list is, as shown in messages, e.g. {@code 'features'} (with quotes) */
        private List<Ref> refList(Node node, String context, String label, boolean nonEmpty) {
            List<Ref> result = new ArrayList<>();
            if (node instanceof ScalarNode scalar && scalar.getTag() != Tag.NULL) {
                error(node, prefix(context) + label + " must be a list, e.g. [" + scalar.getValue() + "]");
                return result;
            }
            if (!(node instanceof SequenceNode seq)) {
                error(node, prefix(context) + label + " must be a list, not " + kind(node));
                return result;
            }
            if (seq.getValue().isEmpty() && nonEmpty) {
                error(node, prefix(context) + label + " must not be empty");
            }
            boolean flow = seq.getFlowStyle() == FlowStyle.FLOW;
            for (Node item : seq.getValue()) {
                if (flow) {
                    inFlow.add(item);
                }
                if (item instanceof ScalarNode scalar && scalar.getTag() != Tag.NULL && !scalar.getValue().isBlank()) {
                    result.add(new Ref(scalar.getValue(), item));
                } else {
                    error(item, prefix(context) + "each item of " + label + " must be a name, not " + kind(item));
                }
            }
            return result;
        }

        private List<Ref> dedupe(List<Ref> refs, String context, String what) {
            Set<String> seen = new LinkedHashSet<>();
            List<Ref> result = new ArrayList<>();
            for (Ref ref : refs) {
                if (seen.add(ref.value())) {
                    result.add(ref);
                } else {
                    error(ref.node(), prefix(context) + what + " '" + ref.value() + "' is listed twice");
                }
            }
            return result;
        }

        private <T> void duplicates(List<T> items, java.util.function.Function<T, String> id,
                                    java.util.function.Function<T, Node> node, String what) {
            Map<String, T> seen = new LinkedHashMap<>();
            for (java.util.Iterator<T> it = items.iterator(); it.hasNext(); ) {
                T item = it.next();
                T first = seen.putIfAbsent(id.apply(item), item);
                if (first != null) {
                    error(node.apply(item), "duplicate " + what + " '" + id.apply(item) + "' (first defined at line "
                            + line(node.apply(first)) + ")");
                    it.remove();
                }
            }
        }

        /** Any non-null scalar as text (so {@code revision: 2026-11-28} works unquoted). */
        private String text(Node node, String context, String key) {
            if (node instanceof ScalarNode scalar) {
                if (scalar.getTag() == Tag.NULL) {
                    error(node, prefix(context) + "'" + key + "' has no value");
                    return null;
                }
                return scalar.getValue();
            }
            error(node, prefix(context) + "'" + key + "' must be text, not " + kind(node));
            return null;
        }

        private Integer integer(Node node, String context, String key) {
            if (node instanceof ScalarNode scalar && scalar.getTag() == Tag.INT) {
                try {
                    BigInteger value = new BigInteger(scalar.getValue().replace("_", ""));
                    if (value.bitLength() < 32) {
                        return value.intValue();
                    }
                    error(node, prefix(context) + "'" + key + "' is too large: " + scalar.getValue());
                    return null;
                } catch (NumberFormatException e) {
                    // hex, octal, sexagesimal: not for us
                }
            }
            error(node, prefix(context) + "'" + key + "' must be a whole number, not " + describe(node));
            return null;
        }

        private int positive(Node node, String context, String key) {
            Integer value = integer(node, context, key);
            if (value == null) {
                return 0;
            }
            if (value <= 0) {
                error(node, prefix(context) + "'" + key + "' must be greater than 0, not " + value);
                return 0;
            }
            return value;
        }

        private Boolean bool(Node node, String context, String key) {
            if (node instanceof ScalarNode scalar && scalar.getTag() == Tag.BOOL) {
                String v = scalar.getValue().toLowerCase(Locale.ROOT);
                return v.equals("true") || v.equals("yes") || v.equals("on") || v.equals("y");
            }
            error(node, prefix(context) + "'" + key + "' must be true or false, not " + describe(node));
            return null;
        }

        private void error(Node node, String message) {
            Mark mark = node.getStartMark();
            int line = mark == null ? 0 : mark.getLine() + 1;
            int column = mark != null && inFlow.contains(node) ? mark.getColumn() + 1 : 0;
            errors.add(new Error(line, column, message));
        }
    }

    // ---------------------------------------------------------------------------------------------- helpers

    private static List<String> values(List<Ref> refs) {
        return refs.stream().map(Ref::value).toList();
    }

    private static int line(Node node) {
        return node.getStartMark() == null ? 0 : node.getStartMark().getLine() + 1;
    }

    private static String prefix(String context) {
        return context == null ? "" : context + ": ";
    }

    private static String kind(Node node) {
        if (node instanceof MappingNode) {
            return "a mapping";
        }
        if (node instanceof SequenceNode) {
            return "a list";
        }
        if (node instanceof ScalarNode scalar && scalar.getTag() == Tag.NULL) {
            return "an empty value";
        }
        return "'" + ((ScalarNode) node).getValue() + "'";
    }

    private static String describe(Node node) {
        if (node instanceof ScalarNode scalar && scalar.getTag() == Tag.STR) {
            return "text '" + scalar.getValue() + "'";
        }
        return kind(node);
    }

    /**
     * "(did you mean 'x'?)" when a candidate is close, otherwise "(expected/known: a, b, c)".
     *
     * @param closed true for a fixed vocabulary (keys, types), worded "expected one of"
     */
    static String hint(String value, Collection<String> candidates, boolean closed) {
        Optional<String> suggestion = suggest(value, candidates);
        if (suggestion.isPresent()) {
            return "(did you mean '" + suggestion.get() + "'?)";
        }
        if (candidates.isEmpty()) {
            return "(none are defined)";
        }
        int limit = 15;
        String list = candidates.stream().limit(limit).collect(Collectors.joining(", "));
        if (candidates.size() > limit) {
            list += ", ... " + (candidates.size() - limit) + " more";
        }
        return closed ? "(expected one of: " + list + ")" : "(known: " + list + ")";
    }

    static Optional<String> suggest(String value, Collection<String> candidates) {
        String v = normalise(value);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : candidates) {
            int d = distance(v, normalise(candidate));
            if (d < bestDistance) {
                bestDistance = d;
                best = candidate;
            }
        }
        int allowed = Math.max(1, Math.min(3, v.length() / 3));
        return best != null && bestDistance <= allowed ? Optional.of(best) : Optional.empty();
    }

    private static String normalise(String s) {
        return s.toLowerCase(Locale.ROOT).replace("_", "").replace("-", "");
    }

    /** Levenshtein distance. */
    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
