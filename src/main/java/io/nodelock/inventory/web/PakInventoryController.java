package io.nodelock.inventory.web;

import io.nodelock.account.CurrentAccount;
import io.nodelock.api.Revalidated;
import io.nodelock.inventory.Page;
import io.nodelock.inventory.PakInventory;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Set;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Inventory")
class PakInventoryController {

    private static final Set<String> FILTERS = Set.of("accountId", "q", "sku", "hasUnitsLeft");

    private final PakInventory paks;
    private final Conditional conditional;

    PakInventoryController(PakInventory paks, Conditional conditional) {
        this.paks = paks;
        this.conditional = conditional;
    }

    @Revalidated
    @GetMapping("/api/v1/paks")
    @Operation(summary = "List PAKs with their lines and units left, newest first", description = "A customer's own PAKs; an "
            + "operator's of every account or of accountId. Cursor paging, weak ETag with If-None-Match.")
    ResponseEntity<Page<PakInventory.Item>> list(
            @Parameter(description = "Operators: only this account's PAKs") @RequestParam(required = false) String accountId,
            @Parameter(description = "Start of the PAK code, as typed (dashes, spaces and case do not matter)")
            @RequestParam(required = false) String q,
            @Parameter(description = "PAKs with a line of this SKU") @RequestParam(required = false) String sku,
            @Parameter(description = "true: with a unit left (of sku, if given); false: with none left")
            @RequestParam(required = false) String hasUnitsLeft,
            @RequestParam(required = false) Integer limit, @RequestParam(required = false) String cursor, HttpServletRequest request) {
        ListParameters.onlyKnown(request, FILTERS);
        var scope = ListParameters.scope(CurrentAccount.get(), accountId);
        var filter = new PakInventory.Filter(ListParameters.pakPrefix(q), ListParameters.text("sku", sku, 40),
                ListParameters.bool("hasUnitsLeft", hasUnitsLeft));
        return conditional.answer(paks.list(scope, filter, ListParameters.cursor(PakInventory.LIST, cursor), ListParameters.limit(limit)),
                request);
    }
}
