package io.nodelock.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nodelock.account.Role;
import io.nodelock.support.RawHttp;
import io.nodelock.support.ServiceIT;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Hostile input against every operation the OpenAPI description lists under /api/ (so a new endpoint is fuzzed without
 * touching this test): bad values for every body field, path variable, query parameter and declared header, broken
 * bodies, bad Accept/Content-Type, odd methods, paths and headers Tomcat or the firewall refuse. Every error answer must
 * be a 4xx (or 503) problem document; none may be a 500 or another shape; the service must still answer afterwards.
 * The inputs are a fixed list, so a failure reproduces.
 */
class ApiFuzzIT extends ServiceIT {

    private static final List<String> HOSTILE_JSON_VALUES = List.of("null", "\"\"", "\"a\\u0000b\"",
            "\"" + "A".repeat(100_000) + "\"", "\"\\ud800\"", "\"é漢字\uD83D\uDE00\"", "0", "-1", "9223372036854775808",
            "1e400", "1.5", "true", "\"TRUE\"", "\"1\"", "[]", "{}");

    private static final List<String> HOSTILE_PATH_VALUES = List.of("%00", "a%00b", "%2F", "a%2Fb", "%5C", "%2e%2e",
            "..", ".", ";x=1", "a;jsessionid=1", "%3B", "%0A", "%0D%0A", "%09", "%20", "%25", "%ZZ", "%", "%C3%28", "%FF",
            "%E2%82", "é", "\\", "//", "~", "*", "%7B%7D", "A".repeat(70_000));

    private static final List<String> HOSTILE_QUERY_VALUES = List.of("", "%00", "-1", "0", "99999999999999999999", "abc",
            "1e3", "%FF", "%C3%28", "%0A", "A".repeat(5_000), "a&limit=-5");

    private final List<String> failures = new ArrayList<>();
    private int requests;
    private RawHttp raw;
    private String bearer;

    private record Operation(String method, String path, List<JsonNode> parameters, ObjectNode body) {
    }

    @Test
    @Timeout(value = 100, unit = TimeUnit.SECONDS)
    void everyApiErrorIsAProblemDocument() throws Exception {
        raw = new RawHttp(port);
        bearer = "Bearer " + newAccount(EnumSet.of(Role.OPERATOR, Role.CUSTOMER)).token();
        List<Operation> operations = operations();
        assertThat(operations).extracting(Operation::path).contains("/api/v1/fulfillments", "/api/v1/paks/{code}",
                "/api/v1/rmas", "/api/v1/rehosts/{id}/rehost-ticket", "/api/v1/audit", "/api/v1/keys/{keyId}.pem");

        for (Operation op : operations) {
            fuzzBody(op);
            fuzzPathVariables(op);
            fuzzQueryParameters(op);
            fuzzHeaders(op);
            fuzzMethods(op);
        }
        fuzzRequestsTomcatRefuses();

        assertThat(failures).as("%d of %d answers were not 4xx/503 problem documents", failures.size(), requests).isEmpty();
        assertThat(get("/api/v1/keys", null).status()).as("the service still answers").isEqualTo(200);
        assertThat(get("/actuator/health", null).status()).isEqualTo(200);
    }

    private void fuzzBody(Operation op) {
        if (op.body() == null) {
            return;
        }
        for (Map.Entry<String, JsonNode> field : fields(op.body())) {
            for (String value : HOSTILE_JSON_VALUES) {
                send(op, "field " + field.getKey() + "=" + abbreviate(value), target(op, null, null), headers(),
                        withField(op.body(), field.getKey(), value).getBytes(StandardCharsets.UTF_8));
            }
        }
        String json = op.body().toString();
        String first = op.body().fieldNames().next();
        Map<String, byte[]> bodies = new LinkedHashMap<>();
        bodies.put("duplicate key", (json.substring(0, json.length() - 1) + ",\"" + first + "\":\"dup\"}").getBytes(StandardCharsets.UTF_8));
        bodies.put("nested duplicate key", ("{\"" + first + "\":{\"a\":1,\"a\":2}}").getBytes(StandardCharsets.UTF_8));
        bodies.put("empty", new byte[0]);
        bodies.put("truncated", json.substring(0, json.length() / 2).getBytes(StandardCharsets.UTF_8));
        for (String shape : List.of("null", "[]", "\"text\"", "42", "true", "{}", "{\"\":1}", "{} {}", "[" .repeat(5000))) {
            bodies.put("body " + abbreviate(shape), shape.getBytes(StandardCharsets.UTF_8));
        }
        bodies.put("2 MB body", ("{\"" + first + "\":\"" + "A".repeat(2 * 1024 * 1024) + "\"}").getBytes(StandardCharsets.UTF_8));
        bodies.put("invalid UTF-8", concat("{\"" + first + "\":\"", new byte[] {(byte) 0xC3, 0x28, (byte) 0xFF}, "\"}"));
        bodies.put("raw NUL", concat("{\"" + first + "\":\"a", new byte[] {0}, "b\"}"));
        bodies.put("UTF-16 BOM", concat("", new byte[] {(byte) 0xFE, (byte) 0xFF}, json));
        bodies.forEach((name, body) -> send(op, name, target(op, null, null), headers(), body));
    }

