package io.nodelock.migration;

import static io.nodelock.migration.process.MigrationProcess.*;

import io.nodelock.account.Account;
import io.nodelock.account.Accounts;
import io.nodelock.audit.AuditLog;
import io.nodelock.catalogue.Catalogue;
import io.nodelock.catalogue.Sku;
import io.nodelock.license.IssuedLicenseFile;
import io.nodelock.license.License;
import io.nodelock.license.LicenseIssuer;
import io.nodelock.license.Licenses;
import io.nodelock.notification.MailOutbox;
import io.nodelock.pak.PakService;
import io.nodelock.pak.Redemption;
import io.nodelock.workflow.Refusal;
import io.nodelock.workflow.Step;
import io.nodelock.workflow.StepContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * The steps of bpmn/license-migration.bpmn, bound to its service tasks by topic. Each finds its migration by the process
 * instance, checks its preconditions in the domain's own records (never in variables), and is safe to run again.
 */
@Component
class MigrationSteps {

    private final Migrations migrations;
    private final MigrationIntake intake;
    private final Licenses licenses;
    private final Catalogue catalogue;
    private final PakService paks;
    private final LicenseIssuer issuer;
    private final Accounts accounts;
    private final MailOutbox outbox;
    private final AuditLog audit;

    MigrationSteps(Migrations migrations, MigrationIntake intake, Licenses licenses, Catalogue catalogue, PakService paks,
                   LicenseIssuer issuer, Accounts accounts, MailOutbox outbox, AuditLog audit) {
        this.migrations = migrations;
        this.intake = intake;
        this.licenses = licenses;
        this.catalogue = catalogue;
        this.paks = paks;
        this.issuer = issuer;
        this.accounts = accounts;
        this.outbox = outbox;
        this.audit = audit;
    }

    /** check-migration: the license is still active on the account's unlocked device, and may still move to the SKU. */
    @Step(TOPIC_CHECK_MIGRATION)
    void checkMigration(StepContext step) {
        Migration m = step.rowOf(migrations::findByProcessInstance, "migration");
        if (m.status() != MigrationStatus.SUBMITTED) {
            return; // a replay after the unit was redeemed or the request refused
        }
        stillAllowed(m).ifPresent(refusal -> {
            throw refuse(m, refusal);
        });
    }

    /**
     * redeem-upgrade-unit: one unit of the target SKU from the PAK, at most once per migration (the redemption is keyed
     * by the migration's id). The checks run again first, so no unit is spent on a license that cannot migrate any more;
     * a refusal consumes nothing.
     */
    @Step(value = TOPIC_REDEEM_UPGRADE_UNIT, commitsAlone = true)
    void redeemUnit(StepContext step) {
        Migration m = step.rowOf(migrations::findByProcessInstance, "migration");
        String id = m.id().toString();
        if (m.status() != MigrationStatus.SUBMITTED) {
            if (paks.isRedeemed(id)) {
                return; // a replay of the step: its unit was taken once, and that is all
            }
            throw new IllegalStateException("migration " + id + " is " + m.status() + ": refusing to redeem a unit for it");
        }
        stillAllowed(m).ifPresent(refusal -> {
            throw refuse(m, refusal);
        });
        Redemption redemption = paks.redeem(id, m.accountId(), m.pakCode(), m.toSku());
        if (redemption instanceof Redemption.Refused refused) {
            throw refuse(m, Refusal.of(refused.code(), refused.message()));
        }
        if (migrations.markRedeemed(m.id())) {
            audit.record(AuditLog.SYSTEM, "migration.unit-redeemed", "migration:" + id, "one unit of " + m.toSku() + " from PAK "
                    + m.pakCode().formatted() + " for license " + m.licenseId());
        }
    }

