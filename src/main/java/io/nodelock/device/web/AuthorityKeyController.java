package io.nodelock.device.web;

import io.nodelock.device.DeviceAuthority;
import io.nodelock.licensefile.PublicKeyInfo;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** The manufacturing authorities whose device certificates the service trusts; public, like the signing keys. */
@RestController
@RequestMapping("/api/v1/keys/authorities")
@Tag(name = "Signing keys", description = "Public keys that verify license lines")
class AuthorityKeyController {

    private final DeviceAuthority authority;

    AuthorityKeyController(DeviceAuthority authority) {
        this.authority = authority;
    }

    record AuthorityView(String keyId, String algorithm, String publicKey, String pem, boolean issuing) {
    }

    record AuthorityList(String issuingKeyId, List<AuthorityView> keys) {
    }

    @GetMapping
    @Operation(summary = "List the manufacturing authority keys whose device certificates the service trusts",
            description = "issuing marks the service's own authority, which certifies the devices of POST /api/v1/devices/bundles.")
    AuthorityList list() {
        return new AuthorityList(authority.keyId(), authority.trustedKeys().stream().map(this::view).toList());
    }

    private AuthorityView view(PublicKeyInfo key) {
        return new AuthorityView(key.keyId(), "Ed25519", key.base64(), key.toPem(), key.keyId().equals(authority.keyId()));
    }
}
