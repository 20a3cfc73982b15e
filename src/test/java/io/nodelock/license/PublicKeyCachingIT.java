package io.nodelock.license;

import static org.assertj.core.api.Assertions.assertThat;

import io.nodelock.support.ServiceIT;
import java.net.URI;
import java.net.http.HttpRequest;
import org.junit.jupiter.api.Test;

/** Devices fetch the public keys often: the list is cacheable and revalidates with a 304 that carries no body. */
class PublicKeyCachingIT extends ServiceIT {

    @Test
    void theKeyListIsCacheableAndRevalidatesByETag() {
        Response first = get("/api/v1/keys", null);
        assertThat(first.status()).isEqualTo(200);
        String etag = first.headers().firstValue("ETag").orElseThrow();
        assertThat(etag).matches("\"[0-9a-f]{32}\"");
        assertThat(first.headers().allValues("Cache-Control")).containsExactly("max-age=300, public");
        assertThat(first.headers().firstValue("Pragma")).isEmpty();

        Response again = get("/api/v1/keys", null);
        assertThat(again.headers().firstValue("ETag")).contains(etag);

        Response notModified = conditional("/api/v1/keys", etag);
        assertThat(notModified.status()).isEqualTo(304);
        assertThat(notModified.raw()).isEmpty();
        assertThat(notModified.headers().firstValue("ETag")).contains(etag);
        assertThat(notModified.headers().allValues("Cache-Control")).containsExactly("max-age=300, public");

        assertThat(conditional("/api/v1/keys", "\"0000\"").status()).isEqualTo(200);

        String keyId = first.body().path("activeKeyId").asText();
        Response pem = get("/api/v1/keys/" + keyId + ".pem", null);
        assertThat(pem.status()).isEqualTo(200);
        assertThat(pem.headers().allValues("Cache-Control")).containsExactly("max-age=86400, public");
        assertThat(conditional("/api/v1/keys/" + keyId + ".pem", pem.headers().firstValue("ETag").orElseThrow()).status()).isEqualTo(304);
    }

    private Response conditional(String path, String etag) {
        return send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).header("If-None-Match", etag).GET().build());
    }
}
