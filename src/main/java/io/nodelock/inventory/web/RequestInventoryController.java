package io.nodelock.inventory.web;

import io.nodelock.account.CurrentAccount;
import io.nodelock.api.Revalidated;
import io.nodelock.inventory.Keyset;
import io.nodelock.inventory.Page;
import io.nodelock.inventory.RequestInventory;
import io.nodelock.inventory.RequestKind;
import io.nodelock.inventory.Scope;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The requests of every flow: each flow's list at its own collection URL (whose POST submits one), and their union at
 * /api/v1/requests.
 */
@RestController
@Tag(name = "Inventory")
class RequestInventoryController {

    private static final Set<String> FILTERS = Set.of("accountId", "status", "udiPrefix", "createdFrom", "createdTo");
    private static final String PAGING = "Cursor paging (limit 1 to 200, cursor = the previous page's next), weak ETag with "
            + "If-None-Match. A customer's own requests; an operator's of every account or of accountId.";

    private final RequestInventory requests;
    private final Conditional conditional;

    RequestInventoryController(RequestInventory requests, Conditional conditional) {
        this.requests = requests;
        this.conditional = conditional;
    }

    /** The query of one list, read and checked. */
    private record Query(Scope scope, RequestInventory.Filter filter, Keyset cursor, int limit) {
    }

    @Revalidated
    @GetMapping("/api/v1/fulfillments")
    @Operation(summary = "List fulfillments, newest first", description = PAGING)
    ResponseEntity<Page<RequestInventory.FulfillmentItem>> fulfillments(
            @RequestParam(required = false) String accountId, @Parameter(description = "SUBMITTED, ISSUED or REJECTED; "
                    + "several comma-separated") @RequestParam(required = false) String status,
            @RequestParam(required = false) String udiPrefix, @RequestParam(required = false) String createdFrom,
            @RequestParam(required = false) String createdTo, @RequestParam(required = false) Integer limit,
            @RequestParam(required = false) String cursor, HttpServletRequest request) {
        Query q = query(EnumSet.of(RequestKind.FULFILLMENT), RequestKind.FULFILLMENT.list(), accountId, status, udiPrefix,
                createdFrom, createdTo, limit, cursor, request, FILTERS);
        return conditional.answer(requests.fulfillments(q.scope(), q.filter(), q.cursor(), q.limit()), request);
    }

    @Revalidated
    @GetMapping("/api/v1/rmas")
    @Operation(summary = "List RMAs, newest first", description = "udiPrefix matches the failed or the replacement device. " + PAGING)
    ResponseEntity<Page<RequestInventory.RmaItem>> rmas(
            @RequestParam(required = false) String accountId, @Parameter(description = "SUBMITTED, IN_REVIEW, ISSUED or REJECTED; "
                    + "several comma-separated") @RequestParam(required = false) String status,
            @RequestParam(required = false) String udiPrefix, @RequestParam(required = false) String createdFrom,
            @RequestParam(required = false) String createdTo, @RequestParam(required = false) Integer limit,
            @RequestParam(required = false) String cursor, HttpServletRequest request) {
        Query q = query(EnumSet.of(RequestKind.RMA), RequestKind.RMA.list(), accountId, status, udiPrefix, createdFrom, createdTo,
                limit, cursor, request, FILTERS);
        return conditional.answer(requests.rmas(q.scope(), q.filter(), q.cursor(), q.limit()), request);
    }

    @Revalidated
    @GetMapping("/api/v1/rehosts")
    @Operation(summary = "List rehosts, newest first", description = "udiPrefix matches the source or the destination device. "
            + PAGING)
    ResponseEntity<Page<RequestInventory.RehostItem>> rehosts(
            @RequestParam(required = false) String accountId, @Parameter(description = "SUBMITTED, AWAITING_REHOST_TICKET, "
                    + "REHOST_TICKET_RECEIVED, ISSUED, EXPIRED or REJECTED; several comma-separated")
            @RequestParam(required = false) String status,
            @RequestParam(required = false) String udiPrefix, @RequestParam(required = false) String createdFrom,
            @RequestParam(required = false) String createdTo, @RequestParam(required = false) Integer limit,
            @RequestParam(required = false) String cursor, HttpServletRequest request) {
        Query q = query(EnumSet.of(RequestKind.REHOST), RequestKind.REHOST.list(), accountId, status, udiPrefix, createdFrom,
                createdTo, limit, cursor, request, FILTERS);
        return conditional.answer(requests.rehosts(q.scope(), q.filter(), q.cursor(), q.limit()), request);
    }

