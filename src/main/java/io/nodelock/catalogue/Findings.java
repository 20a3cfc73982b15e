package io.nodelock.catalogue;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/** The errors of one parse, each tied to a place in the file, reported together in file order. */
final class Findings {

    private record Finding(int line, int column, String message) {
    }

    private final String source;
    private final List<Finding> list = new ArrayList<>();
    YamlTree tree;

    Findings(String source) {
        this.source = source == null || source.isBlank() ? "catalogue" : source;
    }

    /** An error about the value at a JSON pointer. */
    void at(String pointer, String message) {
        add(tree.at(pointer), message);
    }

    /** An error about the key of the property at a JSON pointer (unknown or repeated keys, names of sets). */
    void atKey(String pointer, String message) {
        add(tree.keyAt(pointer), message);
    }

    void add(YamlTree.Position at, String message) {
        list.add(new Finding(at.line(), at.withColumn() ? at.column() : 0, message));
    }

    void fileLevel(String message) {
        list.add(new Finding(0, 0, message));
    }

    boolean isEmpty() {
        return list.isEmpty();
    }

    int line(String pointer) {
        return tree.at(pointer).line();
    }

    /**
     * "sku FL-X: " (or "sku at line N: " when the entry has no usable id) for errors inside an entry of
     * features, products, skus or EULA versions, or inside a feature set; "" elsewhere.
     */
    String context(String pointer) {
        String what = entryKind(pointer);
        if (what == null) {
            return "";
        }
        String[] parts = pointer.split("/", -1);
        String entry = what.equals("EULA") ? "/" + parts[1] + "/" + parts[2] + "/" + parts[3]
                : "/" + parts[1] + "/" + parts[2];
        if (what.equals("feature set")) {
            return what + " " + YamlTree.lastSegment(entry) + ": ";
        }
        JsonNode node = tree.root.at(entry);
        if (!node.isObject()) {
            return "";
        }
        JsonNode id = node.get(what.equals("feature") ? "name" : what.equals("EULA") ? "version" : "id");
        return id != null && id.isValueNode() && !id.isNull() && !id.asText().isBlank()
                ? what + " " + id.asText() + ": "
                : what + " at line " + line(entry) + ": ";
    }

    /**
     * "feature", "feature set", "product", "sku" or "EULA" for a pointer into one of their entries (a EULA's is
     * {@code /eulas/versions/N}), else null.
     */
    static String entryKind(String pointer) {
        String[] parts = pointer.split("/", -1);
        if (parts.length < 3) {
            return null;
        }
        return switch (parts[1]) {
            case "features" -> "feature";
            case "products" -> "product";
            case "skus" -> "sku";
            case "featureSets" -> "feature set";
            case "eulas" -> parts.length >= 4 && parts[2].equals("versions") ? "EULA" : null;
            default -> null;
        };
    }

    CatalogueException exception() {
        return new CatalogueException(list.stream()
                .sorted(Comparator.comparingInt(Finding::line).thenComparingInt(Finding::column))
                .map(this::format)
                .toList());
    }

    private String format(Finding f) {
        if (f.line() <= 0) {
            return source + ": " + f.message();
        }
        String where = f.column() > 0 ? " line " + f.line() + ", column " + f.column() : " line " + f.line();
        return source + where + ": " + f.message();
    }
}
