package io.nodelock.catalogue;

import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;

/**
 * A YAML document read into a Jackson tree while remembering where every value and key starts, by JSON pointer.
 * <p>
 * Jackson's own tree has no positions and silently keeps the last of two equal keys; the schema validator and the
 * reference checks speak in JSON pointers, and every error must name its line, so the tree is built here, token by
 * token, from the same {@link YAMLParser}.
 */
final class YamlTree {

    /**
     * Where a value or key starts (1-based). {@code withColumn} for values inside {@code [a, b]} or {@code {k: v}}
     * and for syntax errors, where the line alone does not say which item is meant.
     */
    record Position(int line, int column, boolean withColumn) {
    }

    /** A key written twice in one mapping; the first one wins. */
    record DuplicateKey(String objectPointer, String key, Position at, Position first) {
    }

    /** The file is not YAML this reader accepts. */
    static final class SyntaxException extends Exception {
        final Position at;

        SyntaxException(Position at, String message) {
            super(message);
            this.at = at;
        }
    }

    private static final YAMLFactory FACTORY = new YAMLFactory();
    private static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);

    private final String source;
    private final YAMLParser parser;
    /** The document, or {@code null} when the file holds none. */
    final JsonNode root;
    final Map<String, Position> values = new HashMap<>();
    final Map<String, Position> keys = new HashMap<>();
    /** Scalars as written, so messages quote {@code yes} rather than Jackson's {@code true}. */
    final Map<String, String> written = new HashMap<>();
    final List<DuplicateKey> duplicates = new ArrayList<>();

    private YamlTree(String source) throws IOException, SyntaxException {
        this.source = source;
        this.parser = (YAMLParser) FACTORY.createParser(source);
        JsonToken first = parser.nextToken();
        this.root = first == null ? null : value(first, "", false);
    }

    static YamlTree read(String source) throws SyntaxException {
        try {
            return new YamlTree(source);
        } catch (JsonProcessingException e) {
            throw syntax(e);
        } catch (IOException e) {
            // the source is a String: nothing to fail but the parse itself
            throw new IllegalStateException(e);
        }
    }

    /** The JSON pointer of a child: {@code pointer("/skus", 3)}. */
    static String pointer(String parent, Object child) {
        return parent + "/" + child.toString().replace("~", "~0").replace("/", "~1");
    }

    static String lastSegment(String pointer) {
        return pointer.substring(pointer.lastIndexOf('/') + 1).replace("~1", "/").replace("~0", "~");
    }

    static String parent(String pointer) {
        return pointer.substring(0, Math.max(0, pointer.lastIndexOf('/')));
    }

    /** Where the value at {@code pointer} starts, or its nearest enclosing value's start. */
    Position at(String pointer) {
        String p = pointer;
        while (!values.containsKey(p) && !p.isEmpty()) {
            p = parent(p);
        }
        return values.getOrDefault(p, new Position(0, 0, false));
    }

    /** Where the key of the property at {@code pointer} is written. */
    Position keyAt(String pointer) {
        return keys.getOrDefault(pointer, at(pointer));
    }

    private JsonNode value(JsonToken token, String pointer, boolean inFlow) throws IOException, SyntaxException {
        JsonLocation location = parser.currentTokenLocation();
        Position position = position(location, inFlow);
        values.put(pointer, position);
        if (parser.isCurrentAlias()) {
            throw new SyntaxException(position, "YAML aliases (*" + parser.getText() + ") are not supported in the "
                    + "catalogue; write the value out");
        }
        switch (token) {
            case START_OBJECT -> {
                boolean flow = opensFlow(location);
                ObjectNode object = NODES.objectNode();
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String key = parser.currentName();
                    String child = pointer(pointer, key);
                    Position keyPosition = position(parser.currentTokenLocation(), flow);
                    JsonToken next = parser.nextToken();
                    if (object.has(key)) {
                        duplicates.add(new DuplicateKey(pointer, key, keyPosition, keys.get(child)));
                        parser.skipChildren();
                    } else {
                        keys.put(child, keyPosition);
                        object.set(key, value(next, child, flow));
                    }
                }
                return object;
            }
            case START_ARRAY -> {
                boolean flow = opensFlow(location);
                ArrayNode array = NODES.arrayNode();
                JsonToken next;
                while ((next = parser.nextToken()) != JsonToken.END_ARRAY) {
                    array.add(value(next, pointer(pointer, array.size()), flow));
                }
                return array;
            }
            case VALUE_NULL -> {
                return NODES.nullNode();
            }
            case VALUE_TRUE, VALUE_FALSE -> {
                written.put(pointer, parser.getText());
                return NODES.booleanNode(token == JsonToken.VALUE_TRUE);
            }
            case VALUE_NUMBER_INT -> {
                written.put(pointer, parser.getText());
                return NODES.numberNode(parser.getBigIntegerValue());
            }
            case VALUE_NUMBER_FLOAT -> {
                written.put(pointer, parser.getText());
                try {
                    // exact, so that "revision: 2026.10" stays 2026.10
                    return NODES.numberNode(new BigDecimal(parser.getText().replace("_", "")));
                } catch (NumberFormatException e) {
                    return NODES.numberNode(parser.getDoubleValue());
                }
            }
            default -> {
                written.put(pointer, parser.getText());
                return NODES.textNode(parser.getText());
            }
        }
    }

    private Position position(JsonLocation location, boolean withColumn) {
        return new Position(location.getLineNr(), location.getColumnNr(), withColumn);
    }

    /** Jackson reports block and flow collections alike; the source tells them apart. */
    private boolean opensFlow(JsonLocation location) {
        long offset = location.getCharOffset();
        if (offset < 0 || offset >= source.length()) {
            return false;
        }
        char c = source.charAt((int) offset);
        return c == '[' || c == '{';
    }

    private static SyntaxException syntax(JsonProcessingException e) {
        if (e.getCause() instanceof org.yaml.snakeyaml.error.MarkedYAMLException yaml) {
            org.yaml.snakeyaml.error.Mark mark = yaml.getProblemMark() != null ? yaml.getProblemMark()
                    : yaml.getContextMark();
            String context = yaml.getContext() != null ? yaml.getContext() + ": " : "";
            String problem = yaml.getProblem() != null ? yaml.getProblem() : yaml.getMessage();
            Position at = mark == null ? new Position(0, 0, false)
                    : new Position(mark.getLine() + 1, mark.getColumn() + 1, true);
            return new SyntaxException(at, "not valid YAML: " + context + problem);
        }
        JsonLocation location = e.getLocation();
        Position at = location == null ? new Position(0, 0, false)
                : new Position(location.getLineNr(), location.getColumnNr(), true);
        return new SyntaxException(at, "not valid YAML: " + e.getOriginalMessage());
    }
}
