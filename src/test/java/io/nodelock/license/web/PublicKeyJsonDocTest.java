package io.nodelock.license.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nodelock.license.SigningKeys;
import io.nodelock.license.SigningProperties;
import io.nodelock.licensefile.SigningKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** docs/license-file-format.md specifies the JSON of GET /api/v1/keys; the controller must answer exactly that. */
class PublicKeyJsonDocTest {

    @TempDir
    Path dir;

    @Test
    void controllerAnswersTheDocumentedExampleForTheTestKey() throws Exception {
        String doc = Files.readString(Path.of("docs", "license-file-format.md"));
        Matcher m = Pattern.compile("(?s)## Publishing keys.*?```json\n(.*?)```").matcher(doc);
        assertThat(m.find()).as("JSON example in the keys section").isTrue();

        SigningKey testKey = SigningKey.fromSeed(
                HexFormat.of().parseHex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"));
        Path keyFile = Files.writeString(dir.resolve("key.pem"), testKey.toPkcs8Pem());
        SigningKeys keys = new SigningKeys(new SigningProperties(keyFile, null, null, "nodelock-signing", false,
                dir.resolve("generated"), List.of()));
        // The application's Jackson setting (spring.jackson.default-property-inclusion: non_null).
        ObjectMapper json = new ObjectMapper().setSerializationInclusion(JsonInclude.Include.NON_NULL);
        JsonNode answered = json.valueToTree(new PublicKeyController(keys).list().getBody());

        assertThat(answered).isEqualTo(json.readTree(m.group(1)));
    }
}
