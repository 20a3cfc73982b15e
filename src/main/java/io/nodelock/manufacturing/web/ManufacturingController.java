package io.nodelock.manufacturing.web;

import io.nodelock.account.CurrentAccount;
import io.nodelock.api.ApiProblem;
import io.nodelock.manufacturing.ManufacturingDevice;
import io.nodelock.manufacturing.ManufacturingIntake;
import io.nodelock.manufacturing.ManufacturingIntake.Download;
import io.nodelock.manufacturing.ManufacturingOrder;
import io.nodelock.manufacturing.ManufacturingOrderStatus;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/manufacturing-orders")
@PreAuthorize("hasRole('OPERATOR')")
@Tag(name = "Manufacturing", description = "Make many certified devices with preinstalled licenses (operators)")
class ManufacturingController {

    private static final String BASE = "/api/v1/manufacturing-orders/";

    private final ManufacturingIntake intake;

    ManufacturingController(ManufacturingIntake intake) {
        this.intake = intake;
    }

    record Progress(int total, int made, int failed, int done, int percent) {
    }

    record DeviceView(String udi, List<String> skus, String state, String certificateSerial, String deviceKeyId,
                      List<String> licenseIds, Map<String, String> failure, String bundle) {
    }

    record MailView(String recipient, String status, Instant sentAt) {
    }

    record OrderView(UUID id, String accountId, String requestedBy, String reference, String mode, String pakCode, List<String> skus,
                     String eulaVersion, String status, Progress progress, List<DeviceView> devices, String archive,
                     Map<String, String> rejection, MailView mail, Instant createdAt, Instant completedAt, Instant erasedAt) {
    }

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Submit a manufacturing order (operators only)", description = "Either devices (each {udi, skus}) or "
            + "pakCode with skus and udis (every device gets one unit of each SKU from the account's PAK). Checked at once: bad "
            + "input is a 400, another account's or certified device a 409, a PAK without enough units a 422 (nothing is "
            + "recorded). 201 with a Location to poll (docs/manufacturing.md).")
    ResponseEntity<OrderView> submit(@RequestBody ManufacturingIntake.OrderRequest body) {
        ManufacturingOrder order = intake.submit(CurrentAccount.get().id(), body);
        return ResponseEntity.created(URI.create(BASE + order.id())).body(view(order));
    }

    @GetMapping("/{id}")
    @Operation(summary = "Status, progress and devices of a manufacturing order")
    OrderView get(@PathVariable String id) {
        return view(intake.find(uuid(id)).orElseThrow(() -> ApiProblem.notFound("manufacturing order", id)));
    }

    // Content types are set on the answer rather than declared, so a problem answer still reaches a client that asked
    // for JSON (see DeviceController's bundle).
    @GetMapping("/{id}/archive")
    @Operation(summary = "Download the factory archive (ZIP of every bundle and manifest.csv)", description = "409 until the "
            + "order is complete, 410 once its bundles were erased. Holds the devices' private keys. Audited.")
    @ApiResponse(responseCode = "200", description = "application/zip", content = @Content(mediaType = "application/zip",
            schema = @Schema(type = "string", format = "binary")))
    ResponseEntity<byte[]> archive(@PathVariable String id) {
        return answer(id, intake.archive(uuid(id), CurrentAccount.get().id()), MediaType.parseMediaType("application/zip"));
    }

    @GetMapping("/{id}/devices/{udi}/bundle")
    @Operation(summary = "Download one device's NLMB1 bundle", description = "{udi} is the UDI or the bundle's file name as "
            + "manifest.csv names it (a PID's / written ~). 409 until the order is complete, 410 once erased. Audited.")
    @ApiResponse(responseCode = "200", description = "The NLMB1 manufacturing bundle", content = @Content(mediaType = "text/plain",
            schema = @Schema(type = "string")))
    ResponseEntity<byte[]> bundle(@PathVariable String id, @PathVariable String udi) {
        return answer(id, intake.bundle(uuid(id), udi, CurrentAccount.get().id()), MediaType.TEXT_PLAIN);
    }

    @DeleteMapping("/{id}/bundles")
    @Operation(summary = "Erase the stored bundles and archive of a completed order (the factory has them)", description =
            "The devices' private keys are no longer kept; downloads answer 410 from then on. Audited.")
    OrderView erase(@PathVariable String id) {
        UUID uuid = uuid(id);
        switch (intake.erase(uuid, CurrentAccount.get().id())) {
            case NOT_FOUND -> throw ApiProblem.notFound("manufacturing order", id);
            case NOT_COMPLETE -> throw new ApiProblem(HttpStatus.CONFLICT, "order-not-complete", "Order not complete",
                    "Only a completed order's bundles can be erased; this one is " + intake.find(uuid).map(o -> o.status().name())
                            .orElse("?") + ".");
            case ERASED, ALREADY_ERASED -> {
            }
        }
        return get(id);
    }

    private ResponseEntity<byte[]> answer(String id, Download download, MediaType type) {
        if (download instanceof Download.Ready ready) {
            return ResponseEntity.ok().contentType(type).cacheControl(CacheControl.noStore())
                    .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + ready.fileName() + "\"").body(ready.content());
        }
        if (download instanceof Download.NotReady notReady) {
            throw new ApiProblem(HttpStatus.CONFLICT, "order-not-complete", "Order not complete",
                    notReady.status() == ManufacturingOrderStatus.REJECTED ? "This order was refused; it has no bundles."
                            : "The order is " + notReady.status() + "; its bundles are ready once it is COMPLETED (a failed "
                            + "device has none).");
        }
        if (download instanceof Download.Erased erased) {
            throw new ApiProblem(HttpStatus.GONE, "bundles-erased", "Bundles erased",
                    "The stored bundles of this order were erased at " + erased.at() + " (the factory had them).");
        }
        throw ApiProblem.notFound("manufacturing order or device", id);
    }

    private static UUID uuid(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw ApiProblem.notFound("manufacturing order", id);
        }
    }

    private OrderView view(ManufacturingOrder o) {
        List<DeviceView> devices = intake.devices(o.id()).stream().map(d -> deviceView(o, d)).toList();
        MailView mail = intake.mail(o.id()).map(m -> new MailView(m.recipient(), m.status().name(), m.sentAt())).orElse(null);
        return new OrderView(o.id(), o.accountId(), o.requestedBy(), o.reference(), o.mode().name(), o.pakCode(), o.pakSkus(),
                o.eulaVersion(), o.status().name(), new Progress(o.deviceCount(), o.devicesMade(), o.devicesFailed(), o.devicesDone(),
                o.percent()), devices, o.status() == ManufacturingOrderStatus.COMPLETED ? BASE + o.id() + "/archive" : null,
                o.rejectionCode() == null ? null : Map.of("code", o.rejectionCode(), "message", o.rejectionMessage()), mail,
                o.createdAt(), o.completedAt(), o.erasedAt());
    }

    private static DeviceView deviceView(ManufacturingOrder o, ManufacturingDevice d) {
        boolean downloadable = o.status() == ManufacturingOrderStatus.COMPLETED && d.bundleStored();
        return new DeviceView(d.udi().toString(), d.skus(), d.state().name(), d.certificateSerial(), d.deviceKeyId(), d.licenseIds(),
                d.failureCode() == null ? null : Map.of("code", d.failureCode(), "message", d.failureMessage()),
                downloadable ? BASE + o.id() + "/devices/" + ManufacturingIntake.bundleName(d) + "/bundle" : null);
    }
}
