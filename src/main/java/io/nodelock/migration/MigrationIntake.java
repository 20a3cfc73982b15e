package io.nodelock.migration;

import static io.nodelock.migration.MigrationRefusals.*;
import static io.nodelock.migration.process.MigrationProcess.*;

import io.nodelock.audit.AuditLog;
import io.nodelock.catalogue.Catalogue;
import io.nodelock.catalogue.Sku;
import io.nodelock.device.Device;
import io.nodelock.device.Devices;
import io.nodelock.eula.ConsentOrigin;
import io.nodelock.eula.EulaConsent;
import io.nodelock.eula.EulaConsents;
import io.nodelock.license.IssuedLicenseFile;
import io.nodelock.license.License;
import io.nodelock.license.LicenseIssuer;
import io.nodelock.license.Licenses;
import io.nodelock.licensefile.LicenseType;
import io.nodelock.licensefile.Udi;
import io.nodelock.notification.MailOutbox;
import io.nodelock.pak.Pak;
import io.nodelock.pak.PakCode;
import io.nodelock.pak.PakCodeException;
import io.nodelock.pak.PakService;
import io.nodelock.workflow.Refusal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.operaton.bpm.engine.RuntimeService;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The migration flow's intake: what a license may migrate to, the check of a request, and, for a request that passes,
 * its row, its EULA consent and its license-migration instance in one transaction. The steps are {@link MigrationSteps};
 * they repeat the checks that can change meanwhile.
 */
@Service
public class MigrationIntake {

    private final Migrations migrations;
    private final Licenses licenses;
    private final Devices devices;
    private final Catalogue catalogue;
    private final PakService paks;
    private final EulaConsents consents;
    private final LicenseIssuer issuer;
    private final MailOutbox outbox;
    private final AuditLog audit;
    private final RuntimeService runtime;
    private final TransactionTemplate transactions;

    public MigrationIntake(Migrations migrations, Licenses licenses, Devices devices, Catalogue catalogue, PakService paks,
                           EulaConsents consents, LicenseIssuer issuer, MailOutbox outbox, AuditLog audit, RuntimeService runtime,
                           TransactionTemplate transactions) {
        this.migrations = migrations;
        this.licenses = licenses;
        this.devices = devices;
        this.catalogue = catalogue;
        this.paks = paks;
        this.consents = consents;
        this.issuer = issuer;
        this.outbox = outbox;
        this.audit = audit;
        this.runtime = runtime;
        this.transactions = transactions;
    }

    /** A SKU a license may migrate to. */
    public record Offer(String sku, String description, MigrationKind kind, String type, List<String> features, boolean eulaRequired) {
    }

    /**
     * What the license may migrate to now, with the reason when it may not migrate at all.
     *
     * @param reason why the license cannot migrate now (not active, device locked, no upgrade in the catalogue), else null
     */
    public record Offers(License license, List<Offer> offers, String reason) {
    }

    /** The account's license, or the refusal that answers another account's exactly like one that does not exist. */
    public License license(String accountId, String licenseId) {
        return licenses.find(licenseId).filter(l -> l.accountId().equals(accountId)).orElseThrow(() -> FLOW.refuse(
                Refusal.of(UNKNOWN_LICENSE, "licenseId", "Your account holds no license " + licenseId + ".")));
    }

    public Offers offers(String accountId, String licenseId) {
        License license = license(accountId, licenseId);
        Optional<Refusal> blocked = migratable(license, accountId);
        if (blocked.isPresent()) {
            return new Offers(license, List.of(), blocked.get().message());
        }
        List<Offer> offers = targets(license).stream().map(s -> new Offer(s.id(), s.description(), kindOf(license),
                s.type().wireName(), s.features(), s.eulaRequired())).toList();
        return new Offers(license, offers, offers.isEmpty() ? noTarget(license) : null);
    }

    /**
     * Whether the license can migrate at all now: it is active, and its device is still the account's and not locked.
     * Checked at intake and again by the flow's steps.
     */
    Optional<Refusal> migratable(License license, String accountId) {
        if (license.status() != License.Status.ACTIVE) {
            return Optional.of(Refusal.of(NOT_MIGRATABLE, "licenseId", "License " + license.id() + " is " + license.status()
                    + ": only an active license migrates."));
        }
        Udi udi = Udi.parse(license.udi());
        Optional<Device> device = devices.find(udi);
        if (device.isEmpty() || !device.get().accountId().equals(accountId)) {
            return Optional.of(Refusal.of(NOT_MIGRATABLE, "licenseId", "Device " + udi.binding() + " of license " + license.id()
                    + " is no longer your account's."));
        }
        if (device.get().locked()) {
            return Optional.of(Refusal.of(DEVICE_LOCKED, "licenseId", "Device " + udi.binding() + " is locked ("
                    + device.get().lockedReason() + "): its licenses do not migrate."));
        }
        return Optional.empty();
    }

