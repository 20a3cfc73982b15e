package io.nodelock.apidocs.web;

import io.nodelock.extension.ExtensionStatus;
import io.nodelock.fulfillment.FulfillmentStatus;
import io.nodelock.manufacturing.ManufacturingOrderStatus;
import io.nodelock.rehost.RehostStatus;
import io.nodelock.resend.ResendStatus;
import io.nodelock.rma.RmaStatus;
import io.nodelock.workflow.FlowDeclaration;
import io.swagger.v3.core.converter.ModelConverter;
import io.swagger.v3.core.jackson.ModelResolver;
import io.swagger.v3.core.jackson.TypeNameResolver;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.info.License;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
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

    /** The flow whose refusals an intake operation answers with (their statuses come from its FlowDeclaration). */
    private static final Map<String, String> FLOW_OF = Map.of(
            "FulfillmentController#submit", "pak-fulfillment",
            "RmaController#submit", "rma-license-transfer",
            "RehostController#submit", "license-rehost",
            "RehostController#uploadRehostTicket", "license-rehost",
            "RehostController#transferable", "license-rehost",
            "ExtensionController#submit", "license-extension",
            "ExtensionController#extend", "license-extension",
            "ResendController#submit", "license-resend",
            "ManufacturingController#submit", "manufacturing-preinstall");

    /** Further refusal statuses of operations outside the flows (docs of each capability name them). */
    private static final Map<String, List<String>> MORE = Map.of(
            "EvaluationController#request", List.of("404", "409", "422"),
            "MailController#retry", List.of("409"),
            "DeviceController#bundle", List.of("409"),
            "DeviceController#ship", List.of("409"),
            "FulfillmentController#licenseFile", List.of("409"),
            "CallHomeController#callHome", List.of("409"));

    /** Operations whose answer is not JSON though their mapping does not say so (they set the type on the answer). */
    private static final Map<String, String> PRODUCES = Map.of("CallHomeController#callHome", "text/plain");

    /** The status fields of the views and the enum each takes its values from. */
    private static final Map<String, List<String>> STATUS_ENUMS = Map.of(
            "FulfillmentFulfillmentView", names(FulfillmentStatus.values()),
            "RmaRmaView", names(RmaStatus.values()),
            "RehostRehostView", names(RehostStatus.values()),
            "ExtensionExtensionView", names(ExtensionStatus.values()),
            "ResendResendView", names(ResendStatus.values()),
            "ManufacturingOrderView", names(ManufacturingOrderStatus.values()));

    private static final Map<Integer, String> ERRORS = Map.of(
            400, "Invalid request: the problem's errors name each field",
            401, "No valid API token: send 'Authorization: Bearer nlk_...'",
            403, "The token's account may not do this",
            404, "Not found, or not visible to this account",
            409, "Conflicts with the current state (the problem's code says which)",
            410, "Gone (e.g. an expired permission ticket)",
            415, "The request body is not application/json",
            422, "Refused (the problem's code says why)",
            429, "Limit reached (e.g. resends per device and day)",
            503, "The database cannot be reached now; retry after Retry-After seconds");

    private static List<String> names(Enum<?>[] values) {
        return Arrays.stream(values).map(Enum::name).toList();
    }

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
                .addProperty("code", new StringSchema().description("A flow's refusal code, e.g. PAK_EXHAUSTED"))
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
                success.forEach((code, description) -> responses.addApiResponse(code, code.equals("204") ? new ApiResponse().description(description)
                        : new ApiResponse().description(description).content(ok == null ? null : ok.getContent())));
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
            }
            FlowDeclaration flow = FLOW_OF.containsKey(key) ? byKey.get(FLOW_OF.get(key)) : null;
            if (flow != null) {
                errors.add(400);
                errors.add(422);
                flow.refusals().statuses().values().forEach(errors::add);
            }
            MORE.getOrDefault(key, List.of()).forEach(code -> errors.add(Integer.parseInt(code)));
            for (int code : errors) {
                responses.addApiResponse(Integer.toString(code), problem(ERRORS.getOrDefault(code, "Refused")));
            }
            operation.setResponses(responses);
            return operation;
        };
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
                }
                ApiResponses ordered = new ApiResponses();
                responses.forEach(ordered::addApiResponse);
                operation.setResponses(ordered);
            }));
            Map<String, Schema> schemas = openApi.getComponents().getSchemas();
            if (schemas == null) {
                return;
            }
            STATUS_ENUMS.forEach((schema, values) -> {
                Schema<?> view = schemas.get(schema);
                if (view != null && view.getProperties() != null && view.getProperties().get("status") instanceof Schema<?> status) {
                    @SuppressWarnings("unchecked")
                    Schema<String> text = (Schema<String>) status;
                    text.setEnum(new ArrayList<>(values));
                }
            });
            for (String mail : schemas.keySet()) {
                if (mail.endsWith("MailView") && schemas.get(mail).getProperties() != null
                        && schemas.get(mail).getProperties().get("status") instanceof Schema<?> status) {
                    @SuppressWarnings("unchecked")
                    Schema<String> text = (Schema<String>) status;
                    text.setEnum(new ArrayList<>(List.of("PENDING", "SENT", "FAILED")));
                }
            }
            RequestExamples.apply(schemas);
            openApi.getComponents().setSchemas(new TreeMap<>(schemas));
            Map<String, PathItem> paths = new LinkedHashMap<>();
            sorted.forEach(paths::put);
            openApi.getPaths().clear();
            paths.forEach(openApi.getPaths()::addPathItem);
        };
    }
}
