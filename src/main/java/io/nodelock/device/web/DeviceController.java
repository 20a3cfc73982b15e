package io.nodelock.device.web;

import io.nodelock.account.Accounts;
import io.nodelock.account.CurrentAccount;
import io.nodelock.api.ApiProblem;
import io.nodelock.device.DeviceBundles;
import io.nodelock.device.DeviceRegistry;
import io.nodelock.licensefile.Udi;
import io.nodelock.licensefile.UdiSyntaxException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/devices")
@Tag(name = "Devices", description = "Which account a device belongs to (operators)")
class DeviceController {

    private final DeviceRegistry registry;
    private final DeviceBundles bundles;
    private final Accounts accounts;

    DeviceController(DeviceRegistry registry, DeviceBundles bundles, Accounts accounts) {
        this.registry = registry;
        this.bundles = bundles;
        this.accounts = accounts;
    }

    record BundleRequest(String accountId, String udi, String reference) {
    }

    record ShipmentRequest(String accountId, String reference, List<String> udis) {
    }

    record ReleaseRequest(String udi, String toAccountId, String reason) {
    }

    @PostMapping(value = "/shipments", consumes = MediaType.APPLICATION_JSON_VALUE)
    @PreAuthorize("hasRole('OPERATOR')")
    @Operation(summary = "Record that devices ship to an account (operators only)", description = "From then on the UDIs are "
            + "the account's: no other account's fulfillment can claim them, and they may be RMA replacements. All or nothing: "
            + "a UDI another account holds is a 409 listing it.")
    DeviceRegistry.ShipmentResult ship(@RequestBody ShipmentRequest body) {
        account(body.accountId());
        String reference = text("reference", body.reference(), 100);
        if (body.udis() == null || body.udis().isEmpty() || body.udis().size() > 1000) {
            throw ApiProblem.invalid("udis", "udis must list 1 to 1000 UDIs");
        }
        List<Udi> udis = new ArrayList<>();
        for (int i = 0; i < body.udis().size(); i++) {
            udis.add(udi("udis[" + i + "]", body.udis().get(i)));
        }
        try {
            return registry.ship(CurrentAccount.get().id(), body.accountId(), reference, udis);
        } catch (DeviceRegistry.ShipmentConflict conflict) {
            throw new ApiProblem(HttpStatus.CONFLICT, "device-of-another-account", "Devices held by other accounts",
                    conflict.getMessage() + "; nothing was recorded.", List.of(), Map.of("conflicts", conflict.conflicts().stream()
                    .map(c -> Map.of("udi", c.udi(), "reason", c.reason())).toList()));
        }
    }

    // The content type is set on the answer rather than declared: a declared text/plain would turn a client's Accept of
    // JSON (for the problem details of a refusal) into a 406 before the request is even read.
    @PostMapping(value = "/bundles", consumes = MediaType.APPLICATION_JSON_VALUE)
    @PreAuthorize("hasRole('OPERATOR')")
    @Operation(summary = "Make a certified device: its manufacturing bundle (operators only)", description = "Records that the "
            + "device ships to the account, generates its device key, certifies it with the service's manufacturing authority, "
            + "records it as the UDI's key and answers the NLMB1 bundle (docs/device-identity.md). The bundle holds the device's "
            + "private key, which the service does not keep: store the answer like a secret. A UDI another account holds, or "
            + "one with a certified key already, is a 409.")
    @ApiResponse(responseCode = "200", description = "The NLMB1 manufacturing bundle", content = @Content(mediaType = "text/plain",
            schema = @Schema(type = "string")))
    ResponseEntity<String> bundle(@RequestBody BundleRequest body) {
        account(body.accountId());
        Udi udi = udi("udi", body.udi());
        String reference = text("reference", body.reference(), 100);
        try {
            return ResponseEntity.ok().contentType(MediaType.TEXT_PLAIN).cacheControl(CacheControl.noStore())
                    .body(bundles.issue(CurrentAccount.get().id(), body.accountId(), udi, reference));
        } catch (DeviceRegistry.ShipmentConflict conflict) {
            throw new ApiProblem(HttpStatus.CONFLICT, "device-of-another-account", "Device held by another account",
                    udi.binding() + " is held by another account; nothing was recorded.", List.of(), Map.of("conflicts", conflict
                    .conflicts().stream().map(c -> Map.of("udi", c.udi(), "reason", c.reason())).toList()));
        } catch (DeviceBundles.AlreadyCertified certified) {
            throw new ApiProblem(HttpStatus.CONFLICT, "device-already-certified", "Device already certified",
                    certified.getMessage() + "; nothing was recorded.");
        } catch (org.springframework.dao.DuplicateKeyException race) {
            // Two bundles for one new UDI at once: the database let one through, and the other rolled back whole.
            throw new ApiProblem(HttpStatus.CONFLICT, "device-already-certified", "Device already certified",
                    udi.binding() + " was certified by a concurrent request; nothing was recorded.");
        }
    }

    record ReleaseResult(String udi, String accountId, List<String> revokedLicenses) {
    }

    @PostMapping(value = "/release", consumes = MediaType.APPLICATION_JSON_VALUE)
    @PreAuthorize("hasRole('OPERATOR')")
    @Operation(summary = "Give a device that another account claimed to the account its shipping record names (operators only)",
            description = "The claimer's active licenses on the device are revoked. Audited as device.released.")
    ReleaseResult release(@RequestBody ReleaseRequest body) {
        Udi udi = udi("udi", body.udi());
        account(body.toAccountId());
        String reason = text("reason", body.reason(), 300);
        List<String> revoked = registry.release(CurrentAccount.get().id(), udi, body.toAccountId(), reason)
                .orElseThrow(() -> ApiProblem.notFound("device", udi.binding()));
        return new ReleaseResult(udi.binding(), body.toAccountId(), revoked);
    }

    private void account(String accountId) {
        if (accountId == null || !accounts.exists(accountId)) {
            throw ApiProblem.invalid("accountId", "no account '" + accountId + "'");
        }
    }

    private static String text(String field, String value, int max) {
        if (value == null || value.isBlank() || value.length() > max) {
            throw ApiProblem.invalid(field, field + " must be 1 to " + max + " characters");
        }
        return value.strip();
    }

    private static Udi udi(String field, String text) {
        if (text == null) {
            throw ApiProblem.invalid(field, field + " is missing: PID:<product id>,SN:<serial number>");
        }
        try {
            return Udi.parse(text);
        } catch (UdiSyntaxException e) {
            throw ApiProblem.invalid(field, field + ": " + e.getMessage());
        }
    }
}
