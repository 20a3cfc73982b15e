package io.nodelock.catalogue;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.NodePath;

/**
 * The published {@code catalogue.schema.json}, and the wording of its violations.
 * <p>
 * The validator's own messages name JSON paths ({@code $.skus[3].type}); operators edit lines, so each violation is
 * reworded from its keyword, the schema around it (descriptions, enums, property lists) and the YAML tree, and
 * placed on the line of the value it concerns.
 */
final class CatalogueSchema {

    static final String RESOURCE = "/catalogue/catalogue.schema.json";

    private static final CatalogueSchema INSTANCE = new CatalogueSchema();

    /** Keywords whose violation says nothing against the value itself, which is therefore kept for binding. */
    private static final Set<String> KEEP_VALUE = Set.of("required", "additionalProperties", "uniqueItems");

    private final JsonNode json;
    private final Schema schema;

    private CatalogueSchema() {
        try (InputStream in = CatalogueSchema.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the classpath");
            }
            json = new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(json);
    }

    static CatalogueSchema get() {
        return INSTANCE;
    }

    /**
     * Reports every violation, then removes the rejected values from the tree so that binding and the reference
     * checks see only values of the right shape.
     *
     * @return false if the document as a whole has the wrong shape (nothing left to bind)
     */
    boolean check(JsonNode root, Findings findings) {
        List<Error> errors = schema.validate(root);
        // a value of the wrong type fails its other rules too (const, pattern...): say only that its type is wrong
        Set<String> mistyped = new HashSet<>();
        for (Error e : errors) {
            if (e.getKeyword().equals("type")) {
                mistyped.add(pointer(e.getInstanceLocation()));
            }
        }
        List<String> rejected = new ArrayList<>();
        for (Error e : errors) {
            String at = pointer(e.getInstanceLocation());
            if (!e.getKeyword().equals("type") && mistyped.contains(at)) {
                continue;
            }
            report(e, at, root.at(at), findings);
            if (e.getKeyword().equals("propertyNames")) {
                rejected.add(YamlTree.pointer(at, e.getProperty()));
            } else if (!KEEP_VALUE.contains(e.getKeyword())) {
                rejected.add(at);
            }
        }
        for (String at : rejected) {
            if (at.isEmpty()) {
                return false;
            }
            JsonNode parent = root.at(YamlTree.parent(at));
            String last = YamlTree.lastSegment(at);
            if (parent instanceof ObjectNode object) {
                object.remove(last);
            } else if (parent instanceof ArrayNode array && Integer.parseInt(last) < array.size()) {
                // null, not removed: the positions of later items stay right
                array.set(Integer.parseInt(last), array.nullNode());
            }
        }
        return true;
    }

    private void report(Error e, String at, JsonNode value, Findings findings) {
        JsonNode rule = json.at(pointer(e.getSchemaLocation().getFragment()));
        String ruleOwnerPointer = YamlTree.parent(pointer(e.getSchemaLocation().getFragment()));
        JsonNode ruleOwner = json.at(ruleOwnerPointer);
        String key = YamlTree.lastSegment(at);
        String ctx = findings.context(at);
        String label = at.startsWith("/featureSets/") && at.split("/").length == 3 ? "the levels" : "'" + key + "'";
        String description = ruleOwner.path("description").asText(null);
        switch (e.getKeyword()) {
            case "type" -> findings.at(at, typeMessage(at, value, rule, ctx, label, findings));
            // a conditional rule ("counted SKU needs 'count'") says why in the description of its branch
            case "required" -> findings.at(at, ctx + (description != null && ruleOwnerPointer.matches(".*/(then|else)")
                    ? description : "missing required key '" + e.getProperty() + "'"));
            case "additionalProperties" -> {
                List<String> known = new ArrayList<>();
                ruleOwner.path("properties").fieldNames().forEachRemaining(known::add);
                findings.atKey(YamlTree.pointer(at, e.getProperty()), ctx + "unknown key '" + e.getProperty() + "' "
                        + CatalogueParser.hint(e.getProperty(), known, true));
            }
            case "pattern" -> {
                if (value.asText().isBlank()) {
                    findings.at(at, ctx + label + " must not be blank");
                } else if (at.endsWith("/name") || at.endsWith("/id") || at.matches("/eulas/versions/\\d+/version")) {
                    findings.at(at, "invalid " + Findings.entryKind(at) + " " + key + " '" + value.asText() + "': "
                            + description);
                } else {
                    findings.at(at, ctx + label + " '" + value.asText() + "' is not valid: " + description);
                }
            }
            case "propertyNames" -> findings.atKey(YamlTree.pointer(at, e.getProperty()), "invalid feature set name '"
                    + e.getProperty() + "': 1-64 characters of a-z 0-9 _ -, starting with a letter or digit");
            case "enum" -> {
                List<String> allowed = new ArrayList<>();
                rule.forEach(v -> allowed.add(v.asText()));
                findings.at(at, ctx + "unknown " + key + " '" + value.asText() + "' "
                        + CatalogueParser.hint(value.asText(), allowed, true));
            }
            case "const" -> findings.at(at, "unsupported " + key + " " + written(at, value, findings) + " (this version "
                    + "of Nodelock reads " + key + " " + rule.asText() + ")");
            case "minItems", "minProperties" -> findings.at(at, ctx + label + " must not be empty");
            case "exclusiveMinimum" -> findings.at(at, ctx + label + " must be greater than " + rule.asText()
                    + ", not " + written(at, value, findings));
            case "maximum" -> findings.at(at, ctx + label + " is too large: " + written(at, value, findings));
            case "maxLength" -> findings.at(at, ctx + label + " is longer than " + rule.asText() + " characters");
            case "uniqueItems" -> {
                String item = switch (key) {
                    case "features" -> "feature";
                    case "products" -> "product";
                    case "substitutes" -> "substitute";
                    case "upgradeOf" -> "upgraded SKU";
                    default -> "level";
                };
                Set<String> seen = new HashSet<>();
                for (int i = 0; i < value.size(); i++) {
                    if (!seen.add(value.get(i).toString())) {
                        findings.at(YamlTree.pointer(at, i), ctx + item + " '" + value.get(i).asText()
                                + "' is listed twice");
                    }
                }
            }
            case "not" -> findings.at(at, ctx + (description != null ? description : label + ": " + e.getMessage()));
            default -> findings.at(at, ctx + label + ": " + e.getMessage());
        }
    }

