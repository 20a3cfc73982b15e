package io.nodelock.apidocs.web;

import io.nodelock.api.Revalidated;
import io.nodelock.workflow.FlowDeclaration;
import io.swagger.v3.core.converter.ModelConverter;
import io.swagger.v3.core.jackson.ModelResolver;
import io.swagger.v3.core.jackson.TypeNameResolver;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.info.License;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.BooleanSchema;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.parameters.HeaderParameter;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.oas.models.servers.Server;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springdoc.core.customizers.OperationCustomizer;
import org.springdoc.core.providers.ObjectMapperProvider;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.info.BuildProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.method.HandlerMethod;

/**
 * The API's OpenAPI document ({@code /v3/api-docs}, Swagger UI at {@code /swagger-ui/index.html}; its snapshot is
 * {@code docs/openapi.json}, held to the running service by OpenApiSnapshotIT). Beyond what springdoc reads off the
 * controllers: a title and description, the bearer token scheme (so Swagger UI's "Try it out" sends the token), one
 * readable operation id per operation, the statuses each operation really answers with (errors as
 * {@code application/problem+json}), enums for statuses, and the required fields and an example of the request bodies.
 */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

    static final String BEARER = "bearer";
    static final String PROBLEM = "Problem";
    static final String REPLAYED = "Idempotent-Replayed";

    /** Operations anyone may call (SecurityConfiguration's permitAll): no token, so no 401 or 403. */
    private static final List<String> PUBLIC = List.of("GET /api/v1/keys", "GET /api/v1/eulas", "POST /api/v1/call-home");

    /**
     * Success statuses other than 200, by controller method: what its ResponseEntity answers, which springdoc cannot
     * see. A new such endpoint belongs here; the snapshot's diff shows it if forgotten.
     */
    private static final Map<String, Map<String, String>> SUCCESS = Map.ofEntries(
            Map.entry("FulfillmentController#submit", Map.of("202", "Accepted: poll the Location; a replay answers the first fulfillment with Idempotent-Replayed: true")),
            Map.entry("RmaController#submit", Map.of("202", "Accepted: poll the Location")),
            Map.entry("RehostController#submit", Map.of("202", "Accepted: the permission ticket is issued and mailed; poll the Location")),
            Map.entry("RehostController#uploadRehostTicket", Map.of("202", "Accepted: poll the rehost")),
            Map.entry("ExtensionController#submit", Map.of("202", "Accepted: poll the Location")),
            Map.entry("ExtensionController#extend", Map.of("202", "Accepted: poll the Location")),
            Map.entry("ResendController#submit", Map.of("202", "Accepted: poll the Location")),
            Map.entry("EvaluationController#request", Map.of("201", "Granted: the evaluation license is issued")),
            Map.entry("PakController#create", Map.of("201", "Created")),
            Map.entry("ManufacturingController#submit", Map.of("201", "Created: poll the order")),
            Map.entry("MailController#retry", Map.of("202", "Queued again: poll the request's mail status")),
            Map.entry("AuditController#anchor", Map.of("200", "The checkpoint of the chain's end", "204", "The chain is empty")),
            Map.entry("BulkFulfillmentController#submit", Map.of("202", "Accepted: poll the Location for progress")),
            Map.entry("BulkFulfillmentController#submitCsv", Map.of("202", "Accepted: poll the Location for progress")),
            Map.entry("MigrationController#migrate", Map.of("202", "Accepted: poll the Location")),
            Map.entry("AccountsController#create", Map.of("201", "Created: invite its first admin")),
            Map.entry("AccountsController#invite", Map.of("201", "Invited: a single-use link is mailed")),
            Map.entry("AccountController#invite", Map.of("201", "Invited: a single-use link is mailed")),
            Map.entry("AccountController#createToken", Map.of("201", "Created: the token is in this answer only")),
            Map.entry("AccountController#revokeToken", Map.of("204", "Revoked")));

    /** Operations whose 201 or 202 names no Location: nothing of their own to poll, or no resource to point at. */
    private static final Set<String> NO_LOCATION = Set.of("MailController#retry", "AccountsController#invite");

    /** The flow whose refusals an intake operation answers with (their statuses come from its FlowDeclaration). */
    private static final Map<String, String> FLOW_OF = Map.ofEntries(
            Map.entry("FulfillmentController#submit", "pak-fulfillment"),
            Map.entry("RmaController#submit", "rma-license-transfer"),
            Map.entry("RehostController#submit", "license-rehost"),
            Map.entry("RehostController#uploadRehostTicket", "license-rehost"),
            Map.entry("RehostController#transferable", "license-rehost"),
            Map.entry("ExtensionController#submit", "license-extension"),
            Map.entry("ExtensionController#extend", "license-extension"),
            Map.entry("ResendController#submit", "license-resend"),
            Map.entry("ManufacturingController#submit", "manufacturing-preinstall"),
            Map.entry("BulkFulfillmentController#submit", "bulk-fulfillment"),
            Map.entry("BulkFulfillmentController#submitCsv", "bulk-fulfillment"),
            Map.entry("MigrationController#migrate", "license-migration"));

    /** Further refusal statuses of operations outside the flows (docs of each capability name them). */
    private static final Map<String, List<String>> MORE = Map.ofEntries(
            Map.entry("EvaluationController#request", List.of("404", "409", "422")),
            Map.entry("EvaluationController#offers", List.of("404")),
            Map.entry("MailController#retry", List.of("409")),
            Map.entry("DeviceController#bundle", List.of("409")),
            Map.entry("DeviceController#ship", List.of("409")),
            Map.entry("DeviceController#release", List.of("404")),
            // A path value that cannot be what it names (a UDI, a PAK code) is refused before it is looked up.
            Map.entry("DeviceInventoryController#get", List.of("400")),
            Map.entry("PakController#get", List.of("400")),
            Map.entry("CallHomeController#callHome", List.of("401", "403", "409")),
            Map.entry("ReportController#report", List.of("403")),
            Map.entry("BulkFulfillmentController#archive", List.of("409")),
            // AccountRefusal's conflicts: the account or the person exists, the last admin, not a customer account.
            Map.entry("AccountsController#create", List.of("409")),
            Map.entry("AccountsController#invite", List.of("409")),
            Map.entry("AccountController#invite", List.of("409")),
            Map.entry("AccountController#update", List.of("409")),
            // Until the order is complete; gone once its bundles were erased.
            Map.entry("ManufacturingController#archive", List.of("409", "410")),
            Map.entry("ManufacturingController#bundle", List.of("409", "410")),
            Map.entry("ManufacturingController#erase", List.of("409")),
            // A request's license file or ticket: 409 until it is issued.
            Map.entry("FulfillmentController#licenseFile", List.of("409")),
            Map.entry("RmaController#licenseFile", List.of("409")),
            Map.entry("RehostController#licenseFile", List.of("409")),
            Map.entry("RehostController#permissionTicket", List.of("409")),
            Map.entry("ExtensionController#licenseFile", List.of("409")),
            Map.entry("ResendController#licenseFile", List.of("409")),
            Map.entry("MigrationController#licenseFile", List.of("409")));

    /** Operations whose answer is not JSON though their mapping does not say so (they set the type on the answer). */
    private static final Map<String, String> PRODUCES = Map.of("CallHomeController#callHome", "text/plain");

    private static final Map<Integer, String> ERRORS = Map.of(
            400, "Invalid request: the problem's errors name each field",
            401, "No valid API token: send 'Authorization: Bearer nlk_...'",
            403, "The token's account may not do this, or the token is read-only (or the person a viewer)",
            404, "Not found, or not visible to this account",
            409, "Conflicts with the current state (the problem's code says which)",
            410, "Gone (e.g. an expired permission ticket)",
            415, "The request body is not application/json",
            422, "Refused (the problem's code says why)",
            429, "Limit reached (e.g. resends per device and day)",
            503, "The database cannot be reached now; retry after Retry-After seconds");

    /**
     * Schema names: a nested record is named after its enclosing class (FulfillmentSubmitRequest for
     * FulfillmentController.SubmitRequest, AuditVerificationResult), so two controllers' SubmitRequest no longer collide.
     */
    @Bean
    ModelConverter controllerScopedModelNames(ObjectMapperProvider mappers) {
        return new ModelResolver(mappers.jsonMapper(), new TypeNameResolver() {
            @Override
            protected String getNameOfClass(Class<?> type) {
                String name = super.getNameOfClass(type);
                Class<?> outer = type.getEnclosingClass();
                if (outer == null || !type.getPackageName().startsWith("io.nodelock.")) {
                    return name;
                }
                String owner = outer.getSimpleName();
                return (owner.endsWith("Controller") ? owner.substring(0, owner.length() - "Controller".length()) : owner) + name;
            }
        });
    }

    @Bean
    OpenAPI nodelockOpenApi(ObjectProvider<BuildProperties> build) {
        String version = build.getIfAvailable() == null ? "0.1.0" : build.getIfAvailable().getVersion();
        return new OpenAPI()
                .info(new Info().title("Nodelock API").version(version)
                        .description("License fulfillment: PAKs, device UDIs and signed, node-locked license files (PAK "
                                + "fulfillment, RMA transfer, rehost, resend, evaluations, TAC extensions, manufacturing orders, "
                                + "License Call Home), and the operators' audit trail and mail outbox. Every call but the public "
                                + "keys, the EULAs and Call Home needs an API token: 'Authorization: Bearer nlk_...' (in Swagger UI: "
                                + "Authorize). Every error is RFC 9457 problem details (application/problem+json) with a stable type.")
                        .license(new License().name("Apache-2.0").url("https://www.apache.org/licenses/LICENSE-2.0")))
                .servers(List.of(new Server().url("/").description("This service")))
                .components(new Components()
                        .addSecuritySchemes(BEARER, new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("bearer")
                                .bearerFormat("nlk_... API token").description("An API token (customers, operators)"))
                        .addSchemas(PROBLEM, problemSchema()))
                .addSecurityItem(new SecurityRequirement().addList(BEARER));
    }

    private static Schema<?> problemSchema() {
        Schema<Object> error = new ObjectSchema().addProperty("field", new StringSchema()).addProperty("message", new StringSchema());
        return new ObjectSchema().description("RFC 9457 problem details")
                .addProperty("type", new StringSchema().example("https://nodelock.io/problems/invalid-request"))
                .addProperty("title", new StringSchema().example("Invalid request"))
                .addProperty("status", new IntegerSchema().example(400))
                .addProperty("detail", new StringSchema().example("pakCode: DEM0-C111-1000-0016 fails its check character"))
                .addProperty("instance", new StringSchema())
                .addProperty("code", new StringSchema().description("The refusal's stable code, e.g. PAK_EXHAUSTED (the type is "
                        + "its kebab-case form); absent on problems that are not a refusal (401, 404, 503...)"))
                .addProperty("errors", new ArraySchema().items(error))
                .required(List.of("type", "title", "status"));
    }

    /** Readable operation ids ({@code fulfillmentSubmit}), the success statuses and the problem responses. */
    @Bean
    OperationCustomizer nodelockOperations(List<FlowDeclaration> flows) {
        Map<String, FlowDeclaration> byKey = new TreeMap<>();
        flows.forEach(f -> byKey.put(f.processKey(), f));
        return (operation, handler) -> {
            String controller = handler.getBeanType().getSimpleName();
            String key = controller + "#" + handler.getMethod().getName();
            String subject = controller.endsWith("Controller") ? controller.substring(0, controller.length() - "Controller".length()) : controller;
            String method = handler.getMethod().getName();
            operation.setOperationId(Character.toLowerCase(subject.charAt(0)) + subject.substring(1)
                    + Character.toUpperCase(method.charAt(0)) + method.substring(1));
            ApiResponses responses = operation.getResponses() == null ? new ApiResponses() : operation.getResponses();
            Map<String, String> success = SUCCESS.get(key);
            if (success != null) {
                ApiResponse ok = responses.get("200");
                responses.remove("200");
                success.forEach((code, description) -> {
                    ApiResponse answer = code.equals("204") ? new ApiResponse().description(description)
                            : new ApiResponse().description(description).content(ok == null ? null : ok.getContent());
                    if ((code.equals("201") || code.equals("202")) && !NO_LOCATION.contains(key)) {
                        answer.addHeaderObject(HttpHeaders.LOCATION, header("The URL of what was created or accepted", true));
                    }
                    if (key.equals("FulfillmentController#submit")) {
                        answer.addHeaderObject(REPLAYED, header("true when this answers an earlier request with the same "
                                + "Idempotency-Key (nothing new was started), false otherwise", true).schema(new BooleanSchema()));
                    }
                    responses.addApiResponse(code, answer);
                });
            } else if (responses.get("200") != null) {
                responses.get("200").description("OK");
            }
            if (PRODUCES.containsKey(key) && responses.get("200") != null) {
                responses.get("200").content(new Content().addMediaType(PRODUCES.get(key), new MediaType().schema(new StringSchema())));
            }
            Set<Integer> errors = new TreeSet<>();
            errors.add(503);
            boolean secured = AnnotatedElementUtils.hasAnnotation(handler.getMethod(), PreAuthorize.class)
                    || AnnotatedElementUtils.hasAnnotation(handler.getBeanType(), PreAuthorize.class);
            if (secured) {
                errors.add(403);
            }
            if (Arrays.stream(handler.getMethodParameters()).anyMatch(p -> p.hasParameterAnnotation(RequestBody.class))) {
                errors.add(400);
                errors.add(415);
            }
            if (operation.getParameters() != null && !operation.getParameters().isEmpty()) {
                if (operation.getParameters().stream().anyMatch(p -> "query".equals(p.getIn()) || "header".equals(p.getIn()))) {
                    errors.add(400);
                }
                if (operation.getParameters().stream().anyMatch(p -> "path".equals(p.getIn()))) {
                    errors.add(404);
                }
                if (operation.getParameters().stream().anyMatch(p -> "query".equals(p.getIn()) && "accountId".equals(p.getName()))) {
                    // A customer naming another account (ListParameters.scope).
                    errors.add(403);
                }
            }
            FlowDeclaration flow = FLOW_OF.containsKey(key) ? byKey.get(FLOW_OF.get(key)) : null;
            if (flow != null) {
                errors.add(400);
                errors.add(422);
                flow.refusals().statuses().values().forEach(errors::add);
            }
            MORE.getOrDefault(key, List.of()).forEach(code -> errors.add(Integer.parseInt(code)));
            for (int code : errors) {
                ApiResponse refused = problem(ERRORS.getOrDefault(code, "Refused"));
                if (code == 503 || code == 429) {
                    refused.addHeaderObject(HttpHeaders.RETRY_AFTER, header("Seconds to wait before trying again", code == 503)
                            .schema(new IntegerSchema()));
                }
                responses.addApiResponse(Integer.toString(code), refused);
            }
            if (AnnotatedElementUtils.hasAnnotation(handler.getMethod(), Revalidated.class)) {
                revalidated(operation, responses);
            }
            operation.setResponses(responses);
            return operation;
        };
    }

    /** An answer with an ETag: its headers, the If-None-Match that revalidates it and the 304 that answers a match. */
    private static void revalidated(Operation operation, ApiResponses responses) {
        ApiResponse ok = responses.get("200");
        if (ok != null) {
            ok.addHeaderObject(HttpHeaders.ETAG, header("The representation's entity tag: send it as If-None-Match to revalidate", true));
            ok.addHeaderObject(HttpHeaders.CACHE_CONTROL, header("How long and by whom the answer may be kept", false));
        }
        boolean declared = operation.getParameters() != null && operation.getParameters().stream()
                .anyMatch(p -> "header".equals(p.getIn()) && HttpHeaders.IF_NONE_MATCH.equalsIgnoreCase(p.getName()));
        if (!declared) {
            operation.addParametersItem(new HeaderParameter().name(HttpHeaders.IF_NONE_MATCH).required(false)
                    .description("The ETag of an answer held: 304 without a body while it is still current").schema(new StringSchema()));
        }
        responses.addApiResponse("304", new ApiResponse().description("Not modified: the If-None-Match names the current ETag")
                .addHeaderObject(HttpHeaders.ETAG, header("The current entity tag", true)));
    }

    private static Header header(String description, boolean required) {
        return new Header().description(description).required(required).schema(new StringSchema());
    }

    private static ApiResponse problem(String description) {
        return new ApiResponse().description(description).content(new Content().addMediaType("application/problem+json",
                new MediaType().schema(new Schema<>().$ref("#/components/schemas/" + PROBLEM))));
    }

    /** Public operations carry no security, the others a 401; enums, required fields and examples on the schemas. */
    @Bean
    OpenApiCustomizer nodelockDocument() {
        return openApi -> {
            Map<String, PathItem> sorted = new TreeMap<>(openApi.getPaths());
            sorted.forEach((path, item) -> item.readOperationsMap().forEach((httpMethod, operation) -> {
                String call = httpMethod.name() + " " + path;
                boolean open = PUBLIC.stream().anyMatch(p -> call.equals(p) || call.startsWith(p + "/"));
                Map<String, ApiResponse> responses = new TreeMap<>(operation.getResponses());
                if (open) {
                    operation.setSecurity(List.of());
                } else {
                    responses.put("401", problem(ERRORS.get(401)));
                    if (httpMethod != PathItem.HttpMethod.GET) {
                        // A read-only token, or a viewer's session, may read but not write (PrincipalChecks).
                        responses.putIfAbsent("403", problem(ERRORS.get(403)));
                    }
                }
                ApiResponses ordered = new ApiResponses();
                responses.forEach(ordered::addApiResponse);
                operation.setResponses(ordered);
            }));
            Map<String, Schema> schemas = openApi.getComponents().getSchemas();
            if (schemas == null) {
                return;
            }
            SchemaEnums.byProperty().forEach((key, values) -> {
                String property = key.substring(key.indexOf('.') + 1);
                for (String name : SchemaEnums.schemasOf(key, schemas.keySet())) {
                    if (schemas.get(name).getProperties() != null && schemas.get(name).getProperties().get(property) instanceof Schema<?> field) {
                        @SuppressWarnings("unchecked")
                        Schema<String> text = (Schema<String>) field;
                        text.setEnum(new ArrayList<>(values));
                    }
                }
            });
            RequestExamples.apply(schemas);
            openApi.getComponents().setSchemas(new TreeMap<>(schemas));
            Map<String, PathItem> paths = new LinkedHashMap<>();
            sorted.forEach(paths::put);
            openApi.getPaths().clear();
            paths.forEach(openApi.getPaths()::addPathItem);
        };
    }
}