    private void fuzzPathVariables(Operation op) {
        for (JsonNode parameter : op.parameters()) {
            if (!"path".equals(parameter.path("in").asText())) {
                continue;
            }
            for (String value : HOSTILE_PATH_VALUES) {
                send(op, "path " + parameter.path("name").asText() + "=" + abbreviate(value),
                        target(op, parameter.path("name").asText(), value), headers(), body(op));
            }
        }
    }

    private void fuzzQueryParameters(Operation op) {
        for (JsonNode parameter : op.parameters()) {
            if (!"query".equals(parameter.path("in").asText())) {
                continue;
            }
            for (String value : HOSTILE_QUERY_VALUES) {
                send(op, "query " + parameter.path("name").asText() + "=" + abbreviate(value),
                        target(op, "?" + parameter.path("name").asText(), value), headers(), body(op));
            }
        }
    }

    private void fuzzHeaders(Operation op) {
        Map<String, Map<String, byte[]>> cases = new LinkedHashMap<>();
        for (JsonNode parameter : op.parameters()) {
            if ("header".equals(parameter.path("in").asText())) {
                String name = parameter.path("name").asText();
                for (byte[] value : hostileHeaderValues()) {
                    cases.put("header " + name + "=" + abbreviate(new String(value, StandardCharsets.ISO_8859_1)), with(headers(), name, value));
                }
            }
        }
        for (String accept : List.of("text/html", "application/xml", "image/png", "garbage", "application/json;q=x",
                "*/*;;;", "application/x-nodelock-license")) {
            cases.put("Accept: " + accept, with(headers(), "Accept", accept.getBytes(StandardCharsets.ISO_8859_1)));
        }
        if (op.body() != null) {
            for (String type : List.of("text/plain", "application/xml", "application/x-www-form-urlencoded", "garbage",
                    "application/json; charset=ebcdic", "application/json; charset=UTF-16", "multipart/form-data; boundary=x")) {
                cases.put("Content-Type: " + type, with(headers(), "Content-Type", type.getBytes(StandardCharsets.ISO_8859_1)));
            }
            Map<String, byte[]> noType = headers();
            noType.remove("Content-Type");
            cases.put("no Content-Type", noType);
        }
        // The same filter reads the token for every operation; a few values each keep the run short.
        for (byte[] value : hostileHeaderValues().subList(0, 6)) {
            cases.put("Authorization: " + abbreviate(new String(value, StandardCharsets.ISO_8859_1)),
                    with(headers(), "Authorization", concat("Bearer ", value, "")));
        }
        cases.put("128 kB header", with(headers(), "X-Big", "A".repeat(128 * 1024).getBytes(StandardCharsets.ISO_8859_1)));
        cases.put("header with NUL", with(headers(), "X-Nul", new byte[] {'a', 0, 'b'}));
        cases.put("header with UTF-8", with(headers(), "X-Utf8", "ключ".getBytes(StandardCharsets.UTF_8)));
        cases.forEach((name, headers) -> send(op, name, target(op, null, null), headers, body(op)));
    }

    /**
     * Operator actions that take no input and only run an idempotent check (announcing nothing twice): a harmless
     * header is served like any other request to them. Every other write must refuse what the fuzzer sends.
     */
    private static final java.util.Set<String> IDEMPOTENT_TRIGGERS = java.util.Set.of("POST /api/v1/reports/expiry-alerts/run",
            "POST /api/v1/audit/checkpoints");