    /**
     * The SKUs the license may migrate to: for an evaluation or extension, the permanent SKUs of its feature; for any
     * other license, the SKUs the catalogue declares {@code upgradeOf} its SKU. Only those sold for its device's product.
     */
    List<Sku> targets(License license) {
        String product = Udi.parse(license.udi()).productId();
        return temporary(license) ? catalogue.conversionsOf(license.feature(), product) : catalogue.upgradesOf(license.sku(), product);
    }

    /** The target SKU when the license may migrate to it, else the refusal naming the SKUs it may migrate to. */
    Optional<Refusal> target(License license, String skuId) {
        List<Sku> allowed = targets(license);
        if (allowed.stream().anyMatch(s -> s.id().equals(skuId))) {
            return Optional.empty();
        }
        List<String> ids = allowed.stream().map(Sku::id).toList();
        String message = ids.isEmpty() ? noTarget(license) : "License " + license.id() + " cannot migrate to " + skuId + "; it "
                + "may migrate to " + String.join(", ", ids) + ".";
        return Optional.of(Refusal.of(NOT_MIGRATABLE, "sku", message).with("allowedSkus", ids));
    }

    private String noTarget(License license) {
        String product = Udi.parse(license.udi()).productId();
        if (temporary(license)) {
            return "License " + license.id() + " is an " + license.type().wireName() + " of " + license.feature() + " and the "
                    + "catalogue sells no permanent license of " + license.feature() + " for " + product + ".";
        }
        return "License " + license.id() + (license.sku() == null ? " was not sold as a SKU" : " (SKU " + license.sku() + ")")
                + " has no upgrade in the catalogue for " + product + "; an evaluation converts to a permanent license, "
                + "a permanent license only to a SKU that declares it as its upgrade.";
    }

    static boolean temporary(License license) {
        return license.type() == LicenseType.EVALUATION || license.type() == LicenseType.EXTENSION;
    }

    static MigrationKind kindOf(License license) {
        return temporary(license) ? MigrationKind.CONVERSION : MigrationKind.UPGRADE;
    }

    /** The first reason the request cannot be taken, if any; nothing is stored or consumed to find out. */
    public Optional<Refusal> check(String accountId, String licenseId, MigrationRequest request) {
        List<Refusal.FieldError> errors = new ArrayList<>();
        PakCode code = null;
        if (request.pakCode() == null || request.pakCode().isBlank()) {
            errors.add(new Refusal.FieldError("pakCode", "pakCode is missing: the PAK that holds a unit of the target SKU"));
        } else {
            try {
                code = PakCode.parse(request.pakCode());
            } catch (PakCodeException e) {
                return Optional.of(Refusal.of(PAK_INVALID, "pakCode", e.getMessage()));
            }
        }
        if (request.sku() == null || request.sku().isBlank() || request.sku().length() > 40) {
            errors.add(new Refusal.FieldError("sku", "sku is missing: the SKU to migrate to (GET /api/v1/licenses/" + licenseId
                    + "/migrations lists them)"));
        }
        if (!errors.isEmpty()) {
            return Optional.of(errors.size() == 1 ? Refusal.of(REQUEST_INVALID, errors.get(0).field(), errors.get(0).message())
                    : new Refusal(REQUEST_INVALID, errors.size() + " fields are invalid; see 'errors'.", errors, Map.of()));
        }
        License license = license(accountId, licenseId);
        Optional<Refusal> refusal = migratable(license, accountId).or(() -> target(license, request.sku()));
        if (refusal.isPresent()) {
            return refusal;
        }
        Optional<Migration> open = migrations.findOpen(license.id());
        if (open.isPresent()) {
            return Optional.of(Refusal.of(MIGRATION_OPEN, "licenseId", "A migration of license " + license.id() + " is already "
                    + "under way (" + open.get().status() + "); wait for its answer.").with("migrationId", open.get().id().toString()));
        }
        Optional<Pak> pak = paks.find(code, accountId, false);
        if (pak.isEmpty()) {
            return Optional.of(Refusal.of(PAK_UNKNOWN, "pakCode", "PAK " + code.formatted() + " is not known for your account. Check "
                    + "the code on your order, or ask the person who ordered to register it."));
        }
        Optional<Pak.PakLine> line = pak.get().line(request.sku());
        if (line.isEmpty()) {
            return Optional.of(Refusal.of(SKU_NOT_ON_PAK, "sku", "SKU " + request.sku() + " is not on PAK " + code.formatted()
                    + ". This PAK holds: " + String.join(", ", pak.get().lines().stream().map(Pak.PakLine::sku).toList()) + "."));
        }
        if (line.get().remaining() < 1) {
            return Optional.of(Refusal.of(PAK_EXHAUSTED, "pakCode", "PAK " + code.formatted() + " has no units of " + request.sku()
                    + " left: all " + line.get().quantity() + " have been used."));
        }
        if (catalogue.sku(request.sku()).orElseThrow().eulaRequired()) {
            return consents.check(eulaVersion(request), request.eulaAccepted());
        }
        return Optional.empty();
    }

