package io.nodelock.devicetool;

import java.util.Collection;
import java.util.Map;

/**
 * A minimal JSON writer for the {@code --json} output (maps, collections, strings, numbers, booleans, null), and a
 * strict reader for the flat objects of Call Home answers.
 */
public final class Json {

    private Json() {
    }

    /**
     * Reads a JSON object whose values are strings, booleans, numbers or null (a Call Home answer's body); anything
     * else, or trailing text, is refused. Numbers are kept as their text.
     */
    public static Map<String, String> readFlatObject(String text) {
        Reader r = new Reader(text);
        Map<String, String> values = new java.util.LinkedHashMap<>();
        r.skip();
        r.expect('{');
        r.skip();
        if (r.peek() == '}') {
            r.pos++;
        } else {
            while (true) {
                r.skip();
                String key = r.string();
                r.skip();
                r.expect(':');
                r.skip();
                values.put(key, r.scalar());
                r.skip();
                if (r.peek() == ',') {
                    r.pos++;
                    continue;
                }
                r.expect('}');
                break;
            }
        }
        r.skip();
        if (r.pos != text.length()) {
            throw new IllegalArgumentException("trailing text after the JSON object at " + r.pos);
        }
        return values;
    }

    /**
     * Reads any JSON object into one flat map: a nested object's values under dotted keys ({@code counts.total}), an
     * array's under indexed keys ({@code items[0].udi}); scalars as in {@link #readFlatObject}. For answers of the
     * service's REST API, which the tool reads a few values of.
     */
    public static Map<String, String> readObject(String text) {
        Reader r = new Reader(text);
        Map<String, String> values = new java.util.LinkedHashMap<>();
        r.skip();
        if (r.peek() != '{') {
            throw new IllegalArgumentException("expected a JSON object");
        }
        value(r, "", values);
        r.skip();
        if (r.pos != text.length()) {
            throw new IllegalArgumentException("trailing text after the JSON object at " + r.pos);
        }
        return values;
    }

    private static void value(Reader r, String key, Map<String, String> values) {
        r.skip();
        char c = r.peek();
        if (c == '{' || c == '[') {
            boolean object = c == '{';
            r.pos++;
            r.skip();
            if (r.peek() == (object ? '}' : ']')) {
                r.pos++;
                return;
            }
            for (int i = 0; ; i++) {
                r.skip();
                String name;
                if (object) {
                    name = (key.isEmpty() ? "" : key + ".") + r.string();
                    r.skip();
                    r.expect(':');
                } else {
                    name = key + "[" + i + "]";
                }
                value(r, name, values);
                r.skip();
                if (r.peek() == ',') {
                    r.pos++;
                    continue;
                }
                r.expect(object ? '}' : ']');
                return;
            }
        }
        values.put(key, r.scalar());
    }

    private static final class Reader {
        final String text;
        int pos;

        Reader(String text) {
            this.text = text;
        }

        char peek() {
            if (pos >= text.length()) {
                throw new IllegalArgumentException("JSON ends early");
            }
            return text.charAt(pos);
        }

        void skip() {
            while (pos < text.length() && " \t\r\n".indexOf(text.charAt(pos)) >= 0) {
                pos++;
            }
        }

        void expect(char c) {
            if (peek() != c) {
                throw new IllegalArgumentException("expected '" + c + "' at " + pos);
            }
            pos++;
        }

        String scalar() {
            char c = peek();
            if (c == '"') {
                return string();
            }
            int start = pos;
            while (pos < text.length() && ",}] \t\r\n".indexOf(text.charAt(pos)) < 0) {
                pos++;
            }
            String word = text.substring(start, pos);
            if (!word.matches("true|false|null|-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?")) {
                throw new IllegalArgumentException("not a JSON scalar at " + start + ": " + word);
            }
            return "null".equals(word) ? null : word;
        }

        String string() {
            expect('"');
            StringBuilder sb = new StringBuilder();
            while (true) {
                char c = peek();
                pos++;
                if (c == '"') {
                    return sb.toString();
                }
                if (c < 0x20) {
                    throw new IllegalArgumentException("control character in a JSON string at " + (pos - 1));
                }
                if (c != '\\') {
                    sb.append(c);
                    continue;
                }
                char e = peek();
                pos++;
                switch (e) {
                    case '"', '\\', '/' -> sb.append(e);
                    case 'b' -> sb.append('\b');
                    case 'f' -> sb.append('\f');
                    case 'n' -> sb.append('\n');
                    case 'r' -> sb.append('\r');
                    case 't' -> sb.append('\t');
                    case 'u' -> {
                        if (pos + 4 > text.length()) {
                            throw new IllegalArgumentException("short \\u escape");
                        }
                        sb.append((char) Integer.parseInt(text.substring(pos, pos + 4), 16));
                        pos += 4;
                    }
                    default -> throw new IllegalArgumentException("bad escape \\" + e + " at " + (pos - 1));
                }
            }
        }
    }

    public static String write(Object value) {
        StringBuilder sb = new StringBuilder();
        write(sb, value, 0);
        return sb.toString();
    }

    private static void write(StringBuilder sb, Object v, int indent) {
        if (v == null) {
            sb.append("null");
        } else if (v instanceof String s) {
            string(sb, s);
        } else if (v instanceof Number || v instanceof Boolean) {
            sb.append(v);
        } else if (v instanceof Map<?, ?> m) {
            if (m.isEmpty()) {
                sb.append("{}");
                return;
            }
            sb.append("{\n");
            int i = 0;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                pad(sb, indent + 1);
                string(sb, String.valueOf(e.getKey()));
                sb.append(": ");
                write(sb, e.getValue(), indent + 1);
                sb.append(++i < m.size() ? ",\n" : "\n");
            }
            pad(sb, indent);
            sb.append('}');
        } else if (v instanceof Collection<?> c) {
            if (c.isEmpty()) {
                sb.append("[]");
                return;
            }
            sb.append("[\n");
            int i = 0;
            for (Object o : c) {
                pad(sb, indent + 1);
                write(sb, o, indent + 1);
                sb.append(++i < c.size() ? ",\n" : "\n");
            }
            pad(sb, indent);
            sb.append(']');
        } else {
            string(sb, v.toString());
        }
    }

    private static void pad(StringBuilder sb, int indent) {
        sb.append("  ".repeat(indent));
    }

    private static void string(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }
}