    private void fuzzMethods(Operation op) {
        for (String method : List.of("TRACE", "PUT", "DELETE", "PATCH", "FOO")) {
            if (!method.equals(op.method())) {
                send(new Operation(method, op.path(), op.parameters(), op.body()), "method " + method,
                        target(op, null, null), headers(), body(op));
            }
        }
    }

    private void fuzzRequestsTomcatRefuses() {
        Operation any = new Operation("GET", "/api/", List.of(), null);
        for (String path : List.of("/api/v1/nope", "/api/", "/api/v1/paks/", "/api/%00", "/api/v1/%2e%2e/actuator/metrics",
                "/api/v1/fulfillments/../../actuator/metrics", "/api/v1/fulfillments/%2e%2e%2f%2e%2e%2factuator",
                "/api//v1//keys", "/api/v1/keys;x=1", "/api/v1/keys%0A", "/api/v1/keys/%5C..%5C", "/api/" + "A".repeat(70_000),
                "/api/v1/keys?" + "a=1&".repeat(20_000), "/api/v1/keys#frag")) {
            send(any, "path " + abbreviate(path), path, headers(), null);
        }
    }

    private void send(Operation op, String what, String target, Map<String, byte[]> headers, byte[] body) {
        requests++;
        String label = op.method() + " " + op.path() + " [" + what + "]";
        RawHttp.Answer answer;
        try {
            answer = raw.send(op.method(), target, headers, body);
        } catch (RuntimeException e) {
            failures.add(label + ": no answer (" + e.getMessage() + ")");
            return;
        }
        int status = answer.status();
        if (status < 400) {
            // Harmless input may be served (an unknown token on a public GET); anything that changes state may not.
            if (!op.method().equals("GET") && !IDEMPOTENT_TRIGGERS.contains(op.method() + " " + op.path())) {
                failures.add(label + ": accepted with " + status);
            }
            return;
        }
        if (status >= 500 && status != 503) {
            failures.add(label + ": " + status + " " + abbreviate(answer.text()));
            return;
        }
        String type = answer.header("Content-Type");
        if (type == null || !type.startsWith("application/problem+json")) {
            failures.add(label + ": " + status + " with Content-Type " + type + ": " + abbreviate(answer.text()));
            return;
        }
        try {
            JsonNode problem = JSON.readTree(answer.body());
            if (!problem.path("type").isTextual() || !problem.path("title").isTextual() || problem.path("status").asInt() != status) {
                failures.add(label + ": incomplete problem " + abbreviate(answer.text()));
            }
        } catch (Exception e) {
            failures.add(label + ": unparsable problem " + abbreviate(answer.text()));
        }
    }

