package io.nodelock.license.web;

import io.nodelock.api.ApiProblem;
import io.nodelock.api.Revalidated;
import io.nodelock.license.SigningKeys;
import io.nodelock.licensefile.PublicKeyInfo;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Public keys for devices and verifiers; unauthenticated on purpose, since they are public. */
@RestController
@RequestMapping("/api/v1/keys")
@Tag(name = "Signing keys", description = "Public keys that verify license lines")
class PublicKeyController {

    private final SigningKeys keys;

    PublicKeyController(SigningKeys keys) {
        this.keys = keys;
    }

    record KeyView(String keyId, String algorithm, String publicKey, String pem, boolean active) {
    }

    record KeyList(String activeKeyId, List<KeyView> keys) {
    }

    /**
     * Devices fetch the list, many of them and often; it changes only when the service restarts with another key set.
     * Five minutes bounds how long a device may miss a newly rotated key (it fetches again on a line it cannot verify
     * anyway); the ETag makes each revalidation a 304 without a body.
     */
    private static final CacheControl LIST_CACHE = CacheControl.maxAge(Duration.ofMinutes(5)).cachePublic();
    /** A key id is derived from its key, so what a key id names never changes. */
    private static final CacheControl KEY_CACHE = CacheControl.maxAge(Duration.ofDays(1)).cachePublic();

    @Revalidated
    @GetMapping
    @Operation(summary = "List the public keys that license lines may be signed with",
            description = "Cacheable: Cache-Control public, max-age=300, and an ETag; a request with If-None-Match naming the "
                    + "current ETag answers 304 without a body.")
    ResponseEntity<KeyList> list() {
        KeyList list = new KeyList(keys.activeKeyId(), keys.publishedKeys().stream().map(this::view).toList());
        String etag = etag(list.activeKeyId() + "|" + String.join(",", list.keys().stream().map(KeyView::keyId).toList()));
        // Spring answers a matching If-None-Match with 304 itself for a ResponseEntity that carries an ETag.
        return ResponseEntity.ok().eTag(etag).cacheControl(LIST_CACHE).body(list);
    }

    @Revalidated
    @GetMapping(value = "/{keyId}.pem", produces = "application/x-pem-file")
    @Operation(summary = "Download one public key as PEM (SubjectPublicKeyInfo)")
    ResponseEntity<String> pem(@PathVariable String keyId) {
        return ResponseEntity.ok().cacheControl(KEY_CACHE).eTag(etag(keyId)).body(find(keyId).toPem());
    }

    @GetMapping(value = "/{keyId}", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "One public key by key id")
    KeyView get(@PathVariable String keyId) {
        return view(find(keyId));
    }

    private static String etag(String content) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(content.getBytes(StandardCharsets.UTF_8));
            return "\"" + HexFormat.of().formatHex(digest, 0, 16) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private PublicKeyInfo find(String keyId) {
        return keys.publishedKeys().stream().filter(k -> k.keyId().equals(keyId)).findFirst()
                .orElseThrow(() -> ApiProblem.notFound("Key", keyId));
    }

    private KeyView view(PublicKeyInfo key) {
        return new KeyView(key.keyId(), "Ed25519", key.base64(), key.toPem(), key.keyId().equals(keys.activeKeyId()));
    }
}