    /**
     * sign-upgraded-license: the new line(s) of the target SKU on the same device, each naming the old license it
     * replaces, and the old license SUPERSEDED in the same transaction (for a conversion, every active evaluation and
     * extension line of the feature on the device). Only a migration whose unit this instance redeemed is signed; a
     * replay finds the file and changes nothing.
     */
    @Step(TOPIC_SIGN_UPGRADED_LICENSE)
    void signLicense(StepContext step) {
        Migration m = step.rowOf(migrations::findByProcessInstance, "migration");
        String id = m.id().toString();
        if (issuer.fileOf(id).isPresent()) {
            return; // a replay: signed, and the old license superseded, once
        }
        if (m.status() != MigrationStatus.REDEEMED) {
            throw new IllegalStateException("migration " + id + " is " + m.status() + ": refusing to sign a license for it");
        }
        if (!paks.isRedeemed(id)) {
            throw new IllegalStateException("migration " + id + " has no PAK redemption: refusing to sign a license for it");
        }
        License old = licenses.find(m.licenseId()).orElseThrow();
        Sku target = catalogue.sku(m.toSku()).orElseThrow(() -> new IllegalStateException("SKU " + m.toSku() + " of migration "
                + id + " is no longer in catalogue " + catalogue.revision()));
        List<String> superseded = superseded(m, old);
        // A license moved away (RMA, rehost) after its unit was redeemed fails here, signing nothing: an incident for an
        // operator, who sees the redeemed unit in the audit trail (docs/migration.md).
        IssuedLicenseFile file = issuer.migrate(id, m.accountId(), target, m.udi(), target.eulaRequired() ? m.eulaVersion() : null, old,
                superseded);
        migrations.markIssued(m.id(), registeredAddress(m), superseded);
        audit.record(AuditLog.SYSTEM, "license.migrated", "migration:" + id, m.kind().name().toLowerCase(java.util.Locale.ROOT) + " of "
                + m.licenseId() + " to " + m.toSku() + ": licenses " + String.join(", ", file.licenseIds()) + " on " + m.udi().binding()
                + ", signed with key " + file.keyId() + "; superseded " + String.join(", ", superseded));
        for (String licenseId : superseded) {
            audit.record(AuditLog.SYSTEM, "license.superseded", "license:" + licenseId, "by " + String.join(", ", file.licenseIds())
                    + " (migration " + id + ")");
        }
    }

    /** What the new line takes the place of: the license itself, and for a conversion the feature's other temporary lines. */
    private List<String> superseded(Migration m, License old) {
        List<String> ids = new ArrayList<>(List.of(old.id()));
        if (m.kind() == MigrationKind.CONVERSION) {
            for (License other : licenses.ofDevice(m.udi().binding(), License.Status.ACTIVE)) {
                if (!other.id().equals(old.id()) && other.feature().equals(old.feature()) && MigrationIntake.temporary(other)) {
                    ids.add(other.id());
                }
            }
        }
        return ids;
    }

    /** email-upgraded-license: the new file to the account's registered address, never to one a request named. */
    @Step(TOPIC_EMAIL_UPGRADED_LICENSE)
    void emailLicense(StepContext step) {
        Migration m = step.rowOf(migrations::findByProcessInstance, "migration");
        if (m.status() != MigrationStatus.ISSUED) {
            throw new IllegalStateException("migration " + m.id() + " is " + m.status() + ": it has no license to mail");
        }
        IssuedLicenseFile file = issuer.fileOf(m.id().toString()).orElseThrow(() ->
                new IllegalStateException("migration " + m.id() + " has no license file"));
        if (outbox.enqueue(MigrationMails.migrated(m, file, m.supersededIds(), m.email()))) {
            audit.record(AuditLog.SYSTEM, "mail.queued", "migration:" + m.id(), "migrated license to " + m.email());
        }
    }

    /** record-migration-rejection: a refusal a step recorded on the migration; tells the account why. */
    @Step(TOPIC_RECORD_MIGRATION_REJECTION)
    void recordRejection(StepContext step) {
        Migration m = step.rowOf(migrations::findByProcessInstance, "migration");
        if (m.status() != MigrationStatus.REJECTED) {
            throw new IllegalStateException("migration " + m.id() + " (" + m.status() + ") has no recorded refusal");
        }
        String email = registeredAddress(m);
        migrations.recordEmail(m.id(), email);
        outbox.enqueue(MigrationMails.rejected(m, email, m.rejectionCode(), m.rejectionMessage()));
    }

    /** The license, its device and the target as the intake checked them, again: any may have changed since. */
    private Optional<Refusal> stillAllowed(Migration m) {
        Optional<License> license = licenses.find(m.licenseId());
        if (license.isEmpty()) {
            throw new IllegalStateException("migration " + m.id() + ": license " + m.licenseId() + " is gone");
        }
        return intake.migratable(license.get(), m.accountId()).or(() -> intake.target(license.get(), m.toSku()));
    }

    private String registeredAddress(Migration m) {
        return accounts.find(m.accountId()).map(Account::email).orElseThrow(() ->
                new IllegalStateException("migration " + m.id() + ": account " + m.accountId() + " is gone"));
    }

    /** Records the refusal on the migration, then hands it to the model's rejection path. */
    private RuntimeException refuse(Migration m, Refusal refusal) {
        if (migrations.markRejected(m.id(), refusal.code(), refusal.message())) {
            audit.record(AuditLog.SYSTEM, "migration.refused", "migration:" + m.id(), refusal.code() + ": " + refusal.message());
        }
        return FLOW.refuse(refusal);
    }
}
