package io.nodelock.eula.web;

import io.nodelock.api.ApiProblem;
import io.nodelock.api.Revalidated;
import io.nodelock.eula.Eula;
import io.nodelock.eula.EulaConsents;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The EULA texts, open to anyone like the public keys: a customer reads the agreement before accepting it, also
 * before holding an API token or from a device's network, and the text is no secret. The hash served is the SHA-256
 * of the UTF-8 text exactly as {@code text/plain} serves it, so a client can show the text, hash it, and compare.
 */
@RestController
@RequestMapping("/api/v1/eulas")
@Tag(name = "EULA", description = "The end-user license agreement, by version")
class EulaController {

    private static final MediaType TEXT = new MediaType("text", "plain", StandardCharsets.UTF_8);

    private final EulaConsents eulas;

    EulaController(EulaConsents eulas) {
        this.eulas = eulas;
    }

    record EulaSummary(String version, String title, String sha256, boolean current, Map<String, String> links) {
    }

    record EulaList(String currentVersion, List<EulaSummary> eulas) {
    }

    record EulaView(String version, String title, String sha256, boolean current, String text) {
    }

    @GetMapping(produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Every version of the EULA, with the SHA-256 of its text; 'current' is the one to accept")
    EulaList list() {
        String current = currentVersion();
        return new EulaList(current, eulas.all().stream().map(e -> new EulaSummary(e.version(), e.title(), e.sha256(),
                e.version().equals(current), Map.of("self", EulaConsents.TEXT_PATH + e.version()))).toList());
    }

    @Revalidated
    @GetMapping(value = "/{version}", produces = {MediaType.APPLICATION_JSON_VALUE, MediaType.TEXT_PLAIN_VALUE})
    @Operation(summary = "One version of the EULA: JSON with its text, or the text alone with Accept: text/plain")
    ResponseEntity<?> get(@PathVariable String version, @RequestHeader(name = HttpHeaders.ACCEPT, required = false) String accept) {
        Eula eula = eulas.find(version).orElseThrow(() -> ApiProblem.notFound("EULA version", version));
        ResponseEntity.BodyBuilder ok = ResponseEntity.ok()
                .eTag("\"" + eula.sha256() + "\"")
                // RFC 9530: the digest of exactly the bytes of the text/plain representation
                .header("Repr-Digest", "sha-256=:" + Base64.getEncoder().encodeToString(HexFormat.of().parseHex(eula.sha256())) + ":")
                .header(HttpHeaders.VARY, HttpHeaders.ACCEPT);
        if (prefersText(accept)) {
            return ok.contentType(TEXT).body(eula.text());
        }
        return ok.contentType(MediaType.APPLICATION_JSON)
                .body(new EulaView(eula.version(), eula.title(), eula.sha256(), eula.version().equals(currentVersion()), eula.text()));
    }

    private String currentVersion() {
        return eulas.all().isEmpty() ? null : eulas.current().version();
    }

    /**
     * True if the client's most preferred acceptable type is plain text rather than JSON. JSON is the default, as
     * everywhere in the API: without Accept, with {@code *}{@code /*}, or on a tie.
     */
    static boolean prefersText(String accept) {
        if (accept == null || accept.isBlank()) {
            return false;
        }
        List<MediaType> types = new ArrayList<>(MediaType.parseMediaTypes(accept));
        // stable: of equal quality, the first listed wins
        types.sort(Collections.reverseOrder((a, b) -> Double.compare(a.getQualityValue(), b.getQualityValue())));
        for (MediaType type : types) {
            if (type.getQualityValue() == 0) {
                continue;
            }
            boolean json = type.includes(MediaType.APPLICATION_JSON);
            boolean text = type.includes(MediaType.TEXT_PLAIN);
            if (json || text) {
                return text && !json;
            }
        }
        return false;
    }
}
