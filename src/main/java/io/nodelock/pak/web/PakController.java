package io.nodelock.pak.web;

import io.nodelock.account.Account;
import io.nodelock.account.Accounts;
import io.nodelock.account.CurrentAccount;
import io.nodelock.account.Role;
import io.nodelock.api.ApiProblem;
import io.nodelock.pak.InvalidPakException;
import io.nodelock.pak.Pak;
import io.nodelock.pak.PakCode;
import io.nodelock.pak.PakCodeException;
import io.nodelock.pak.PakService;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/paks")
@Tag(name = "PAKs", description = "Product authorization keys and their remaining units")
class PakController {

    private final PakService paks;
    private final Accounts accounts;

    PakController(PakService paks, Accounts accounts) {
        this.paks = paks;
        this.accounts = accounts;
    }

    record NewLine(@NotBlank String sku, @NotNull Integer quantity) {
    }

    record NewPak(@NotBlank String accountId, @NotEmpty List<@NotNull @Valid NewLine> lines) {
    }

    record LineView(int lineNo, String sku, int quantity, int consumed, int remaining) {
    }

    record PakView(String code, String accountId, Instant createdAt, List<LineView> lines) {
        static PakView of(Pak pak) {
            return new PakView(pak.code().formatted(), pak.accountId(), pak.createdAt(), pak.lines().stream()
                    .map(l -> new LineView(l.lineNo(), l.sku(), l.quantity(), l.consumed(), l.remaining())).toList());
        }
    }

    @PostMapping
    @PreAuthorize("hasRole('OPERATOR')")
    @Operation(summary = "Create a PAK for an account (operators only)")
    ResponseEntity<PakView> create(@Valid @RequestBody NewPak request) {
        if (!accounts.exists(request.accountId())) {
            throw ApiProblem.invalid("accountId", "accountId: no account '" + request.accountId() + "'");
        }
        try {
            Pak pak = paks.create(request.accountId(), request.lines().stream()
                    .map(l -> new PakService.NewLine(l.sku(), l.quantity())).toList(), CurrentAccount.get().id(), Optional.empty());
            return ResponseEntity.created(URI.create("/api/v1/paks/" + pak.code().formatted())).body(PakView.of(pak));
        } catch (InvalidPakException e) {
            throw ApiProblem.invalid(e.problems().stream().map(p -> {
                int colon = p.indexOf(':');
                return new ApiProblem.FieldError(colon > 0 ? p.substring(0, colon) : "lines", p);
            }).toList());
        }
    }

    @GetMapping("/{code}")
    @Operation(summary = "Look up a PAK's lines and remaining units")
    PakView get(@PathVariable String code) {
        Account caller = CurrentAccount.get();
        PakCode pakCode;
        try {
            pakCode = PakCode.parse(code);
        } catch (PakCodeException e) {
            throw new ApiProblem(HttpStatus.BAD_REQUEST, "invalid-pak", "Invalid PAK", e.getMessage());
        }
        return paks.find(pakCode, caller.id(), caller.has(Role.OPERATOR)).map(PakView::of)
                .orElseThrow(() -> ApiProblem.notFound("PAK", pakCode.formatted()));
    }
}
