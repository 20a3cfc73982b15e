package io.nodelock.catalogue;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.nodelock.catalogue.CatalogueFile.EulasEntry;
import io.nodelock.catalogue.CatalogueFile.SkuEntry;

/**
 * Reads {@code catalogue.yml} (format 1): YAML to a position-tracking tree ({@link YamlTree}), checked against the
 * published {@code catalogue/catalogue.schema.json} ({@link CatalogueSchema}), bound with Jackson to
 * {@link CatalogueFile}, then checked for what a schema cannot express ({@link CatalogueReferences}). Plain Java,
 * no Spring; thread-safe.
 * <p>
 * Every error names its line (and, inside {@code [a, b]} lists, its column). Checking does not stop at the first
 * problem: {@link CatalogueException} carries every error, in file order.
 */
public final class CatalogueParser {

    /** The only file format version this parser understands. */
    public static final int SUPPORTED_FORMAT = 1;

    static final List<String> ROOT_KEYS = List.of("format", "revision", "features", "featureSets", "products", "skus",
            "eulas");

    private static final ObjectMapper MAPPER = new ObjectMapper()
            // unknown keys are already reported, with their line, by the schema
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /** Parses and validates a catalogue. {@code sourceName} (e.g. {@code catalogue.yml}) prefixes every error. */
    public Catalogue parse(String sourceName, Reader reader) {
        String yaml;
        try {
            yaml = read(reader);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + sourceName, e);
        }
        Findings findings = new Findings(sourceName);
        YamlTree tree;
        try {
            tree = YamlTree.read(yaml);
        } catch (YamlTree.SyntaxException e) {
            findings.add(e.at, e.getMessage());
            throw findings.exception();
        }
        findings.tree = tree;
        if (tree.root == null) {
            findings.fileLevel("the file is empty; expected keys " + String.join(", ", ROOT_KEYS));
            throw findings.exception();
        }
        for (YamlTree.DuplicateKey d : tree.duplicates) {
            findings.add(d.at(), d.objectPointer().equals("/featureSets")
                    ? "duplicate feature set '" + d.key() + "' (first defined at line " + d.first().line() + ")"
                    : findings.context(d.objectPointer()) + "duplicate key '" + d.key() + "' (first at line "
                    + d.first().line() + ")");
        }
        if (!CatalogueSchema.get().check(tree.root, findings)) {
            throw findings.exception();
        }
        CatalogueFile file;
        try {
            file = MAPPER.treeToValue(tree.root, CatalogueFile.class);
        } catch (JsonProcessingException e) {
            // the schema admits only what binds; reaching this is a schema bug, not an operator's mistake
            throw new IllegalStateException("catalogue passed its schema but does not bind: " + e.getMessage(), e);
        }
        CatalogueReferences references = new CatalogueReferences(file, findings);
        references.check();
        if (!findings.isEmpty()) {
            throw findings.exception();
        }
        return build(file);
    }

    /** Convenience overload for YAML held in a string. */
    public Catalogue parse(String sourceName, String yaml) {
        return parse(sourceName, new StringReader(yaml));
    }

    private static Catalogue build(CatalogueFile file) {
        Map<String, List<String>> sets = file.featureSets() == null ? Map.of() : file.featureSets();
        EulasEntry eulas = file.eulas();
        return new Catalogue(SUPPORTED_FORMAT, file.revision().strip(),
                file.features().stream().map(f -> new Feature(f.name(), f.description().strip())).toList(),
                sets.entrySet().stream().map(s -> new FeatureSet(s.getKey(), s.getValue())).toList(),
                file.products().stream().map(p -> new Product(p.id(), p.description().strip(), p.featureSet(),
                        new LinkedHashSet<>(Objects.requireNonNullElse(p.substitutes(), List.of())),
                        "recorded".equals(p.registration()))).toList(),
                file.skus().stream().map(CatalogueParser::sku).toList(),
                file.features().stream().filter(f -> f.evaluation() != null)
                        .map(f -> new EvaluationOffer(f.name(), f.evaluation().usageDays(),
                                new LinkedHashSet<>(f.evaluation().products()))).toList(),
                // the text as read, not stripped: it is what customers are shown, hash and accept
                eulas == null ? List.of() : eulas.versions().stream()
                        .map(e -> new EulaText(e.version(), e.title().strip(), e.text())).toList(),
                eulas == null ? null : eulas.current());
    }

    private static Sku sku(SkuEntry s) {
        LicenseKind type = LicenseKind.fromWireName(s.type()).orElseThrow();
        boolean eulaRequired = s.eulaRequired() != null ? s.eulaRequired() : type.isTemporary();
        return new Sku(s.id(), s.description().strip(), s.features(), type, s.counted(), s.count(), s.usageDays(),
                s.termDays(), eulaRequired, new LinkedHashSet<>(s.products()),
                new LinkedHashSet<>(Objects.requireNonNullElse(s.upgradeOf(), List.of())));
    }

    private static String read(Reader reader) throws IOException {
        StringBuilder text = new StringBuilder();
        char[] buffer = new char[8192];
        int n;
        while ((n = reader.read(buffer)) >= 0) {
            text.append(buffer, 0, n);
        }
        return text.toString();
    }

    // ---------------------------------------------------------------------------------------------- hints

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
