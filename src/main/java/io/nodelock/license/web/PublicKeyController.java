package io.nodelock.license.web;

import io.nodelock.api.ApiProblem;
import io.nodelock.license.SigningKeys;
import io.nodelock.licensefile.PublicKeyInfo;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import org.springframework.http.MediaType;
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

    @GetMapping
    @Operation(summary = "List the public keys that license lines may be signed with")
    KeyList list() {
        return new KeyList(keys.activeKeyId(), keys.publishedKeys().stream().map(this::view).toList());
    }

    @GetMapping(value = "/{keyId}.pem", produces = "application/x-pem-file")
    @Operation(summary = "Download one public key as PEM (SubjectPublicKeyInfo)")
    String pem(@PathVariable String keyId) {
        return find(keyId).toPem();
    }

    @GetMapping(value = "/{keyId}", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "One public key by key id")
    KeyView get(@PathVariable String keyId) {
        return view(find(keyId));
    }

    private PublicKeyInfo find(String keyId) {
        return keys.publishedKeys().stream().filter(k -> k.keyId().equals(keyId)).findFirst()
                .orElseThrow(() -> ApiProblem.notFound("Key", keyId));
    }

    private KeyView view(PublicKeyInfo key) {
        return new KeyView(key.keyId(), "Ed25519", key.base64(), key.toPem(), key.keyId().equals(keys.activeKeyId()));
    }
}
