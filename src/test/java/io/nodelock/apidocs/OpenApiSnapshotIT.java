package io.nodelock.apidocs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.nodelock.support.ServiceIT;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The API contract as the running service publishes it ({@code /v3/api-docs}) is the one committed in
 * {@code docs/openapi.json}: a change of contract is a visible diff. After an intended change, write the file anew with
 * {@code ./mvnw verify -Dit.test=OpenApiSnapshotIT -Dnodelock.openapi.update=true} and commit it.
 */
class OpenApiSnapshotIT extends ServiceIT {

    static final Path SNAPSHOT = Path.of("docs", "openapi.json");
    static final String UPDATE = "nodelock.openapi.update";

    private static final ObjectMapper PRETTY = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    @Test
    void thePublishedContractIsTheCommittedSnapshot() throws Exception {
        Response docs = get("/v3/api-docs", null);
        assertThat(docs.status()).isEqualTo(200);
        String published = PRETTY.writeValueAsString(PRETTY.treeToValue(docs.body(), Object.class)) + "\n";
        if (Boolean.getBoolean(UPDATE)) {
            Files.writeString(SNAPSHOT, published);
        }
        String committed = Files.exists(SNAPSHOT) ? Files.readString(SNAPSHOT) : "";
        assertThat(published).as("The API contract (/v3/api-docs) differs from %s. If the change is intended, write the snapshot "
                + "anew with: ./mvnw verify -Dit.test=OpenApiSnapshotIT -D%s=true, and commit it (the diff is the change "
                + "of contract).", SNAPSHOT, UPDATE).isEqualTo(committed);
    }

    @Test
    void theContractNamesItsSecurityStatusesAndOperations() {
        JsonNode api = get("/v3/api-docs", null).body();
        assertThat(api.path("info").path("title").asText()).isEqualTo("Nodelock API");
        assertThat(api.path("info").path("version").asText()).isNotEqualTo("v0");
        assertThat(api.path("components").path("securitySchemes").path("bearer").path("scheme").asText()).isEqualTo("bearer");
        List<String> problems = new ArrayList<>();
        api.path("paths").fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(op -> {
            String call = op.getKey().toUpperCase() + " " + path.getKey();
            JsonNode operation = op.getValue();
            String id = operation.path("operationId").asText();
            if (id.isEmpty() || id.matches(".*_\\d+$")) {
                problems.add(call + ": operation id '" + id + "'");
            }
            JsonNode responses = operation.path("responses");
            if (responses.has("default") || !responses.fieldNames().hasNext()) {
                problems.add(call + ": no explicit responses");
            }
            responses.fields().forEachRemaining(r -> {
                int status = Integer.parseInt(r.getKey());
                JsonNode content = r.getValue().path("content");
                if (status >= 400 && !content.has("application/problem+json")) {
                    problems.add(call + ": " + status + " is not application/problem+json");
                }
                if (status < 300 && content.has("*/*")) {
                    problems.add(call + ": " + status + " answers */*");
                }
            });
            boolean open = operation.has("security") && operation.path("security").isEmpty();
            if (!open && !responses.has("401")) {
                problems.add(call + ": needs a token but lists no 401");
            }
        }));
        assertThat(problems).isEmpty();
        assertThat(api.path("components").path("schemas").path("FulfillmentFulfillmentView").path("properties").path("status")
                .path("enum")).extracting(JsonNode::asText).contains("SUBMITTED", "ISSUED", "REJECTED");
        assertThat(api.path("components").path("schemas").path("FulfillmentSubmitRequest").path("required"))
                .extracting(JsonNode::asText).containsExactlyInAnyOrder("pakCode", "sku", "udi", "email");
    }
}