    /** The version a request accepts: the one it names, else the current one. */
    private String eulaVersion(MigrationRequest request) {
        return request.eulaVersion() != null ? request.eulaVersion() : consents.current().version();
    }

    /**
     * Accepts a checked request: the EULA consent (if the target SKU needs it), the row and the process instance in one
     * transaction; a concurrent second request for the same license is refused by the open-migration constraint.
     */
    public Migration submit(String accountId, String requestedBy, String licenseId, MigrationRequest request, ConsentOrigin origin) {
        check(accountId, licenseId, request).ifPresent(refusal -> {
            throw FLOW.refuse(refusal);
        });
        License license = license(accountId, licenseId);
        Sku target = catalogue.sku(request.sku()).orElseThrow();
        PakCode code = PakCode.parse(request.pakCode());
        try {
            return transactions.execute(status -> {
                UUID id = UUID.randomUUID();
                EulaConsent consent = target.eulaRequired()
                        ? consents.record(accountId, requestedBy, eulaVersion(request), origin, "migration:" + id) : null;
                Map<String, Object> variables = new HashMap<>();
                variables.put(VAR_MIGRATION_ID, id.toString());
                variables.put(VAR_ACCOUNT_ID, accountId);
                variables.put(VAR_LICENSE_ID, license.id());
                variables.put(VAR_UDI, license.udi());
                variables.put(VAR_PAK_CODE, code.formatted());
                variables.put(VAR_SKU, target.id());
                variables.put(VAR_EULA_ACCEPTED, consent != null);
                // The first step runs after an asynchronous continuation, once this transaction (with the row) committed.
                String instance = runtime.startProcessInstanceByKey(PROCESS_KEY, id.toString(), variables).getId();
                Migration migration = new Migration(id, accountId, requestedBy, license.id(), Udi.parse(license.udi()), license.feature(),
                        license.sku(), kindOf(license), target.id(), code, consent == null ? null : consent.id(),
                        consent == null ? null : consent.eulaVersion(), MigrationStatus.SUBMITTED, null, List.of(), null, null, instance,
                        Instant.now().truncatedTo(ChronoUnit.MICROS), null);
                migrations.insert(migration);
                audit.record(requestedBy, "migration.requested", "migration:" + id, kindOf(license).name().toLowerCase(java.util.Locale.ROOT)
                        + " of license " + license.id() + " (" + (license.sku() == null ? license.feature() : license.sku()) + ") on "
                        + license.udi() + " to " + target.id() + " with PAK " + code.formatted());
                return migration;
            });
        } catch (DuplicateKeyException race) {
            throw FLOW.refuse(Refusal.of(MIGRATION_OPEN, "licenseId", "A migration of license " + license.id()
                    + " is already under way; wait for its answer."));
        }
    }

    public Optional<Migration> find(UUID id, String accountId, boolean operator) {
        return migrations.find(id).filter(m -> operator || m.accountId().equals(accountId));
    }

    /** The license's migrations, newest first. */
    public List<Migration> ofLicense(String licenseId) {
        return migrations.ofLicense(licenseId);
    }

    public Optional<IssuedLicenseFile> licenseFile(UUID id) {
        return issuer.fileOf(id.toString());
    }

    public Optional<MailOutbox.MailStatus> mail(UUID id) {
        return outbox.find(MigrationMails.mailKey(id));
    }
}
