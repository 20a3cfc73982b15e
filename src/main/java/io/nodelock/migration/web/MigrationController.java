package io.nodelock.migration.web;

import io.nodelock.account.Account;
import io.nodelock.account.CurrentAccount;
import io.nodelock.account.Role;
import io.nodelock.api.ApiProblem;
import io.nodelock.api.Attachments;
import io.nodelock.eula.ConsentOrigin;
import io.nodelock.license.IssuedLicenseFile;
import io.nodelock.license.License;
import io.nodelock.migration.Migration;
import io.nodelock.migration.MigrationIntake;
import io.nodelock.migration.MigrationRequest;
import io.nodelock.migration.MigrationStatus;
import io.nodelock.notification.MailOutbox;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Migrations", description = "Upgrade a license to a higher SKU, or convert an evaluation to a permanent license")
class MigrationController {

    private final MigrationIntake migrations;

    MigrationController(MigrationIntake migrations) {
        this.migrations = migrations;
    }

    record MigrateRequest(String pakCode, String sku, String eulaVersion, Boolean eulaAccepted) {
    }

    record OfferView(String sku, String description, String kind, String type, List<String> features, boolean eulaRequired) {
    }

    record MigrationSummary(UUID id, String status, String toSku, Instant createdAt, String self) {
    }

    record OffersView(String licenseId, String udi, String feature, String sku, String type, String status, List<OfferView> offers,
                      String reason, List<MigrationSummary> migrations) {
    }

    record MailView(String recipient, String status, int attempts, Instant sentAt) {
    }

    record MigrationView(UUID id, String status, String kind, String udi, String feature, String licenseId, String fromSku, String toSku,
                         String pakCode, String eulaVersion, List<String> supersededLicenseIds, List<String> licenseIds,
                         String licenseFile, Map<String, String> rejection, MailView mail, Instant createdAt, Instant completedAt) {
    }

    @GetMapping("/api/v1/licenses/{licenseId}/migrations")
    @Operation(summary = "What one of your licenses may migrate to", description = "The SKUs the license may move to with a PAK "
            + "unit: for a permanent or subscription license, the SKUs the catalogue declares as upgrades of its SKU; for an "
            + "evaluation or extension license, the permanent SKUs of its feature. Only SKUs sold for its device's product; none "
            + "(with the reason) for a license that is not active or a locked device. Also lists the license's migrations.")
    OffersView offers(@PathVariable String licenseId) {
        Account caller = CurrentAccount.get();
        MigrationIntake.Offers offers = migrations.offers(caller.id(), licenseId);
        License l = offers.license();
        return new OffersView(l.id(), l.udi(), l.feature(), l.sku(), l.type().wireName(), l.status().name(),
                offers.offers().stream().map(o -> new OfferView(o.sku(), o.description(), o.kind().name(), o.type(), o.features(),
                        o.eulaRequired())).toList(), offers.reason(),
                migrations.ofLicense(l.id()).stream().map(m -> new MigrationSummary(m.id(), m.status().name(), m.toSku(),
                        m.createdAt(), self(m))).toList());
    }

    @PostMapping(value = "/api/v1/licenses/{licenseId}/migrate", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Migrate one of your licenses to another SKU", description = "Upgrades a license to a SKU the catalogue "
            + "declares as its upgrade, or converts an evaluation or extension to a permanent license of its feature, with one unit "
            + "of the target SKU from your PAK (eulaAccepted true when the target SKU needs the EULA). The new license is signed "
            + "for the same device and mailed to your account's registered address; the old one is superseded and leaves the "
            + "device's next license file. 202 with a Location to poll.")
    ResponseEntity<MigrationView> migrate(@PathVariable String licenseId, @RequestBody MigrateRequest body, HttpServletRequest http) {
        Account caller = CurrentAccount.get();
        Migration m = migrations.submit(caller.id(), caller.id(), licenseId, new MigrationRequest(body.pakCode(), body.sku(),
                body.eulaVersion(), body.eulaAccepted()), ConsentOrigin.api(http.getRemoteAddr(), http.getHeader(HttpHeaders.USER_AGENT)));
        return ResponseEntity.status(HttpStatus.ACCEPTED).location(URI.create(self(m))).body(view(m));
    }

    @GetMapping("/api/v1/migrations/{id}")
    @Operation(summary = "Status and result of a license migration")
    MigrationView get(@PathVariable String id) {
        return view(load(id));
    }

    @GetMapping(value = "/api/v1/migrations/{id}/license-file", produces = {"application/x-nodelock-license", MediaType.TEXT_PLAIN_VALUE})
    @Operation(summary = "Download the migrated license file")
    ResponseEntity<String> licenseFile(@PathVariable String id) {
        Migration m = load(id);
        IssuedLicenseFile file = migrations.licenseFile(m.id()).orElseThrow(() -> ApiProblem.licenseNotIssued(m.status() == MigrationStatus.REJECTED
                ? "This migration was refused: " + m.rejectionMessage() : "The new license is not signed yet (" + m.status() + ")."));
        return Attachments.textFile(file.fileName(), file.content());
    }

    private Migration load(String id) {
        UUID uuid;
        try {
            uuid = UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw ApiProblem.notFound("migration", id);
        }
        Account caller = CurrentAccount.get();
        return migrations.find(uuid, caller.id(), caller.has(Role.OPERATOR)).orElseThrow(() -> ApiProblem.notFound("migration", id));
    }

    private static String self(Migration m) {
        return "/api/v1/migrations/" + m.id();
    }

    private MigrationView view(Migration m) {
        Optional<IssuedLicenseFile> file = m.status() == MigrationStatus.ISSUED ? migrations.licenseFile(m.id()) : Optional.empty();
        MailView mail = migrations.mail(m.id()).map((MailOutbox.MailStatus s) -> new MailView(s.recipient(), s.status().name(),
                s.attempts(), s.sentAt())).orElse(null);
        return new MigrationView(m.id(), m.status().name(), m.kind().name(), m.udi().binding(), m.feature(), m.licenseId(), m.fromSku(),
                m.toSku(), m.pakCode().formatted(), m.eulaVersion(), m.supersededIds(),
                file.map(IssuedLicenseFile::licenseIds).orElse(List.of()), file.isPresent() ? self(m) + "/license-file" : null,
                m.rejectionCode() == null ? null : Map.of("code", m.rejectionCode(), "message", m.rejectionMessage()), mail,
                m.createdAt(), m.completedAt());
    }
}
