package io.nodelock.support;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.HttpCookie;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A staff member's Tasklist session over HTTP, made of the requests Operaton's Tasklist page itself sends: the
 * webapps' sign-in ({@code POST /operaton/api/admin/auth/user/default/login/tasklist}, a form), the session cookie,
 * and the engine REST API as the webapps serve it ({@code /operaton/api/engine/engine/default/...}), behind the
 * webapps' CSRF filter. Every call answers a {@link Reply} (status and body) instead of throwing, so tests assert
 * refusals as readily as successes. Tasks are found by their name and business key, form fields by their key or
 * label: nothing here knows a particular flow.
 *
 * <p>The CSRF filter (Operaton's {@code CsrfPreventionFilter}) keeps a token in the HTTP session, hands it out as the
 * {@code XSRF-TOKEN} cookie (path {@code /operaton}; also as the {@code X-XSRF-TOKEN} response header) on a GET, and
 * refuses any other method whose {@code X-XSRF-TOKEN} header does not match it (403), invalidating the session. Signing
 * in replaces the session, so a GET after it fetches the new token, as Tasklist's next GET does.
 */
public final class TasklistSession {

    /** The webapps' engine REST API, as Tasklist calls it. */
    public static final String ENGINE_API = "/operaton/api/engine/engine/default/";
    private static final String SIGN_IN = "/operaton/api/admin/auth/user/default/login/tasklist";
    private static final String SIGN_OUT = "/operaton/api/admin/auth/user/default/logout";
    private static final String CSRF_COOKIE = "XSRF-TOKEN";
    private static final String CSRF_HEADER = "X-XSRF-TOKEN";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private final URI base;
    private final String userId;
    private final CookieManager cookies = new CookieManager(null, CookiePolicy.ACCEPT_ALL);
    private final HttpClient http;

    /** An answer of the server: its status and body, JSON parsed on demand. */
    public record Reply(int status, String body) {

        public boolean ok() {
            return status >= 200 && status < 300;
        }

        /** The body as JSON ({@code MissingNode} when empty or not JSON). */
        public JsonNode json() {
            if (body == null || body.isBlank()) {
                return JSON.missingNode();
            }
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                return JSON.missingNode();
            }
        }

        /** The engine's error message ({@code {"type":..., "message":...}}), or the raw body. */
        public String message() {
            JsonNode message = json().path("message");
            return message.isTextual() ? message.asText() : body;
        }

        @Override
        public String toString() {
            return "HTTP " + status + (body == null || body.isEmpty() ? "" : ": " + body);
        }
    }

    private TasklistSession(String baseUrl, String userId) {
        this.base = URI.create(baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl);
        this.userId = userId;
        this.http = HttpClient.newBuilder().cookieHandler(cookies).connectTimeout(Duration.ofSeconds(5)).build();
    }

    /**
     * Signs in to Tasklist as {@code userId}; fails (IllegalStateException with the server's answer) unless the
     * sign-in is accepted. {@code baseUrl} is the service's root, e.g. {@code http://localhost:8080}.
     */
    public static TasklistSession signIn(String baseUrl, String userId, String password) {
        TasklistSession session = new TasklistSession(baseUrl, userId);
        Reply reply = session.login(password);
        if (!reply.ok()) {
            throw new IllegalStateException("Tasklist refused the sign-in of " + userId + ": " + reply);
        }
        return session;
    }

    /** Tries to sign in to Tasklist and answers the server's reply (200 signed in, 401 bad password, 403 no access). */
    public static Reply attemptSignIn(String baseUrl, String userId, String password) {
        return new TasklistSession(baseUrl, userId).login(password);
    }

    private Reply login(String password) {
        // The page itself is the first GET: it opens the session and sets the CSRF cookie the sign-in must echo.
        Reply page = send(HttpRequest.newBuilder(base.resolve("/operaton/app/tasklist/default/")).GET(), false);
        if (!page.ok()) {
            return page;
        }
        String form = "username=" + URLEncoder.encode(userId, StandardCharsets.UTF_8)
                + "&password=" + URLEncoder.encode(password, StandardCharsets.UTF_8);
        Reply reply = send(HttpRequest.newBuilder(base.resolve(SIGN_IN))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)), true);
        if (reply.ok()) {
            // The sign-in replaced the session and with it the token: the next GET hands out a new one.
            refreshCsrfToken();
        }
        return reply;
    }

    /** The signed-in user's id. */
    public String userId() {
        return userId;
    }

    /** Signs out, as Tasklist's "Log out" does. */
    public Reply signOut() {
        return send(HttpRequest.newBuilder(base.resolve(SIGN_OUT)).POST(HttpRequest.BodyPublishers.noBody()), true);
    }

    // ---- what Tasklist shows ----

    /** The task filters this user may see ({@code GET filter?resourceType=Task}), as Tasklist's sidebar lists them. */
    public Reply filters() {
        return get("filter?resourceType=Task&itemCount=false");
    }

    /**
     * The first page of a filter's tasks, queried exactly as Tasklist queries the selected filter
     * ({@code POST filter/{id}/list}, newest first); the filter is found by its name (e.g. "All tasks").
     */
    public Reply filterTasks(String filterName) {
        Reply filters = filters();
        if (!filters.ok()) {
            return filters;
        }
        String id = null;
        for (JsonNode filter : filters.json()) {
            if (filterName.equals(filter.path("name").asText())) {
                id = filter.path("id").asText();
            }
        }
        if (id == null) {
            throw new IllegalStateException(userId + " sees no task filter named '" + filterName + "': " + filters);
        }
        ObjectNode query = JSON.createObjectNode();
        query.putArray("processVariables");
        query.putArray("taskVariables");
        query.putArray("caseInstanceVariables");
        query.putArray("sorting").addObject().put("sortBy", "created").put("sortOrder", "desc");
        query.put("active", true);
        return post("filter/" + id + "/list?firstResult=0&maxResults=15", query);
    }

    /** The open tasks this user is a candidate for, directly or through a group, claimed ones included. */
    public Reply candidateTasks() {
        return tasks(Map.of("candidateUser", userId, "includeAssignedTasks", "true"));
    }

    /** {@code GET task} with the engine's task query parameters (name, nameLike, processInstanceBusinessKey, ...). */
    public Reply tasks(Map<String, String> query) {
        String parameters = query.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return get("task" + (parameters.isEmpty() ? "" : "?" + parameters));
    }

    /**
     * The open task of this user's candidate tasks whose name contains {@code nameContains} and whose process
     * instance has the business key {@code businessKey} (for the flows, the request's id), if there is one.
     */
    public Optional<JsonNode> findTask(String nameContains, String businessKey) {
        Map<String, String> query = new LinkedHashMap<>();
        query.put("candidateUser", userId);
        query.put("includeAssignedTasks", "true");
        query.put("nameLike", "%" + nameContains + "%");
        query.put("processInstanceBusinessKey", businessKey);
        Reply reply = tasks(query);
        if (!reply.ok()) {
            throw new IllegalStateException("Tasks of " + userId + " could not be listed: " + reply);
        }
        if (reply.json().size() > 1) {
            throw new IllegalStateException("More than one task '" + nameContains + "' for business key " + businessKey + ": " + reply);
        }
        return reply.json().size() == 0 ? Optional.empty() : Optional.of(reply.json().get(0));
    }

    /** Waits (20 s at most) until {@link #findTask} finds the task, and answers it. */
    public JsonNode awaitTask(String nameContains, String businessKey) {
        JsonNode[] found = new JsonNode[1];
        await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(200))
                .alias(userId + " sees a task '" + nameContains + "' for business key " + businessKey)
                .until(() -> {
                    found[0] = findTask(nameContains, businessKey).orElse(null);
                    return found[0] != null;
                });
        return found[0];
    }

    /** {@code GET task/{id}}. */
    public Reply task(String taskId) {
        return get("task/" + taskId);
    }

    /** The task's form variables as Tasklist loads them into a Camunda Form ({@code form-variables}, serialized). */
    public Reply formVariables(String taskId) {
        return get("task/" + taskId + "/form-variables?deserializeValues=false");
    }

    /** The value of one form variable, by the form field's key, as text. */
    public String formValue(String taskId, String key) {
        Reply variables = formVariables(taskId);
        if (!variables.ok()) {
            throw new IllegalStateException("Form variables of task " + taskId + ": " + variables);
        }
        JsonNode value = variables.json().path(key).path("value");
        return value.isMissingNode() || value.isNull() ? null : value.asText();
    }

    /** The task's form reference ({@code task/{id}/form}: its key, e.g. {@code operaton-forms:deployment:...}). */
    public Reply form(String taskId) {
        return get("task/" + taskId + "/form");
    }

    /** The Camunda Form (form-js schema) that Tasklist renders for the task. */
    public Reply deployedForm(String taskId) {
        return get("task/" + taskId + "/deployed-form");
    }

    /** The key of the task form's field with this label (fields inside groups included). */
    public String formFieldKey(String taskId, String label) {
        Reply form = deployedForm(taskId);
        if (!form.ok()) {
            throw new IllegalStateException("Form of task " + taskId + ": " + form);
        }
        List<String> labels = new ArrayList<>();
        String key = keyOfLabel(form.json().path("components"), label, labels);
        if (key == null) {
            throw new IllegalStateException("The form of task " + taskId + " has no field labelled '" + label + "'; its labels: " + labels);
        }
        return key;
    }

    private static String keyOfLabel(JsonNode components, String label, List<String> labels) {
        for (JsonNode component : components) {
            String own = component.path("label").asText(null);
            if (own != null) {
                labels.add(own);
                if (own.equals(label) && component.hasNonNull("key")) {
                    return component.path("key").asText();
                }
            }
            String nested = keyOfLabel(component.path("components"), label, labels);
            if (nested != null) {
                return nested;
            }
        }
        return null;
    }

    // ---- what Tasklist does ----

    /** Claims the task for the signed-in user, as Tasklist's "Claim" does. */
    public Reply claim(String taskId) {
        return claim(taskId, userId);
    }

    /** Claims the task for {@code assignee} (Tasklist only ever sends the signed-in user; tests send others too). */
    public Reply claim(String taskId, String assignee) {
        ObjectNode body = JSON.createObjectNode().put("userId", assignee);
        return post("task/" + taskId + "/claim", body);
    }

    /** Gives the task back to its candidates, as Tasklist's "Unclaim" does. */
    public Reply unclaim(String taskId) {
        return post("task/" + taskId + "/unclaim", JSON.createObjectNode());
    }

    /**
     * Completes the task with these form values, keyed by form field key, sent as Tasklist sends a Camunda Form's
     * data ({@code POST task/{id}/submit-form}, {@code {"variables": {key: {"value": ...}}}}).
     */
    public Reply submitForm(String taskId, Map<String, ?> valuesByKey) {
        ObjectNode body = JSON.createObjectNode();
        ObjectNode variables = body.putObject("variables");
        valuesByKey.forEach((key, value) -> variables.putObject(key).set("value", JSON.valueToTree(value)));
        return post("task/" + taskId + "/submit-form", body);
    }

    /** {@link #submitForm} with the values keyed by the form fields' labels instead. */
    public Reply submitFormByLabel(String taskId, Map<String, ?> valuesByLabel) {
        Map<String, Object> byKey = new LinkedHashMap<>();
        valuesByLabel.forEach((label, value) -> byKey.put(formFieldKey(taskId, label), value));
        return submitForm(taskId, byKey);
    }

    // ---- any other call of the webapps' engine API ----

    /** {@code GET} on the webapps' engine API; {@code path} is relative to {@link #ENGINE_API}. */
    public Reply get(String path) {
        return send(HttpRequest.newBuilder(engine(path)).header("Accept", "application/json").GET(), false);
    }

    /** {@code POST} of a JSON body (any Jackson-serializable value) on the webapps' engine API, with the CSRF token. */
    public Reply post(String path, Object body) {
        try {
            return send(HttpRequest.newBuilder(engine(path))
                    .header("Accept", "application/json")
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))), true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private URI engine(String path) {
        return base.resolve(ENGINE_API + (path.startsWith("/") ? path.substring(1) : path));
    }

    private void refreshCsrfToken() {
        send(HttpRequest.newBuilder(base.resolve("/operaton/api/engine/engine/")).header("Accept", "application/json").GET(), false);
    }

    private Reply send(HttpRequest.Builder request, boolean modifying) {
        if (modifying) {
            // As Tasklist's page does: the header echoes the cookie the filter set.
            Optional<String> token = csrfCookie().or(() -> {
                refreshCsrfToken();
                return csrfCookie();
            });
            token.ifPresent(t -> request.header(CSRF_HEADER, t));
        }
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Reply(response.statusCode(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The token the CSRF filter handed out last, as the browser keeps it (cookie path {@code /operaton}). */
    private Optional<String> csrfCookie() {
        return cookies.getCookieStore().get(base.resolve("/operaton/")).stream()
                .filter(c -> c.getName().equals(CSRF_COOKIE)).map(HttpCookie::getValue).findFirst();
    }
}