    /** The operations under /api/ with their parameters and a plausible body, from the OpenAPI description. */
    private List<Operation> operations() throws Exception {
        JsonNode docs = JSON.readTree(get("/v3/api-docs", null).raw());
        List<Operation> operations = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = docs.path("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            if (!path.getKey().startsWith("/api/")) {
                continue;
            }
            for (Iterator<Map.Entry<String, JsonNode>> methods = path.getValue().fields(); methods.hasNext(); ) {
                Map.Entry<String, JsonNode> method = methods.next();
                List<JsonNode> parameters = new ArrayList<>();
                method.getValue().path("parameters").forEach(parameters::add);
                JsonNode schema = method.getValue().path("requestBody").path("content").path("application/json").path("schema");
                ObjectNode body = schema.isMissingNode() ? null : (ObjectNode) sample(docs, schema, 0);
                operations.add(new Operation(method.getKey().toUpperCase(), path.getKey(), parameters, body));
            }
        }
        return operations;
    }

    /** A value of the schema's shape that the service will still refuse (nothing here names a real PAK or device). */
    private static JsonNode sample(JsonNode docs, JsonNode schema, int depth) {
        if (schema.has("$ref")) {
            String name = schema.path("$ref").asText().substring("#/components/schemas/".length());
            return sample(docs, docs.path("components").path("schemas").path(name), depth);
        }
        switch (schema.path("type").asText("object")) {
            case "string":
                return JSON.getNodeFactory().textNode("x");
            case "integer":
            case "number":
                return JSON.getNodeFactory().numberNode(1);
            case "boolean":
                return JSON.getNodeFactory().booleanNode(true);
            case "array":
                return JSON.createArrayNode().add(sample(docs, schema.path("items"), depth + 1));
            default:
                ObjectNode node = JSON.createObjectNode();
                if (depth < 3) {
                    schema.path("properties").fields().forEachRemaining(p -> node.set(p.getKey(), sample(docs, p.getValue(), depth + 1)));
                }
                return node;
        }
    }

    /** Fields to fuzz: top level, and those of objects in arrays as "lines[0].quantity". */
    private static List<Map.Entry<String, JsonNode>> fields(ObjectNode body) {
        List<Map.Entry<String, JsonNode>> fields = new ArrayList<>();
        body.fields().forEachRemaining(f -> {
            fields.add(f);
            if (f.getValue().isArray() && f.getValue().path(0).isObject()) {
                f.getValue().path(0).fields().forEachRemaining(inner ->
                        fields.add(Map.entry(f.getKey() + "[0]." + inner.getKey(), inner.getValue())));
            }
        });
        return fields;
    }

    private static String withField(ObjectNode body, String field, String rawValue) {
        String marker = "\"@@fuzz@@\"";
        ObjectNode copy = body.deepCopy();
        int bracket = field.indexOf("[0].");
        if (bracket > 0) {
            ((ObjectNode) copy.path(field.substring(0, bracket)).path(0)).put(field.substring(bracket + 4), "@@fuzz@@");
        } else {
            copy.put(field, "@@fuzz@@");
        }
        return copy.toString().replace(marker, rawValue);
    }

    private String target(Operation op, String parameter, String value) {
        String path = op.path();
        StringBuilder query = new StringBuilder();
        for (JsonNode p : op.parameters()) {
            String name = p.path("name").asText();
            String in = p.path("in").asText();
            String chosen = (in.equals("path") && name.equals(parameter)) || (in.equals("query") && ("?" + name).equals(parameter))
                    ? value : benign(p);
            if (in.equals("path")) {
                path = path.replace("{" + name + "}", chosen);
            } else if (in.equals("query")) {
                query.append(query.isEmpty() ? "?" : "&").append(name).append('=').append(chosen);
            }
        }
        return path + query;
    }

    private static String benign(JsonNode parameter) {
        String type = parameter.path("schema").path("type").asText();
        return type.equals("integer") ? "10" : parameter.path("name").asText().equals("subject") ? "pak:X" : "00000000-0000-0000-0000-000000000000";
    }

    private Map<String, byte[]> headers() {
        return RawHttp.headers("Authorization", bearer, "Content-Type", "application/json", "Accept", "application/json");
    }

    private byte[] body(Operation op) {
        return op.body() == null ? null : op.body().toString().getBytes(StandardCharsets.UTF_8);
    }

    private static List<byte[]> hostileHeaderValues() {
        return List.of(new byte[0], "   ".getBytes(StandardCharsets.ISO_8859_1), new byte[] {'a', 0, 'b'},
                new byte[] {'a', 0x7f, 'b'}, new byte[] {'a', (byte) 0x80, 'b'}, "ключ".getBytes(StandardCharsets.UTF_8),
                "clé".getBytes(StandardCharsets.ISO_8859_1), new byte[] {(byte) 0xC3, 0x28}, "A".repeat(4000).getBytes(StandardCharsets.ISO_8859_1),
                "%00%0A".getBytes(StandardCharsets.ISO_8859_1), "a\tb".getBytes(StandardCharsets.ISO_8859_1));
    }

    private static Map<String, byte[]> with(Map<String, byte[]> headers, String name, byte[] value) {
        headers.put(name, value);
        return headers;
    }

    private static byte[] concat(String before, byte[] middle, String after) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(before.getBytes(StandardCharsets.UTF_8));
        out.writeBytes(middle);
        out.writeBytes(after.getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    private static String abbreviate(String s) {
        String flat = s.replaceAll("[\\x00-\\x1f]", "?");
        return flat.length() > 60 ? flat.substring(0, 60) + "…(" + flat.length() + ")" : flat;
    }
}
