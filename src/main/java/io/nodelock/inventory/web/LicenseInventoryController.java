package io.nodelock.inventory.web;

import io.nodelock.account.CurrentAccount;
import io.nodelock.api.Revalidated;
import io.nodelock.inventory.LicenseInventory;
import io.nodelock.inventory.Page;
import io.nodelock.license.License;
import io.nodelock.licensefile.LicenseType;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Inventory")
class LicenseInventoryController {

    private static final Set<String> FILTERS = Set.of("accountId", "status", "feature", "sku", "type", "udiPrefix", "expiresBefore",
            "expiresAfter", "issuedFrom", "issuedTo");
    private static final Set<String> STATUSES = ListParameters.names(License.Status.values());
    private static final Set<String> TYPES = new LinkedHashSet<>(Arrays.stream(LicenseType.values()).map(LicenseType::wireName).toList());

    private final LicenseInventory licenses;
    private final Conditional conditional;

    LicenseInventoryController(LicenseInventory licenses, Conditional conditional) {
        this.licenses = licenses;
        this.conditional = conditional;
    }

    @Revalidated
    @GetMapping("/api/v1/licenses")
    @Operation(summary = "List licenses, newest first", description = "A customer's own licenses; an operator's of every account "
            + "or of accountId. expiresAt is a subscription's end date; permanent licenses never expire and evaluation and "
            + "extension licenses count days of use on the device, so they have none and never match an expiry filter. Cursor "
            + "paging, weak ETag with If-None-Match.")
    ResponseEntity<Page<LicenseInventory.Item>> list(
            @Parameter(description = "Operators: only this account's licenses") @RequestParam(required = false) String accountId,
            @Parameter(description = "ACTIVE, TRANSFERRED, REPLACED, REVOKED or SUPERSEDED; several comma-separated")
            @RequestParam(required = false) String status,
            @Parameter(description = "Feature name, exactly") @RequestParam(required = false) String feature,
            @Parameter(description = "The SKU the license was bought as (kept by RMA and rehost reissues)")
            @RequestParam(required = false) String sku,
            @Parameter(description = "permanent, evaluation, extension or subscription; several comma-separated")
            @RequestParam(required = false) String type,
            @Parameter(description = "Start of the UDI: PID:C1111-4P,SN:FGL2, C1111-4P_FGL2 or a PID prefix")
            @RequestParam(required = false) String udiPrefix,
            @Parameter(description = "expiresAt before this time (exclusive): ISO-8601 with offset, or a date")
            @RequestParam(required = false) String expiresBefore,
            @Parameter(description = "expiresAt at or after this time: ISO-8601 with offset, or a date")
            @RequestParam(required = false) String expiresAfter,
            @Parameter(description = "issuedAt at or after this time: ISO-8601 with offset, or a date")
            @RequestParam(required = false) String issuedFrom,
            @Parameter(description = "issuedAt before this time (exclusive): ISO-8601 with offset, or a date")
            @RequestParam(required = false) String issuedTo,
            @RequestParam(required = false) Integer limit, @RequestParam(required = false) String cursor, HttpServletRequest request) {
        ListParameters.onlyKnown(request, FILTERS);
        var scope = ListParameters.scope(CurrentAccount.get(), accountId);
        Instant after = ListParameters.time("expiresAfter", expiresAfter);
        Instant before = ListParameters.time("expiresBefore", expiresBefore);
        ListParameters.window("expiresAfter", after, "expiresBefore", before);
        Instant issuedFromTime = ListParameters.time("issuedFrom", issuedFrom);
        Instant issuedToTime = ListParameters.time("issuedTo", issuedTo);
        ListParameters.window("issuedFrom", issuedFromTime, "issuedTo", issuedToTime);
        var filter = new LicenseInventory.Filter(ListParameters.oneOf("status", status, STATUSES, ListParameters.upper()),
                ListParameters.text("feature", feature, 64), ListParameters.text("sku", sku, 40),
                ListParameters.oneOf("type", type, TYPES, ListParameters.lower()), ListParameters.udiPrefix(udiPrefix), after, before,
                issuedFromTime, issuedToTime);
        return conditional.answer(licenses.list(scope, filter, ListParameters.cursor(LicenseInventory.LIST, cursor),
                ListParameters.limit(limit)), request);
    }
}
