package io.nodelock.inventory.web;

import io.nodelock.account.CurrentAccount;
import io.nodelock.api.ApiProblem;
import io.nodelock.api.Revalidated;
import io.nodelock.inventory.DeviceInventory;
import io.nodelock.inventory.Page;
import io.nodelock.licensefile.Udi;
import io.nodelock.licensefile.UdiSyntaxException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Set;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Inventory", description = "Paged, filtered lists of what an account holds, and each device's license history "
        + "(docs/inventory.md)")
class DeviceInventoryController {

    private static final Set<String> FILTERS = Set.of("accountId", "udiPrefix", "product", "feature", "locked");

    private final DeviceInventory devices;
    private final Conditional conditional;

    DeviceInventoryController(DeviceInventory devices, Conditional conditional) {
        this.devices = devices;
        this.conditional = conditional;
    }

    @Revalidated
    @GetMapping("/api/v1/devices")
    @Operation(summary = "List devices, newest first", description = "A customer's own devices; an operator's of every account "
            + "or of accountId. Each with its license counts. Cursor paging (limit 1 to 200, cursor = the previous page's next), "
            + "weak ETag with If-None-Match.")
    ResponseEntity<Page<DeviceInventory.Item>> list(
            @Parameter(description = "Operators: only this account's devices") @RequestParam(required = false) String accountId,
            @Parameter(description = "Start of the UDI: PID:C1111-4P,SN:FGL2, C1111-4P_FGL2 or a PID prefix")
            @RequestParam(required = false) String udiPrefix,
            @Parameter(description = "Product ID (PID), exactly") @RequestParam(required = false) String product,
            @Parameter(description = "Devices with an active license of this feature") @RequestParam(required = false) String feature,
            @Parameter(description = "true: locked devices only; false: unlocked only") @RequestParam(required = false) String locked,
            @RequestParam(required = false) Integer limit, @RequestParam(required = false) String cursor, HttpServletRequest request) {
        ListParameters.onlyKnown(request, FILTERS);
        var scope = ListParameters.scope(CurrentAccount.get(), accountId);
        var filter = new DeviceInventory.Filter(ListParameters.udiPrefix(udiPrefix), ListParameters.text("product", product, 18),
                ListParameters.text("feature", feature, 64), ListParameters.bool("locked", locked));
        return conditional.answer(devices.list(scope, filter, ListParameters.cursor(DeviceInventory.LIST, cursor),
                ListParameters.limit(limit)), request);
    }

    @Revalidated
    @GetMapping("/api/v1/devices/{udi}")
    @Operation(summary = "A device with its licenses and license history", description = "{udi} is the UDI (PID:...,SN:..., "
            + "URL-encoded) or PID_SN (as the device's self link); in both, a PID's / is written ~. Another account's device is 404, like "
            + "an unknown one. Weak ETag with If-None-Match.")
    ResponseEntity<DeviceInventory.Detail> get(@PathVariable String udi, HttpServletRequest request) {
        ListParameters.onlyThese(request, Set.of());
        Udi parsed = parse(udi);
        var caller = CurrentAccount.get();
        var scope = ListParameters.scope(caller, null);
        return conditional.answer(devices.find(scope, parsed).orElseThrow(() -> ApiProblem.notFound("device", parsed.binding())),
                request);
    }

    private static Udi parse(String text) {
        try {
            // An encoded / (%2F) never reaches the application (Tomcat and the firewall refuse it): ~ stands for it.
            if (text.startsWith("PID:")) {
                return Udi.parse(text.replace('~', '/'));
            }
            int underscore = text.indexOf('_');
            if (underscore > 0) {
                return Udi.parse("PID:" + text.substring(0, underscore).replace('~', '/') + ",SN:" + text.substring(underscore + 1));
            }
        } catch (UdiSyntaxException e) {
            throw ApiProblem.invalid("udi", "udi: " + e.getMessage());
        }
        throw ApiProblem.invalid("udi", "udi must be a UDI (PID:<pid>,SN:<sn>, URL-encoded) or PID_SN, a PID's / written ~");
    }
}