    private static String typeMessage(String at, JsonNode value, JsonNode rule, String ctx, String label,
                                      Findings findings) {
        List<String> types = new ArrayList<>();
        if (rule.isArray()) {
            rule.forEach(t -> types.add(t.asText()));
        } else {
            types.add(rule.asText());
        }
        String expected = types.contains("string") ? "text"
                : types.contains("integer") ? "a whole number"
                : types.contains("boolean") ? "true or false"
                : types.contains("array") ? "a list" : "a mapping";
        boolean numberOrFlag = expected.equals("a whole number") || expected.equals("true or false");
        String actual = value.isTextual() && numberOrFlag ? "text '" + value.asText() + "'" : kind(at, value, findings);
        if (at.isEmpty()) {
            return "the file must be a mapping with keys " + String.join(", ", CatalogueParser.ROOT_KEYS) + ", not "
                    + actual;
        }
        String parentKey = YamlTree.lastSegment(YamlTree.parent(at));
        if (key(at).matches("\\d+")) {
            return expected.equals("a mapping")
                    ? "each entry of '" + parentKey + "' must be a mapping of keys, not " + actual
                    : ctx + "each item of " + (at.startsWith("/featureSets/") ? "the levels" : "'" + parentKey + "'")
                    + " must be a name, not " + actual;
        }
        if (value.isNull()) {
            return ctx + label + " has no value";
        }
        if (at.equals("/featureSets")) {
            return "'featureSets' must be a mapping of set name to list of levels, e.g. "
                    + "universal-k9: [ipbase, ipservices], not " + actual;
        }
        if (expected.equals("a list") && at.split("/").length == 2) {
            return "'" + key(at) + "' must be a list of entries (lines starting with '- '), not " + actual;
        }
        if (expected.equals("a list") && value.isValueNode()) {
            return ctx + label + " must be a list, e.g. [" + written(at, value, findings) + "]";
        }
        return ctx + label + " must be " + expected + ", not " + actual;
    }

    private static String key(String pointer) {
        return YamlTree.lastSegment(pointer);
    }

    private static String kind(String at, JsonNode value, Findings findings) {
        if (value.isObject()) {
            return "a mapping";
        }
        if (value.isArray()) {
            return "a list";
        }
        if (value.isNull()) {
            return "an empty value";
        }
        return "'" + written(at, value, findings) + "'";
    }

    private static String written(String at, JsonNode value, Findings findings) {
        return findings.tree.written.getOrDefault(at, value.asText());
    }

    private static String pointer(NodePath path) {
        StringBuilder pointer = new StringBuilder();
        for (int i = 0; i < path.getNameCount(); i++) {
            pointer.append(YamlTree.pointer("", path.getElement(i)));
        }
        return pointer.toString();
    }
}
