package io.nodelock.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Constructor;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The contract check finds each kind of breach, and passes an answer that keeps to the document. */
class ContractCheckTest {

    private static final String API = """
            {"paths": {
              "/api/v1/things": {"post": {"responses": {
                "202": {"headers": {"Location": {"required": true}},
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}}},
                "422": {"content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}}}}},
              "/api/v1/things/{id}": {"get": {"responses": {
                "200": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}}}}}},
              "/api/v1/things/special": {"get": {"responses": {"204": {}}}}},
             "components": {"schemas": {
              "Thing": {"type": "object", "required": ["id"], "properties": {
                "id": {"type": "string"},
                "status": {"type": "string", "enum": ["OPEN", "DONE"]},
                "parts": {"type": "array", "items": {"$ref": "#/components/schemas/Part"}}}},
              "Part": {"type": "object", "properties": {"kind": {"type": "string", "enum": ["a", "b"]}}},
              "Problem": {"type": "object", "properties": {"code": {"type": "string", "enum": ["PAK_EXHAUSTED"]}}}}}}
            """;

    private static final Map<String, List<String>> JSON = Map.of("Content-Type", List.of("application/json"));

    private final ContractCheck check = parse(API);

    private static ContractCheck parse(String api) {
        try {
            Constructor<ContractCheck> constructor = ContractCheck.class.getDeclaredConstructor(com.fasterxml.jackson.databind.JsonNode.class);
            constructor.setAccessible(true);
            return constructor.newInstance(new com.fasterxml.jackson.databind.ObjectMapper().readTree(api));
        } catch (ReflectiveOperationException | java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void anAnswerThatKeepsToTheDocumentPasses() {
        assertThat(check.breaches("POST", "/api/v1/things", 202, Map.of("Content-Type", List.of("application/json"),
                "Location", List.of("/api/v1/things/1")), "{\"id\":\"1\",\"status\":\"OPEN\",\"parts\":[{\"kind\":\"a\"}]}")).isEmpty();
        assertThat(check.breaches("GET", "/api/v1/things/special", 204, Map.of(), "")).isEmpty();
        assertThat(check.breaches("GET", "/portal/anything", 500, Map.of(), "")).as("only /api/** is held to it").isEmpty();
    }

    @Test
    void anUnlistedStatusIsABreach() {
        assertThat(check.breaches("GET", "/api/v1/things/1", 409, Map.of("Content-Type", List.of("application/problem+json")), "{}"))
                .singleElement().asString().contains("409 is not among the statuses");
    }

    @Test
    void aValueOutsideItsEnumIsABreachAtAnyDepth() {
        assertThat(check.breaches("GET", "/api/v1/things/1", 200, JSON, "{\"id\":\"1\",\"status\":\"LOST\"}"))
                .singleElement().asString().contains("$.status is 'LOST'");
        assertThat(check.breaches("GET", "/api/v1/things/1", 200, JSON, "{\"id\":\"1\",\"parts\":[{\"kind\":\"a\"},{\"kind\":\"z\"}]}"))
                .singleElement().asString().contains("$.parts[1].kind is 'z'");
        assertThat(check.breaches("POST", "/api/v1/things", 422, Map.of("Content-Type", List.of("application/problem+json")),
                "{\"code\":\"SOMETHING_ELSE\"}")).singleElement().asString().contains("$.code");
    }

    @Test
    void aMissingRequiredFieldOrHeaderIsABreach() {
        assertThat(check.breaches("GET", "/api/v1/things/1", 200, JSON, "{\"status\":\"OPEN\"}"))
                .singleElement().asString().contains("lacks the required id");
        assertThat(check.breaches("POST", "/api/v1/things", 202, JSON, "{\"id\":\"1\"}"))
                .singleElement().asString().contains("required header Location");
    }

    @Test
    void anUndeclaredLocationAndAnErrorThatIsNotAProblemAreBreaches() {
        assertThat(check.breaches("GET", "/api/v1/things/1", 200, Map.of("Content-Type", List.of("application/json"),
                "Location", List.of("/x")), "{\"id\":\"1\"}")).singleElement().asString().contains("does not declare");
        assertThat(check.breaches("POST", "/api/v1/things", 422, JSON, "{\"code\":\"PAK_EXHAUSTED\"}"))
                .singleElement().asString().contains("not application/problem+json");
    }

    @Test
    void aLiteralPathWinsOverATemplateAndAnUnknownPathMayOnlyBeRefused() {
        assertThat(check.breaches("GET", "/api/v1/things/special", 200, JSON, "{}")).singleElement().asString()
                .contains("200 is not among the statuses /api/v1/things/special");
        assertThat(check.breaches("GET", "/api/v1/nothing", 404, Map.of(), "")).isEmpty();
        assertThat(check.breaches("GET", "/api/v1/nothing", 200, JSON, "{}")).singleElement().asString().contains("no operation GET");
    }
}
