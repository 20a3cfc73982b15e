package io.nodelock.bulk.web;

import io.nodelock.account.Account;
import io.nodelock.account.CurrentAccount;
import io.nodelock.account.Role;
import io.nodelock.api.ApiProblem;
import io.nodelock.api.Problems;
import io.nodelock.bulk.BulkFulfillment;
import io.nodelock.bulk.BulkIntake;
import io.nodelock.bulk.BulkRow;
import io.nodelock.bulk.BulkStatus;
import io.nodelock.eula.ConsentOrigin;
import io.nodelock.inventory.Keyset;
import io.nodelock.pak.PakCode;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping(BulkFulfillmentController.BASE)
@Tag(name = "Bulk fulfillment", description = "Fulfill up to 10,000 devices from one upload (docs/bulk-fulfillment.md)")
class BulkFulfillmentController {

    static final String BASE = "/api/v1/bulk-fulfillments";
    /** A CSV of 10,000 rows is well under 1 MiB; anything much larger is not a bulk of this service. */
    static final int MAX_CSV_BYTES = 4 * 1024 * 1024;
    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 200;
    private static final String LIST = "bulk-fulfillments";

    private final BulkIntake intake;

    BulkFulfillmentController(BulkIntake intake) {
        this.intake = intake;
    }

    /** {@code eulaAccepted}: only JSON {@code true} is consent to the current EULA, for rows whose SKU needs it. */
    record SubmitRequest(String pakCode, String email, Object eulaAccepted, List<BulkIntake.RowRequest> rows) {
    }

    record Counts(int total, int issued, int refused, int pending) {
    }

    record MailView(String recipient, String status, Instant sentAt) {
    }

    /**
     * A bulk and its progress: {@code percent} of the rows done, {@code rowsPerSecond} since the first batch began,
     * {@code etaSeconds} until every row is done at that rate (absent until a batch ran; 0 once completed).
     */
    record BulkView(UUID id, String status, String accountId, String pakCode, String source, String email, String eulaVersion,
                    Counts counts, int percent, Double rowsPerSecond, Long etaSeconds, Instant createdAt, Instant startedAt,
                    Instant completedAt, MailView mail, Map<String, String> links) {
    }

    record Refusal(String code, String message) {
    }

    /** One row: {@code row} its place in the bulk, {@code line} in the upload; {@code file} its entry in the archive. */
    record RowView(int row, int line, String udi, String sku, String status, Refusal refusal, List<String> licenseIds, String file) {
    }