    @Revalidated
    @GetMapping("/api/v1/extensions")
    @Operation(summary = "List extension requests, newest first", description = PAGING)
    ResponseEntity<Page<RequestInventory.ExtensionItem>> extensions(
            @RequestParam(required = false) String accountId, @Parameter(description = "SUBMITTED, AWAITING_TAC, AWAITING_LEAD, "
                    + "ISSUED, REJECTED or CANCELLED; several comma-separated") @RequestParam(required = false) String status,
            @RequestParam(required = false) String udiPrefix, @RequestParam(required = false) String createdFrom,
            @RequestParam(required = false) String createdTo, @RequestParam(required = false) Integer limit,
            @RequestParam(required = false) String cursor, HttpServletRequest request) {
        Query q = query(EnumSet.of(RequestKind.EXTENSION), RequestKind.EXTENSION.list(), accountId, status, udiPrefix,
                createdFrom, createdTo, limit, cursor, request, FILTERS);
        return conditional.answer(requests.extensions(q.scope(), q.filter(), q.cursor(), q.limit()), request);
    }

    @Revalidated
    @GetMapping("/api/v1/resends")
    @Operation(summary = "List resends, newest first", description = PAGING)
    ResponseEntity<Page<RequestInventory.ResendItem>> resends(
            @RequestParam(required = false) String accountId, @Parameter(description = "SUBMITTED, ISSUED or REJECTED; several "
                    + "comma-separated") @RequestParam(required = false) String status,
            @RequestParam(required = false) String udiPrefix, @RequestParam(required = false) String createdFrom,
            @RequestParam(required = false) String createdTo, @RequestParam(required = false) Integer limit,
            @RequestParam(required = false) String cursor, HttpServletRequest request) {
        Query q = query(EnumSet.of(RequestKind.RESEND), RequestKind.RESEND.list(), accountId, status, udiPrefix, createdFrom,
                createdTo, limit, cursor, request, FILTERS);
        return conditional.answer(requests.resends(q.scope(), q.filter(), q.cursor(), q.limit()), request);
    }

    @Revalidated
    @GetMapping("/api/v1/requests")
    @Operation(summary = "Every flow's requests in one list, newest first", description = "Fulfillments, RMAs, rehosts, extensions "
            + "and resends, each with its kind, status, first device, a one-line summary and its detail URL (self). The ETag "
            + "changes when any listed status changes: poll with If-None-Match. " + PAGING)
    ResponseEntity<Page<RequestInventory.Request>> all(
            @RequestParam(required = false) String accountId,
            @Parameter(description = "fulfillment, rma, rehost, extension or resend; several comma-separated")
            @RequestParam(required = false) String kind,
            @Parameter(description = "Any status of a listed kind; several comma-separated") @RequestParam(required = false) String status,
            @RequestParam(required = false) String udiPrefix, @RequestParam(required = false) String createdFrom,
            @RequestParam(required = false) String createdTo, @RequestParam(required = false) Integer limit,
            @RequestParam(required = false) String cursor, HttpServletRequest request) {
        Set<String> kindNames = new LinkedHashSet<>(Arrays.stream(RequestKind.values()).map(RequestKind::wireName).toList());
        Set<String> chosen = ListParameters.oneOf("kind", kind, kindNames, ListParameters.lower());
        Set<RequestKind> kinds = chosen == null ? EnumSet.allOf(RequestKind.class)
                : chosen.stream().map(k -> RequestKind.fromWire(k).orElseThrow()).collect(Collectors.toCollection(() -> EnumSet.noneOf(RequestKind.class)));
        Set<String> filters = new TreeSet<>(FILTERS);
        filters.add("kind");
        Query q = query(kinds, RequestInventory.UNION_LIST, accountId, status, udiPrefix, createdFrom, createdTo, limit, cursor,
                request, filters);
        return conditional.answer(requests.requests(q.scope(), q.filter(), q.cursor(), q.limit()), request);
    }

    private static Query query(Set<RequestKind> kinds, String list, String accountId, String status, String udiPrefix,
                               String createdFrom, String createdTo, Integer limit, String cursor, HttpServletRequest request,
                               Set<String> filters) {
        ListParameters.onlyKnown(request, filters);
        Scope scope = ListParameters.scope(CurrentAccount.get(), accountId);
        Set<String> statuses = new LinkedHashSet<>();
        kinds.forEach(k -> statuses.addAll(k.statuses()));
        Instant from = ListParameters.time("createdFrom", createdFrom);
        Instant to = ListParameters.time("createdTo", createdTo);
        ListParameters.window("createdFrom", from, "createdTo", to);
        RequestInventory.Filter filter = new RequestInventory.Filter(kinds, ListParameters.oneOf("status", status, statuses,
                ListParameters.upper()), ListParameters.udiPrefix(udiPrefix), from, to);
        return new Query(scope, filter, ListParameters.cursor(list, cursor, true), ListParameters.limit(limit));
    }
}
