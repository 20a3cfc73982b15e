package io.nodelock.inventory.web;

import io.nodelock.api.Revalidated;
import io.nodelock.inventory.AccountInventory;
import io.nodelock.inventory.Page;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Set;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Inventory")
class AccountInventoryController {

    private final AccountInventory accounts;
    private final Conditional conditional;

    AccountInventoryController(AccountInventory accounts, Conditional conditional) {
        this.accounts = accounts;
        this.conditional = conditional;
    }

    @Revalidated
    @GetMapping("/api/v1/accounts")
    @PreAuthorize("hasRole('OPERATOR')")
    @Operation(summary = "List accounts, newest first (operators only)", description = "Cursor paging, weak ETag with If-None-Match.")
    ResponseEntity<Page<AccountInventory.Item>> list(@RequestParam(required = false) Integer limit,
                                                     @RequestParam(required = false) String cursor, HttpServletRequest request) {
        ListParameters.onlyKnown(request, Set.of());
        return conditional.answer(accounts.list(ListParameters.cursor(AccountInventory.LIST, cursor), ListParameters.limit(limit)),
                request);
    }
}
