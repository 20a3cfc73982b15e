package io.nodelock.report.web;

import io.nodelock.account.Account;
import io.nodelock.account.CurrentAccount;
import io.nodelock.account.Role;
import io.nodelock.api.ApiProblem;
import io.nodelock.report.ExpiryAlerts;
import io.nodelock.report.Reports;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

@RestController
@Tag(name = "Reports", description = "CSV exports of licenses and PAK consumption; expiry alerts")
class ReportController {

    private final Reports reports;
    private final ExpiryAlerts alerts;

    ReportController(Reports reports, ExpiryAlerts alerts) {
        this.reports = reports;
        this.alerts = alerts;
    }

    @GetMapping(value = "/api/v1/reports/{name}.csv", produces = "text/csv")
    @Operation(summary = "A CSV report: licenses-by-feature, licenses-by-device, licenses-by-expiry (withinDays), pak-consumption",
            description = "Your account's; an operator's covers every account, or one with accountId.")
    ResponseEntity<StreamingResponseBody> report(@PathVariable String name, @RequestParam(required = false) String accountId,
                                                 @RequestParam(required = false) Integer withinDays) {
        Reports.Report report = Reports.Report.bySlug(name).orElseThrow(() -> new ApiProblem(HttpStatus.NOT_FOUND, "not-found",
                "Report not found", "No report '" + name + "': licenses-by-feature, licenses-by-device, licenses-by-expiry, pak-consumption."));
        Account caller = CurrentAccount.get();
        String scope;
        if (caller.has(Role.OPERATOR)) {
            scope = accountId == null || accountId.isBlank() ? null : accountId;
        } else if (accountId == null || accountId.equals(caller.id())) {
            scope = caller.id();
        } else {
            throw new ApiProblem(HttpStatus.FORBIDDEN, "forbidden", "Forbidden", "Reports cover your own account only.");
        }
        if (withinDays != null && (withinDays < 0 || withinDays > 3650)) {
            throw ApiProblem.invalid("withinDays", "withinDays must be 0 to 3650.");
        }
        Duration within = withinDays == null ? null : Duration.ofDays(withinDays);
        String file = report.slug() + "-" + (scope == null ? "all" : scope) + "-" + LocalDate.now(ZoneOffset.UTC) + ".csv";
        StreamingResponseBody body = out -> reports.write(report, scope, within, new OutputStreamWriter(out, StandardCharsets.UTF_8));
        return ResponseEntity.ok().contentType(new MediaType("text", "csv", StandardCharsets.UTF_8))
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + file + "\"")
                .header(HttpHeaders.CACHE_CONTROL, "private, no-store").body(body);
    }

    @PostMapping("/api/v1/reports/expiry-alerts/run")
    @PreAuthorize("hasRole('OPERATOR')")
    @Operation(summary = "Run the expiry alert check now (operators only): what it announced")
    ExpiryAlerts.Run runExpiryAlerts() {
        return alerts.check(Instant.now());
    }
}