    record Page<T>(List<T> items, @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.ALWAYS) String next) {
    }

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Submit a bulk fulfillment (JSON rows)", description = "{pakCode, email?, eulaAccepted?, rows: [{udi, "
            + "sku}]}, up to 10,000 rows against one PAK of your account. An upload that cannot be taken whole is refused with "
            + "problem details naming its rows (rows[i]); otherwise 202 with a Location to poll. Each row is then fulfilled or "
            + "refused on its own.")
    ResponseEntity<BulkView> submit(@RequestBody SubmitRequest body, HttpServletRequest request) {
        Account caller = CurrentAccount.get();
        BulkFulfillment bulk = intake.submit(caller.id(), CurrentAccount.actor(), new BulkIntake.Options(body.pakCode(), body.email(),
                body.eulaAccepted()), body.rows(), origin(request));
        return accepted(bulk);
    }

    @PostMapping(consumes = "text/csv")
    @Operation(summary = "Submit a bulk fulfillment (CSV)", description = "The body is a CSV with the header udi,sku and one row "
            + "per line (quote a UDI, it holds commas; unquoted, the last field is the SKU). pakCode, email and eulaAccepted "
            + "are query parameters. Refusals name the file's line numbers (errors[].field \"line N\", lines).")
    ResponseEntity<BulkView> submitCsv(@RequestParam String pakCode, @RequestParam(required = false) String email,
                                       @Parameter(description = "true: accept the current EULA for rows whose SKU needs it")
                                       @RequestParam(required = false) String eulaAccepted, HttpServletRequest request) {
        Boolean consent = eulaAccepted == null ? null : switch (eulaAccepted) {
            case "true" -> Boolean.TRUE;
            case "false" -> Boolean.FALSE;
            default -> throw ApiProblem.invalid("eulaAccepted", "eulaAccepted must be true or false");
        };
        String csv = body(request);
        Account caller = CurrentAccount.get();
        BulkFulfillment bulk = intake.submitCsv(caller.id(), CurrentAccount.actor(), new BulkIntake.Options(pakCode, email, consent),
                csv, origin(request));
        return accepted(bulk);
    }

    @GetMapping
    @Operation(summary = "List bulk fulfillments, newest first", description = "A customer's own; an operator's of every "
            + "account. Cursor paging: pass 'next' as cursor.")
    Page<BulkView> list(@RequestParam(required = false) Integer limit, @RequestParam(required = false) String cursor) {
        int n = limit(limit);
        Keyset after = null;
        if (cursor != null) {
            try {
                after = Keyset.decodeUuid(LIST, cursor);
            } catch (IllegalArgumentException e) {
                throw ApiProblem.invalid("cursor", e.getMessage());
            }
        }
        Account caller = CurrentAccount.get();
        List<BulkFulfillment> found = intake.list(caller.has(Role.OPERATOR) ? null : caller.id(), after == null ? null : after.at(),
                after == null ? null : UUID.fromString(after.id()), n + 1);
        List<BulkView> items = found.stream().limit(n).map(this::view).toList();
        String next = found.size() > n ? new Keyset(found.get(n - 1).createdAt(), found.get(n - 1).id().toString()).encode(LIST) : null;
        return new Page<>(items, next);
    }

    @GetMapping("/{id}")
    @Operation(summary = "Status and progress of a bulk fulfillment", description = "counts {total, issued, refused, pending}, "
            + "percent, rowsPerSecond and etaSeconds (from the observed row rate), startedAt, completedAt; links to the rows, "
            + "the outcomes and (once COMPLETED) the archive.")
    BulkView get(@PathVariable String id) {
        return view(load(id));
    }

    @GetMapping("/{id}/rows")
    @Operation(summary = "The rows of a bulk fulfillment and their outcomes, in upload order", description = "status: "
            + "PENDING, ISSUED or REFUSED (comma-separated); limit 1 to 200 (50); cursor: the 'next' of the previous page.")
    Page<RowView> rows(@PathVariable String id, @RequestParam(required = false) String status,
                       @RequestParam(required = false) String cursor, @RequestParam(required = false) Integer limit,
                       HttpServletRequest request) {
        for (Map.Entry<String, String[]> p : request.getParameterMap().entrySet()) {
            if (!Set.of("status", "cursor", "limit").contains(p.getKey())) {
                String shown = Problems.isPrintableAscii(p.getKey()) && p.getKey().length() <= 40 ? p.getKey() : "(a parameter)";
                throw ApiProblem.invalid(shown, "unknown parameter '" + shown + "'; this takes cursor, limit, status");
            }
            if (p.getValue().length > 1) {
                throw ApiProblem.invalid(p.getKey(), p.getKey() + " is given " + p.getValue().length + " times; give it once");
            }
        }
        BulkFulfillment bulk = load(id);
        int n = limit(limit);
        Set<BulkRow.State> states = EnumSet.noneOf(BulkRow.State.class);
        if (status != null) {
            for (String part : status.split(",", -1)) {
                BulkRow.State state = BulkIntake.stateNames().get(part.strip().toUpperCase(Locale.ROOT));
                if (state == null) {
                    throw ApiProblem.invalid("status", "status must be one or more (comma-separated) of PENDING, ISSUED, REFUSED");
                }
                states.add(state);
            }
        }
        int after = cursor == null ? 0 : rowCursor(cursor);
        List<BulkRow> found = intake.rows(bulk.id(), states, after, n + 1);
        List<RowView> items = found.stream().limit(n).map(BulkFulfillmentController::rowView).toList();
        String next = found.size() > n ? encodeRowCursor(found.get(n - 1).rowNo()) : null;
        return new Page<>(items, next);
    }

    @GetMapping("/{id}/outcomes.csv")
    @Operation(summary = "Every row's outcome as CSV", description = "row,line,udi,sku,status,code,message,license_ids,file; "
            + "while the bulk runs, rows still waiting show PENDING.")
    @ApiResponse(responseCode = "200", description = "text/csv", content = @Content(mediaType = "text/csv", schema = @Schema(type = "string")))
    ResponseEntity<byte[]> outcomes(@PathVariable String id) {
        BulkFulfillment bulk = load(id);
        return ResponseEntity.ok().contentType(MediaType.parseMediaType("text/csv;charset=UTF-8"))
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"nodelock-bulk-" + bulk.id() + "-outcomes.csv\"")
                .body(intake.outcomes(bulk.id()).getBytes(StandardCharsets.UTF_8));
    }

    // The content type is set on the answer rather than declared, so a problem answer still reaches a client that asked
    // for JSON (see ManufacturingController).
    @GetMapping("/{id}/archive")
    @Operation(summary = "Download the result archive", description = "application/zip: one <PID>_<SN>.lic per device with "
            + "the lines of its issued rows, and outcomes.csv with every row. 409 until the bulk is COMPLETED.")
    @ApiResponse(responseCode = "200", description = "application/zip", content = @Content(mediaType = "application/zip",
            schema = @Schema(type = "string", format = "binary")))
    ResponseEntity<byte[]> archive(@PathVariable String id) {
        BulkFulfillment bulk = load(id);
        byte[] zip = intake.archive(bulk).orElseThrow(() -> new ApiProblem(HttpStatus.CONFLICT, "bulk-not-complete",
                "Bulk not complete", "The bulk is " + bulk.status() + " (" + bulk.rowsDone() + " of " + bulk.rowCount()
                + " rows done); its archive is ready once it is COMPLETED. The outcomes so far: " + BASE + "/" + bulk.id()
                + "/outcomes.csv"));
        return ResponseEntity.ok().contentType(MediaType.parseMediaType("application/zip")).cacheControl(CacheControl.noStore())
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + bulk.archiveFileName() + "\"").body(zip);
    }

    private ResponseEntity<BulkView> accepted(BulkFulfillment bulk) {
        return ResponseEntity.status(HttpStatus.ACCEPTED).location(URI.create(BASE + "/" + bulk.id())).body(view(bulk));
    }

    private static ConsentOrigin origin(HttpServletRequest request) {
        return ConsentOrigin.api(request.getRemoteAddr(), request.getHeader(HttpHeaders.USER_AGENT));
    }

    private static String body(HttpServletRequest request) {
        if (request.getContentLengthLong() > MAX_CSV_BYTES) {
            throw tooLarge();
        }
        try (InputStream in = request.getInputStream()) {
            byte[] bytes = in.readNBytes(MAX_CSV_BYTES + 1);
            if (bytes.length > MAX_CSV_BYTES) {
                throw tooLarge();
            }
            return new String(bytes, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw ApiProblem.invalid("file", "the upload could not be read: " + e.getMessage());
        }
    }

    private static ApiProblem tooLarge() {
        return new ApiProblem(HttpStatus.PAYLOAD_TOO_LARGE, "payload-too-large", "Upload too large", "A bulk upload is at most "
                + MAX_CSV_BYTES / (1024 * 1024) + " MiB; 10,000 rows take well under one.");
    }

    private BulkFulfillment load(String id) {
        UUID uuid;
        try {
            uuid = UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw ApiProblem.notFound("Bulk fulfillment", id);
        }
        Account caller = CurrentAccount.get();
        return intake.find(uuid, caller.id(), caller.has(Role.OPERATOR)).orElseThrow(() -> ApiProblem.notFound("Bulk fulfillment", id));
    }

    private static int limit(Integer limit) {
        if (limit == null) {
            return DEFAULT_LIMIT;
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw ApiProblem.invalid("limit", "limit must be 1 to " + MAX_LIMIT);
        }
        return limit;
    }

    private static String encodeRowCursor(int rowNo) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(("bulk-rows:" + rowNo).getBytes(StandardCharsets.UTF_8));
    }

    private static int rowCursor(String cursor) {
        try {
            String raw = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            if (raw.startsWith("bulk-rows:")) {
                int row = Integer.parseInt(raw.substring("bulk-rows:".length()));
                if (row >= 0) {
                    return row;
                }
            }
        } catch (IllegalArgumentException e) {
            // refused below
        }
        throw ApiProblem.invalid("cursor", "cursor is not one this service gave out; pass the 'next' of the previous page");
    }

    private BulkView view(BulkFulfillment b) {
        Instant now = Instant.now();
        String self = BASE + "/" + b.id();
        Map<String, String> links = new LinkedHashMap<>();
        links.put("self", self);
        links.put("rows", self + "/rows");
        links.put("outcomes", self + "/outcomes.csv");
        MailView mail = null;
        if (b.status() == BulkStatus.COMPLETED) {
            links.put("archive", self + "/archive");
            mail = intake.mail(b.id()).map(m -> new MailView(m.recipient(), m.status().name(), m.sentAt())).orElse(null);
        }
        Double rate = b.rowsPerSecond(now);
        return new BulkView(b.id(), b.status().name(), b.accountId(), PakCode.parse(b.pakCode()).formatted(), b.source(), b.email(),
                b.eulaVersion(), new Counts(b.rowCount(), b.rowsIssued(), b.rowsRefused(), b.rowsPending()), b.percent(),
                rate == null ? null : Math.round(rate * 10) / 10.0, b.etaSeconds(now), b.createdAt(), b.startedAt(), b.completedAt(),
                mail, links);
    }

    private static RowView rowView(BulkRow r) {
        return new RowView(r.rowNo(), r.sourceLine(), r.udi().toString(), r.sku(), r.state().name(),
                r.refusalCode() == null ? null : new Refusal(r.refusalCode(), r.refusalMessage()), r.licenseIds(),
                r.state() == BulkRow.State.ISSUED ? r.udi().fileStem() + ".lic" : null);
    }
}
