package io.nodelock.catalogue;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;

/**
 * The published schema on its own, as an editor uses it: no Nodelock code between the YAML and the validator.
 */
class CatalogueSchemaTest {

    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);

    private static String resource(String name) throws IOException {
        try (InputStream in = Objects.requireNonNull(CatalogueSchemaTest.class.getResourceAsStream(name), name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static Schema published() throws IOException {
        return REGISTRY.getSchema(new ObjectMapper().readTree(resource(CatalogueSchema.RESOURCE)));
    }

    @Test
    void isAValidDraft202012Schema() throws IOException {
        JsonNode schema = new ObjectMapper().readTree(resource(CatalogueSchema.RESOURCE));
        Schema metaSchema = REGISTRY.getSchema(SchemaLocation.of("https://json-schema.org/draft/2020-12/schema"));
        assertThat(metaSchema.validate(schema)).isEmpty();
    }

    @Test
    void acceptsTheBundledCatalogue() throws IOException {
        assertThat(published().validate(resource("/catalogue/catalogue.yml"), InputFormat.YAML)).isEmpty();
    }

    @Test
    void rejectsStructuralMistakesWithoutNodelock() throws IOException {
        List<Error> errors = published().validate(resource("/catalogue/many-errors.yml"), InputFormat.YAML);
        assertThat(errors).extracting(e -> e.getKeyword() + " " + e.getInstanceLocation())
                .contains("const /format", "additionalProperties ", "required /features/4",
                        "pattern /features/3/name", "uniqueItems /featureSets/universal-k9",
                        "enum /skus/3/type", "type /skus/3/products", "not /skus/0/usageDays",
                        "required /skus/1", "required /skus/2", "not /skus/4/count", "required /eulas/versions/1",
                        "additionalProperties /eulas/versions/1", "not /eulas/versions/1/title");
        // cross-references are Nodelock's to check: an unknown feature name is not a schema error
        assertThat(errors).noneMatch(e -> e.getInstanceLocation().toString().startsWith("/skus/0/features"));
    }
}
