package io.nodelock.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Holds every answer an integration test gets from {@code /api/**} to the service's own OpenAPI document: the status
 * is one the operation lists, a problem is {@code application/problem+json}, the headers it declares required are
 * there (Location, ETag, Idempotent-Replayed, Retry-After), a Location is never sent undeclared, and the JSON body
 * keeps to its schema's enums and required fields. So the contract the document states is the one the whole suite saw,
 * not a hand-kept table that drifted.
 *
 * <p>A broken contract fails the test that met it. With {@code -Dnodelock.contract=record} the breaches are appended
 * to {@code target/contract-breaches.txt} instead, to see them all in one run.
 */
public final class ContractCheck {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<Integer, ContractCheck> BY_PORT = new ConcurrentHashMap<>();
    private static final boolean RECORD = "record".equals(System.getProperty("nodelock.contract"));
    private static final Path RECORD_FILE = Path.of("target", "contract-breaches.txt");

    private final JsonNode api;
    private final List<Route> routes = new ArrayList<>();

    private record Route(String method, String template, Pattern pattern, JsonNode operation) {
    }

    private ContractCheck(JsonNode api) {
        this.api = api;
        api.path("paths").fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(op -> {
            String regex = Pattern.quote(path.getKey()).replaceAll("\\{[^}]+}", "\\\\E[^/]+\\\\Q");
            routes.add(new Route(op.getKey().toUpperCase(Locale.ROOT), path.getKey(), Pattern.compile(regex), op.getValue()));
        }));
        // A literal segment wins over a template (/rehosts/transferable-licenses over /rehosts/{id}).
        routes.sort(Comparator.comparingLong((Route r) -> count(r.template())).thenComparing(r -> -r.template().length()));
    }

    private static long count(String template) {
        return template.chars().filter(c -> c == '{').count();
    }

    /** The checker for the service on this port, reading its document once. */
    public static ContractCheck of(int port) {
        return BY_PORT.computeIfAbsent(port, p -> {
            try {
                HttpResponse<String> docs = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build().send(HttpRequest
                        .newBuilder(URI.create("http://localhost:" + p + "/v3/api-docs")).GET().build(), HttpResponse.BodyHandlers.ofString());
                if (docs.statusCode() != 200) {
                    throw new IllegalStateException("/v3/api-docs answered " + docs.statusCode());
                }
                return new ContractCheck(JSON.readTree(docs.body()));
            } catch (IOException e) {
                throw new IllegalStateException("cannot read the service's OpenAPI document", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        });
    }

    /** Checks one exchange; a breach fails the caller (or is recorded, see the class comment). */
    public void check(HttpRequest request, HttpResponse<String> response) {
        List<String> breaches = breaches(request.method(), request.uri().getRawPath(), response.statusCode(),
                response.headers().map(), response.body());
        if (breaches.isEmpty()) {
            return;
        }
        String call = request.method() + " " + request.uri().getRawPath() + " -> " + response.statusCode();
        if (RECORD) {
            try {
                Files.createDirectories(RECORD_FILE.getParent());
                StringBuilder lines = new StringBuilder();
                breaches.forEach(b -> lines.append(call).append(": ").append(b).append('\n'));
                Files.writeString(RECORD_FILE, lines, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            return;
        }
        throw new AssertionError("The answer breaks the published API contract (/v3/api-docs, docs/openapi.json): " + call
                + "\n  " + String.join("\n  ", breaches) + "\nBody: " + abbreviate(response.body()));
    }

    List<String> breaches(String method, String path, int status, Map<String, List<String>> headers, String body) {
        List<String> breaches = new ArrayList<>();
        if (!path.startsWith("/api/")) {
            return breaches;
        }
        Optional<Route> found = routes.stream().filter(r -> r.method().equals(method) && r.pattern().matcher(path).matches()).findFirst();
        if (found.isEmpty()) {
            // A path the API does not have: the answer must say so, nothing else.
            if (status != 404 && status != 405 && status != 401 && status != 403) {
                breaches.add("no operation " + method + " matches the path, yet it answered " + status);
            }
            return breaches;
        }
        Route route = found.get();
        JsonNode answer = route.operation().path("responses").path(Integer.toString(status));
        if (answer.isMissingNode()) {
            breaches.add(status + " is not among the statuses " + route.template() + " lists "
                    + fieldNames(route.operation().path("responses")));
            return breaches;
        }
        String type = header(headers, "Content-Type").orElse("");
        if (status >= 400 && !body.isEmpty() && !type.startsWith("application/problem+json")) {
            breaches.add("an error answered as '" + type + "', not application/problem+json");
        }
        answer.path("headers").fields().forEachRemaining(h -> {
            if (h.getValue().path("required").asBoolean() && header(headers, h.getKey()).isEmpty()) {
                breaches.add("the required header " + h.getKey() + " is missing");
            }
        });
        if (status < 300 && header(headers, "Location").isPresent() && !has(answer.path("headers"), "Location")) {
            breaches.add("a Location is sent that the document does not declare");
        }
        JsonNode schema = null;
        Iterator<Map.Entry<String, JsonNode>> media = answer.path("content").fields();
        while (media.hasNext()) {
            Map.Entry<String, JsonNode> m = media.next();
            if (m.getKey().contains("json") && type.contains("json")) {
                schema = m.getValue().path("schema");
            }
        }
        if (schema != null && !body.isBlank()) {
            try {
                conform(JSON.readTree(body), schema, "$", breaches, 0);
            } catch (IOException e) {
                breaches.add("the body is not JSON: " + e.getMessage());
            }
        }
        return breaches;
    }

    private void conform(JsonNode value, JsonNode schema, String at, List<String> breaches, int depth) {
        if (value == null || value.isNull() || depth > 20) {
            return;
        }
        if (schema.has("$ref")) {
            String name = schema.path("$ref").asText().substring("#/components/schemas/".length());
            conform(value, api.path("components").path("schemas").path(name), at, breaches, depth + 1);
            return;
        }
        if (schema.has("enum") && value.isValueNode()) {
            boolean listed = false;
            for (JsonNode allowed : schema.path("enum")) {
                listed |= allowed.asText().equals(value.asText());
            }
            if (!listed) {
                breaches.add(at + " is '" + value.asText() + "', not one of " + schema.path("enum"));
            }
        }
        if (value.isObject()) {
            for (JsonNode required : schema.path("required")) {
                if (!value.has(required.asText())) {
                    breaches.add(at + " lacks the required " + required.asText());
                }
            }
            value.fields().forEachRemaining(f -> {
                JsonNode property = schema.path("properties").path(f.getKey());
                if (!property.isMissingNode()) {
                    conform(f.getValue(), property, at + "." + f.getKey(), breaches, depth + 1);
                } else if (schema.path("additionalProperties").isObject()) {
                    conform(f.getValue(), schema.path("additionalProperties"), at + "." + f.getKey(), breaches, depth + 1);
                }
            });
        } else if (value.isArray() && schema.has("items")) {
            for (int i = 0; i < value.size(); i++) {
                conform(value.get(i), schema.path("items"), at + "[" + i + "]", breaches, depth + 1);
            }
        }
    }

    private static boolean has(JsonNode headers, String name) {
        Iterator<String> names = headers.fieldNames();
        while (names.hasNext()) {
            if (names.next().equalsIgnoreCase(name)) {
                return true;
            }
        }
        return false;
    }

    private static Optional<String> header(Map<String, List<String>> headers, String name) {
        return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty())
                .map(e -> e.getValue().get(0)).findFirst();
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static String abbreviate(String body) {
        return body.length() > 600 ? body.substring(0, 600) + "..." : body;
    }
}
