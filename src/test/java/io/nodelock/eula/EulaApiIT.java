package io.nodelock.eula;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.nodelock.support.ServiceIT;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The EULA texts as anyone reads them: without a token, as JSON or as the exact text its hash is taken of. */
class EulaApiIT extends ServiceIT {

    @Test
    void listsEveryVersionWithTheSha256OfTheTextExactlyAsServed() throws Exception {
        Response list = get("/api/v1/eulas", null);
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.body().path("currentVersion").asText()).isEqualTo("2026-11");
        JsonNode eulas = list.body().path("eulas");
        assertThat(eulas.findValuesAsText("version")).containsExactly("2025-06", "2026-11");
        assertThat(eulas.findValuesAsText("current")).containsExactly("false", "true");
        assertThat(eulas.get(1).path("title").asText()).isEqualTo("Nodelock End-User License Agreement");
        for (JsonNode eula : eulas) {
            String version = eula.path("version").asText();
            assertThat(eula.path("links").path("self").asText()).isEqualTo("/api/v1/eulas/" + version);
            HttpResponse<byte[]> text = raw("/api/v1/eulas/" + version, "text/plain");
            assertThat(text.statusCode()).isEqualTo(200);
            assertThat(text.headers().firstValue("Content-Type").orElse("")).isEqualToIgnoringCase("text/plain;charset=UTF-8");
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.body());
            assertThat(HexFormat.of().formatHex(digest)).isEqualTo(eula.path("sha256").asText());
            assertThat(text.headers().firstValue("ETag")).contains("\"" + eula.path("sha256").asText() + "\"");
            assertThat(text.headers().firstValue("Repr-Digest")).contains("sha-256=:" + Base64.getEncoder().encodeToString(digest) + ":");

            JsonNode json = get("/api/v1/eulas/" + version, null).body();
            assertThat(json.path("version").asText()).isEqualTo(version);
            assertThat(json.path("sha256").asText()).isEqualTo(eula.path("sha256").asText());
            assertThat(json.path("current").asBoolean()).isEqualTo(eula.path("current").asBoolean());
            assertThat(json.path("text").asText().getBytes(StandardCharsets.UTF_8)).isEqualTo(text.body());
        }
        assertThat(new String(raw("/api/v1/eulas/2026-11", "text/plain").body(), StandardCharsets.UTF_8))
                .startsWith("NODELOCK END-USER LICENSE AGREEMENT").contains("version 2026-11").endsWith(".\n");
        // a token changes nothing
        assertThat(get("/api/v1/eulas", newCustomer().token()).body()).isEqualTo(list.body());
    }

    @Test
    void theAcceptHeaderChoosesJsonOrText() throws Exception {
        assertThat(type(null)).startsWith("application/json");
        assertThat(type("*/*")).startsWith("application/json");
        assertThat(type("application/json")).startsWith("application/json");
        assertThat(type("text/plain")).startsWith("text/plain");
        assertThat(type("text/*")).startsWith("text/plain");
        assertThat(type("application/json;q=0.5, text/plain")).startsWith("text/plain");
        assertThat(type("text/plain;q=0.2, application/json")).startsWith("application/json");
        assertThat(raw("/api/v1/eulas/2026-11", "image/png").statusCode()).isEqualTo(406);
    }

    @Test
    void anUnknownVersionIsA404Problem() {
        Response missing = get("/api/v1/eulas/1999-01", null);
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.headers().firstValue("Content-Type").orElse("")).contains("application/problem+json");
        assertThat(missing.body().path("detail").asText()).contains("1999-01");
    }

    private String type(String accept) throws Exception {
        HttpResponse<byte[]> response = raw("/api/v1/eulas/2026-11", accept);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Vary").orElse("")).contains("Accept");
        return response.headers().firstValue("Content-Type").orElse("");
    }

    private HttpResponse<byte[]> raw(String path, String accept) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).GET();
        if (accept != null) {
            request.header("Accept", accept);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }
}
