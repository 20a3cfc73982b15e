package io.nodelock.migration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.nodelock.devicetool.SimulatedDevice;
import io.nodelock.devicetool.Snapshot;
import io.nodelock.eula.ConsentOrigin;
import io.nodelock.licensefile.LicenseFile;
import io.nodelock.licensefile.LicenseLine;
import io.nodelock.licensefile.LicenseType;
import io.nodelock.licensefile.PublicKeyInfo;
import io.nodelock.licensefile.Udi;
import io.nodelock.pak.Pak;
import io.nodelock.pak.PakService.NewLine;
import io.nodelock.pak.Redemption;
import io.nodelock.support.ServiceIT;
import io.nodelock.workflow.FlowSteps;
import io.nodelock.workflow.StepContext;
import jakarta.mail.internet.MimeMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.operaton.bpm.engine.RuntimeService;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Every path of bpmn/license-migration.bpmn on PostgreSQL, through the customer API: an upgrade that supersedes the old
 * line on the device (in the service's records, in the device's next file, and on a simulated device), an evaluation
 * converted to permanent, the refusals at intake and in the flow (nothing consumed), redelivered steps, and an instance
 * the intake did not start.
 */
class LicenseMigrationFlowIT extends ServiceIT {

    static final String CURRENT_EULA = "2026-11";

    @Autowired
    MigrationIntake intake;
    @Autowired
    TransactionTemplate transactions;
    @Autowired
    RuntimeService runtime;
    @Autowired
    FlowSteps steps;

    @TempDir
    Path tmp;

    @Test
    void anUpgradeSupersedesTheOldLineOnTheDevice() throws Exception {
        TestAccount customer = newCustomer();
        Pak pak = newPak(customer, new NewLine("SL-1100-AIS-K9", 1), new NewLine("SL-1100-AES-K9", 2));
        String udi = "PID:C1111-4P,SN:" + randomSerial();
        String ais = issueLicenses(customer, pak, "SL-1100-AIS-K9", udi).get(0);
        // The device runs Advanced IP Services from its installed line.
        SimulatedDevice device = SimulatedDevice.init(tmp.resolve("dev"), Udi.parse(udi), Clock.systemUTC(), serviceKeys());
        install(device, get("/api/v1/fulfillments/" + fulfillmentOf(ais) + "/license-file", customer.token()).raw());
        Snapshot before = SimulatedDevice.open(tmp.resolve("dev"), Clock.systemUTC()).snapshot();
        assertThat(before.imageLevel()).isEqualTo("advipservices");
        assertThat(before.feature("advipservices").orElseThrow().providedBy()).isEqualTo(ais);

        JsonNode offers = get("/api/v1/licenses/" + ais + "/migrations", customer.token()).body();
        assertThat(offers.path("sku").asText()).isEqualTo("SL-1100-AIS-K9");
        assertThat(offers.path("offers").findValuesAsText("sku")).containsExactly("SL-1100-AES-K9");
        assertThat(offers.path("offers").get(0).path("kind").asText()).isEqualTo("UPGRADE");
        assertThat(offers.path("offers").get(0).path("features").get(0).asText()).isEqualTo("adventerprise");
        assertThat(offers.hasNonNull("reason")).isFalse();

        Response accepted = migrate(customer, ais, pak, "SL-1100-AES-K9");
        assertThat(accepted.status()).as(accepted.raw()).isEqualTo(202);
        String location = accepted.headers().firstValue("Location").orElseThrow();
        assertThat(location).isEqualTo("/api/v1/migrations/" + accepted.body().path("id").asText());
        JsonNode done = awaitMail(location, customer);
        assertThat(done.path("status").asText()).isEqualTo("ISSUED");
        assertThat(done.path("kind").asText()).isEqualTo("UPGRADE");
        assertThat(done.path("fromSku").asText()).isEqualTo("SL-1100-AIS-K9");
        assertThat(done.path("mail").path("recipient").asText()).isEqualTo(customer.email());
        assertThat(strings(done.path("supersededLicenseIds"))).containsExactly(ais);
        List<String> fresh = strings(done.path("licenseIds"));
        assertThat(fresh).hasSize(1);
        String aes = fresh.get(0);

        // The records: the old license superseded, the new one active in its place, bought as the target SKU.
        assertThat(status(ais)).isEqualTo("SUPERSEDED");
        Map<String, Object> row = jdbc.queryForMap("select status, replaces_id, sku, feature, license_type, udi from license where id = ?", aes);
        assertThat(row).containsEntry("status", "ACTIVE").containsEntry("replaces_id", ais).containsEntry("sku", "SL-1100-AES-K9")
                .containsEntry("feature", "adventerprise").containsEntry("license_type", "PERMANENT").containsEntry("udi", udi);
        // One unit of the upgrade SKU, and only that, was used.
        assertThat(consumed(pak, "SL-1100-AES-K9")).isEqualTo(1);
        assertThat(consumed(pak, "SL-1100-AIS-K9")).isEqualTo(1);
        assertThat(jdbc.queryForObject("select count(*) from pak_redemption where fulfillment_id = ?", Integer.class,
                UUID.fromString(done.path("id").asText()))).isEqualTo(1);

        // The file the customer downloads (and the mail's attachment) holds the new line.
        String file = get(done.path("licenseFile").asText(), customer.token()).raw();
        assertThat(LicenseFile.parse(file).lines()).extracting(LicenseLine::licenseId).containsExactly(aes);
        MimeMessage mail = mailFor(customer.email(), "Your upgraded license for " + udi);
        assertThat(mail.getContent().toString()).isNotBlank();

        // The device's next file (a resend) holds the new line and not the old one.
        Response resend = post("/api/v1/resends", customer.token(), "{\"udi\":\"" + udi + "\"}");
        assertThat(resend.status()).as(resend.raw()).isEqualTo(202);
        JsonNode resent = awaitMail(resend.headers().firstValue("Location").orElseThrow(), customer);
        assertThat(strings(resent.path("licenseIds"))).containsExactly(aes);
        String next = get(resent.path("licenseFile").asText(), customer.token()).raw();
        assertThat(LicenseFile.parse(next).lines()).extracting(LicenseLine::licenseId).containsExactly(aes).doesNotContain(ais);

        // A device that installs it runs the higher level from the new line; the old line no longer provides it.
        install(device, next);
        Snapshot after = SimulatedDevice.open(tmp.resolve("dev"), Clock.systemUTC()).snapshot();
        assertThat(after.imageLevel()).isEqualTo("adventerprise");
        assertThat(after.feature("advipservices").orElseThrow().providedBy()).isEqualTo(aes);
        assertThat(after.feature("adventerprise").orElseThrow().providedBy()).isEqualTo(aes);
        assertThat(after.license(ais).orElseThrow().inUse()).isFalse();

        // The old license migrates no further; the new one has no upgrade in the catalogue.
        JsonNode gone = get("/api/v1/licenses/" + ais + "/migrations", customer.token()).body();
        assertThat(gone.path("offers")).isEmpty();
        assertThat(gone.path("reason").asText()).contains("SUPERSEDED");
        assertThat(gone.path("migrations").get(0).path("status").asText()).isEqualTo("ISSUED");
        Response again = migrate(customer, ais, pak, "SL-1100-AES-K9");
        assertThat(again.status()).as(again.raw()).isEqualTo(409);
        assertThat(again.body().path("code").asText()).isEqualTo("NOT_MIGRATABLE");
        assertThat(get("/api/v1/licenses/" + aes + "/migrations", customer.token()).body().path("reason").asText())
                .contains("no upgrade in the catalogue");

        // Inventory and audit see it.
        assertThat(get("/api/v1/licenses?status=SUPERSEDED&udiPrefix=" + udi, customer.token()).body().path("items")
                .findValuesAsText("id")).containsExactly(ais);
        assertThat(jdbc.queryForList("select action from audit_event where subject = ? order by id", String.class,
                "migration:" + done.path("id").asText())).containsSubsequence("migration.requested", "migration.unit-redeemed",
                "license.migrated", "mail.queued");
        assertThat(jdbc.queryForList("select action from audit_event where subject = ?", String.class, "license:" + ais))
                .containsExactly("license.superseded");
        assertEndEvent(done, "EndEvent_LicenseMigrated");
        assertThat(jdbc.queryForObject("select open_license_id from license_migration where id = ?", String.class,
                UUID.fromString(done.path("id").asText()))).isNull();
    }

    @Test
    void anEvaluationIsConvertedToAPermanentLicenseOfItsFeature() throws Exception {
        TestAccount customer = newCustomer();
        String udi = "PID:C1111-4P,SN:" + randomSerial();
        ship(customer, udi);
        Response granted = post("/api/v1/evaluations", customer.token(), """
                {"udi":"%s","feature":"securityk9","email":"%s","eulaVersion":"%s","eulaAccepted":true}"""
                .formatted(udi, customer.email(), CURRENT_EULA));
        assertThat(granted.status()).as(granted.raw()).isEqualTo(201);
        String evaluation = granted.body().path("licenseIds").get(0).asText();
        SimulatedDevice device = SimulatedDevice.init(tmp.resolve("eval"), Udi.parse(udi), Clock.systemUTC(), serviceKeys());
        device.acceptEula();
        install(device, get(granted.body().path("licenseFile").asText(), customer.token()).raw());
        assertThat(SimulatedDevice.open(tmp.resolve("eval"), Clock.systemUTC()).snapshot().feature("securityk9").orElseThrow()
                .providedBy()).isEqualTo(evaluation);

        Pak pak = newPak(customer, new NewLine("FL-C1111-SEC-K9", 1));
        JsonNode offers = get("/api/v1/licenses/" + evaluation + "/migrations", customer.token()).body();
        assertThat(offers.path("type").asText()).isEqualTo("evaluation");
        assertThat(offers.path("offers").findValuesAsText("sku")).containsExactly("FL-C1111-SEC-K9");
        assertThat(offers.path("offers").get(0).path("kind").asText()).isEqualTo("CONVERSION");

        JsonNode done = awaitMail(migrate(customer, evaluation, pak, "FL-C1111-SEC-K9").headers().firstValue("Location").orElseThrow(),
                customer);
        assertThat(done.path("status").asText()).isEqualTo("ISSUED");
        assertThat(done.path("kind").asText()).isEqualTo("CONVERSION");
        String permanent = done.path("licenseIds").get(0).asText();
        assertThat(status(evaluation)).isEqualTo("SUPERSEDED");
        assertThat(jdbc.queryForMap("select status, replaces_id, license_type, feature from license where id = ?", permanent))
                .containsEntry("status", "ACTIVE").containsEntry("replaces_id", evaluation).containsEntry("license_type", "PERMANENT")
                .containsEntry("feature", "securityk9");
        assertThat(consumed(pak, "FL-C1111-SEC-K9")).isEqualTo(1);

        // On the device the permanent line provides the feature; the evaluation's days of use stop counting.
        install(device, get(done.path("licenseFile").asText(), customer.token()).raw());
        Snapshot after = SimulatedDevice.open(tmp.resolve("eval"), Clock.systemUTC()).snapshot();
        assertThat(after.feature("securityk9").orElseThrow().providedBy()).isEqualTo(permanent);
        assertThat(after.license(evaluation).orElseThrow().inUse()).isFalse();
        // A superseded evaluation is no longer extended either.
        Response extend = post("/api/v1/licenses/" + evaluation + "/extend", customer.token(), """
                {"days":10,"reason":"more","email":"%s","eulaVersion":"%s","eulaAccepted":true}""".formatted(customer.email(), CURRENT_EULA));
        assertThat(extend.status()).as(extend.raw()).isEqualTo(409);
        assertEndEvent(done, "EndEvent_LicenseMigrated");
    }

    @Test
    void refusalsAtIntakeConsumeAndStoreNothing() {
        TestAccount customer = newCustomer();
        TestAccount other = newCustomer();
        Pak pak = newPak(customer, new NewLine("FL-C1111-SEC-K9", 1), new NewLine("SL-1100-AIS-K9", 2), new NewLine("SL-1100-AES-K9", 1));
        String udi = "PID:C1111-4P,SN:" + randomSerial();
        String security = issueLicenses(customer, pak, "FL-C1111-SEC-K9", udi).get(0);
        String ais = issueLicenses(customer, pak, "SL-1100-AIS-K9", udi).get(0);

        // No upgrade path: a permanent security license has none; the AIS license names the one it has.
        Response noPath = migrate(customer, security, pak, "SL-1100-AES-K9");
        assertThat(noPath.status()).as(noPath.raw()).isEqualTo(409);
        assertThat(noPath.body().path("code").asText()).isEqualTo("NOT_MIGRATABLE");
        assertThat(noPath.body().path("allowedSkus")).isEmpty();
        Response wrongTarget = migrate(customer, ais, pak, "FL-C1111-SEC-K9");
        assertThat(wrongTarget.status()).isEqualTo(409);
        assertThat(strings(wrongTarget.body().path("allowedSkus"))).containsExactly("SL-1100-AES-K9");
        assertThat(wrongTarget.body().path("detail").asText()).contains("may migrate to SL-1100-AES-K9");

        // Another account's license is answered exactly like one that does not exist.
        Response foreign = migrate(other, ais, pak, "SL-1100-AES-K9");
        Response unknown = migrate(other, "NL-00000000-00000000", pak, "SL-1100-AES-K9");
        assertThat(foreign.status()).isEqualTo(404);
        assertThat(foreign.body().path("code").asText()).isEqualTo("UNKNOWN_LICENSE");
        assertThat(foreign.body().path("detail").asText().replace(ais, "X"))
                .isEqualTo(unknown.body().path("detail").asText().replace("NL-00000000-00000000", "X"));
        assertThat(get("/api/v1/licenses/" + ais + "/migrations", other.token()).status()).isEqualTo(404);

        // The PAK: malformed, unknown for the account (another account's), without the SKU, used up.
        assertThat(post("/api/v1/licenses/" + ais + "/migrate", customer.token(), "{\"pakCode\":\"XXXX\",\"sku\":\"SL-1100-AES-K9\"}")
                .body().path("code").asText()).isEqualTo("PAK_INVALID");
        assertThat(post("/api/v1/licenses/" + ais + "/migrate", customer.token(), "{}").status()).isEqualTo(400);
        Pak theirs = newPak(other, new NewLine("SL-1100-AES-K9", 1));
        Response unknownPak = migrate(customer, ais, theirs, "SL-1100-AES-K9");
        assertThat(unknownPak.status()).isEqualTo(422);
        assertThat(unknownPak.body().path("code").asText()).isEqualTo("PAK_UNKNOWN");
        Pak withoutIt = newPak(customer, new NewLine("FL-C1111-SEC-K9", 1));
        assertThat(migrate(customer, ais, withoutIt, "SL-1100-AES-K9").body().path("code").asText()).isEqualTo("SKU_NOT_ON_PAK");
        Pak used = newPak(customer, new NewLine("SL-1100-AES-K9", 1));
        pakService.redeem(UUID.randomUUID().toString(), customer.id(), used.code(), "SL-1100-AES-K9");
        Response exhausted = migrate(customer, ais, used, "SL-1100-AES-K9");
        assertThat(exhausted.status()).isEqualTo(422);
        assertThat(exhausted.body().path("code").asText()).isEqualTo("PAK_EXHAUSTED");

        // A locked device's licenses do not migrate.
        String locked = "PID:C1111-4P,SN:" + randomSerial();
        String lockedAis = issueLicenses(customer, pak, "SL-1100-AIS-K9", locked).get(0);
        devices.lock(Udi.parse(locked), "RMA test");
        Response lockedAnswer = migrate(customer, lockedAis, pak, "SL-1100-AES-K9");
        assertThat(lockedAnswer.status()).isEqualTo(422);
        assertThat(lockedAnswer.body().path("code").asText()).isEqualTo("DEVICE_LOCKED");
        assertThat(get("/api/v1/licenses/" + lockedAis + "/migrations", customer.token()).body().path("reason").asText()).contains("locked");

        // A second request while the first is open is refused (both in one transaction, rolled back).
        String duplicate = transactions.execute(s -> {
            s.setRollbackOnly();
            intake.submit(customer.id(), customer.id(), ais, new MigrationRequest(pak.code().formatted(), "SL-1100-AES-K9", null, null),
                    ConsentOrigin.api("127.0.0.1", "test"));
            try {
                intake.submit(customer.id(), customer.id(), ais, new MigrationRequest(pak.code().formatted(), "SL-1100-AES-K9", null, null),
                        ConsentOrigin.api("127.0.0.1", "test"));
                return "accepted twice";
            } catch (io.nodelock.workflow.RefusedException refused) {
                return refused.refusal().code();
            }
        });
        assertThat(duplicate).isEqualTo("MIGRATION_OPEN");

        assertThat(jdbc.queryForObject("select count(*) from license_migration where account_id in (?, ?)", Integer.class,
                customer.id(), other.id())).isZero();
        assertThat(consumed(pak, "SL-1100-AES-K9")).isZero();
        assertThat(status(ais)).isEqualTo("ACTIVE");
        assertThat(status(security)).isEqualTo("ACTIVE");
    }

    @Test
    void aPakEmptiedAfterTheRequestEndsInARecordedRejectionWithNothingConsumed() {
        TestAccount customer = newCustomer();
        Pak pak = newPak(customer, new NewLine("SL-1100-AIS-K9", 1), new NewLine("SL-1100-AES-K9", 1));
        String udi = "PID:C1111-4P,SN:" + randomSerial();
        String ais = issueLicenses(customer, pak, "SL-1100-AIS-K9", udi).get(0);
        String elsewhere = UUID.randomUUID().toString();
        // The request is taken, and in the same transaction the PAK's last unit goes to another operation.
        Migration m = transactions.execute(s -> {
            Migration submitted = intake.submit(customer.id(), customer.id(), ais, new MigrationRequest(pak.code().formatted(),
                    "SL-1100-AES-K9", null, null), ConsentOrigin.api("127.0.0.1", "test"));
            assertThat(pakService.redeem(elsewhere, customer.id(), pak.code(), "SL-1100-AES-K9")).isInstanceOf(Redemption.Redeemed.class);
            return submitted;
        });
        String location = "/api/v1/migrations/" + m.id();
        JsonNode refused = awaitMail(location, customer);
        assertThat(refused.path("status").asText()).isEqualTo("REJECTED");
        assertThat(refused.path("rejection").path("code").asText()).isEqualTo("PAK_EXHAUSTED");
        assertThat(refused.path("licenseIds")).isEmpty();
        assertThat(get(location + "/license-file", customer.token()).status()).isEqualTo(409);
        // Nothing consumed for the migration: the one unit used is the other operation's.
        assertThat(consumed(pak, "SL-1100-AES-K9")).isEqualTo(1);
        assertThat(jdbc.queryForObject("select count(*) from pak_redemption where fulfillment_id = ?", Integer.class, m.id())).isZero();
        assertThat(status(ais)).isEqualTo("ACTIVE");
        assertThat(jdbc.queryForObject("select count(*) from license where replaces_id = ?", Integer.class, ais)).isZero();
        assertEndEvent(refused, "EndEvent_MigrationRejected");
        assertThat(historyOf(m.processInstanceId())).contains("BoundaryEvent_UnitRefused").doesNotContain("ServiceTask_SignUpgradedLicense");
        assertThat(mailFor(customer.email(), "License " + ais + " not migrated")).isNotNull();

        // The slot is free again: with a new unit the same license migrates.
        Pak more = newPak(customer, new NewLine("SL-1100-AES-K9", 1));
        JsonNode done = awaitMail(migrate(customer, ais, more, "SL-1100-AES-K9").headers().firstValue("Location").orElseThrow(), customer);
        assertThat(done.path("status").asText()).isEqualTo("ISSUED");
    }

    @Test
    void aDeviceLockedAfterTheRequestIsRefusedByTheFlowBeforeAnyUnitIsRedeemed() {
        TestAccount customer = newCustomer();
        Pak pak = newPak(customer, new NewLine("SL-1100-AIS-K9", 1), new NewLine("SL-1100-AES-K9", 1));
        String udi = "PID:C1111-4P,SN:" + randomSerial();
        String ais = issueLicenses(customer, pak, "SL-1100-AIS-K9", udi).get(0);
        Migration m = transactions.execute(s -> {
            Migration submitted = intake.submit(customer.id(), customer.id(), ais, new MigrationRequest(pak.code().formatted(),
                    "SL-1100-AES-K9", null, null), ConsentOrigin.api("127.0.0.1", "test"));
            devices.lock(Udi.parse(udi), "RMA test");
            return submitted;
        });
        JsonNode refused = awaitMail("/api/v1/migrations/" + m.id(), customer);
        assertThat(refused.path("status").asText()).isEqualTo("REJECTED");
        assertThat(refused.path("rejection").path("code").asText()).isEqualTo("DEVICE_LOCKED");
        assertThat(consumed(pak, "SL-1100-AES-K9")).isZero();
        assertThat(status(ais)).isEqualTo("ACTIVE");
        assertEndEvent(refused, "EndEvent_MigrationRejected");
        assertThat(historyOf(m.processInstanceId())).contains("BoundaryEvent_MigrationNotAllowed")
                .doesNotContain("ServiceTask_RedeemUpgradeUnit");
        assertThat(jdbc.queryForList("select action from audit_event where subject = ? order by id", String.class, "migration:" + m.id()))
                .containsSubsequence("migration.requested", "migration.refused").doesNotContain("migration.unit-redeemed", "license.migrated");
    }

    @Test
    void redeliveredStepsChangeNothing() {
        TestAccount customer = newCustomer();
        Pak pak = newPak(customer, new NewLine("SL-1100-AIS-K9", 2), new NewLine("SL-1100-AES-K9", 2));
        String udi = "PID:C1111-4P,SN:" + randomSerial();
        String ais = issueLicenses(customer, pak, "SL-1100-AIS-K9", udi).get(0);
        JsonNode done = awaitMail(migrate(customer, ais, pak, "SL-1100-AES-K9").headers().firstValue("Location").orElseThrow(), customer);
        Migration issued = intake.find(UUID.fromString(done.path("id").asText()), customer.id(), false).orElseThrow();
        String before = snapshot(customer, pak);
        for (String topic : List.of("check-migration", "redeem-upgrade-unit", "sign-upgraded-license", "email-upgraded-license")) {
            replay(issued, topic);
        }
        assertThatThrownBy(() -> replay(issued, "record-migration-rejection")).hasMessageContaining("has no recorded refusal");
        assertThat(snapshot(customer, pak)).isEqualTo(before);

        // A refused migration's steps, delivered again, neither redeem nor sign.
        String other = issueLicenses(customer, pak, "SL-1100-AIS-K9", "PID:C1111-4P,SN:" + randomSerial()).get(0);
        Migration rejected = transactions.execute(s -> {
            Migration submitted = intake.submit(customer.id(), customer.id(), other, new MigrationRequest(pak.code().formatted(),
                    "SL-1100-AES-K9", null, null), ConsentOrigin.api("127.0.0.1", "test"));
            devices.lock(Udi.parse(jdbc.queryForObject("select udi from license where id = ?", String.class, other)), "RMA test");
            return submitted;
        });
        awaitMail("/api/v1/migrations/" + rejected.id(), customer);
        String afterRejection = snapshot(customer, pak);
        replay(rejected, "check-migration");
        replay(rejected, "record-migration-rejection");
        assertThatThrownBy(() -> replay(rejected, "redeem-upgrade-unit")).hasMessageContaining("refusing to redeem");
        assertThatThrownBy(() -> replay(rejected, "sign-upgraded-license")).hasMessageContaining("refusing to sign");
        assertThatThrownBy(() -> replay(rejected, "email-upgraded-license")).hasMessageContaining("no license to mail");
        assertThat(snapshot(customer, pak)).isEqualTo(afterRejection);
    }

    @Test
    void anInstanceTheIntakeDidNotStartSignsNothing() {
        TestAccount customer = newCustomer();
        Pak pak = newPak(customer, new NewLine("SL-1100-AIS-K9", 1), new NewLine("SL-1100-AES-K9", 1));
        String ais = issueLicenses(customer, pak, "SL-1100-AIS-K9", "PID:C1111-4P,SN:" + randomSerial()).get(0);
        String instance = runtime.createProcessInstanceByKey("license-migration").startBeforeActivity("ServiceTask_SignUpgradedLicense")
                .setVariables(Map.of("licenseId", ais, "accountId", customer.id(), "sku", "SL-1100-AES-K9",
                        "pakCode", pak.code().formatted(), "migrationId", UUID.randomUUID().toString()))
                .execute().getId();
        await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.queryForObject(
                "select count(*) from act_ru_incident where proc_inst_id_ = ?", Integer.class, instance) == 1);
        assertThat(jdbc.queryForObject("select incident_msg_ from act_ru_incident where proc_inst_id_ = ?", String.class, instance))
                .contains("was not started by Nodelock's intake");
        assertThat(status(ais)).isEqualTo("ACTIVE");
        assertThat(consumed(pak, "SL-1100-AES-K9")).isZero();
        assertThat(jdbc.queryForObject("select count(*) from license where replaces_id = ?", Integer.class, ais)).isZero();
        runtime.deleteProcessInstance(instance, "test cleanup");
    }

    // ---- helpers ----

    private Response migrate(TestAccount customer, String licenseId, Pak pak, String sku) {
        return post("/api/v1/licenses/" + licenseId + "/migrate", customer.token(), "{\"pakCode\":\"" + pak.code().formatted()
                + "\",\"sku\":\"" + sku + "\"}");
    }

    private String fulfillmentOf(String licenseId) {
        return jdbc.queryForObject("select issue_id from license where id = ?", UUID.class, licenseId).toString();
    }

    private String status(String licenseId) {
        return jdbc.queryForObject("select status from license where id = ?", String.class, licenseId);
    }

    private int consumed(Pak pak, String sku) {
        return jdbc.queryForObject("select consumed from pak_line where pak_code = ? and sku = ?", Integer.class, pak.code().value(), sku);
    }

    private List<PublicKeyInfo> serviceKeys() {
        List<PublicKeyInfo> keys = new ArrayList<>();
        get("/api/v1/keys", null).body().path("keys").forEach(k -> keys.add(PublicKeyInfo.fromPem(k.path("pem").asText())));
        return keys;
    }

    private void install(SimulatedDevice device, String licenseFile) throws Exception {
        Path file = Files.createTempFile(tmp, "license-", ".lic");
        Files.writeString(file, licenseFile);
        SimulatedDevice opened = SimulatedDevice.open(device.dir(), Clock.systemUTC());
        assertThat(opened.install(file)).noneMatch(SimulatedDevice.InstallResult::rejected);
    }

    private MimeMessage mailFor(String recipient, String subject) {
        MimeMessage[] found = new MimeMessage[1];
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            for (MimeMessage message : SMTP.getReceivedMessagesForDomain(recipient.substring(recipient.indexOf('@') + 1))) {
                if (subject.equals(message.getSubject()) && Arrays.stream(message.getAllRecipients()).anyMatch(a -> a.toString().equals(recipient))) {
                    found[0] = message;
                    return true;
                }
            }
            return false;
        });
        return found[0];
    }

    /** Polls until the request ended and its mail was handed to SMTP (one answer reads the row, then the mail: both must show it). */
    private JsonNode awaitMail(String location, TestAccount customer) {
        JsonNode[] last = new JsonNode[1];
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            last[0] = get(location, customer.token()).body();
            return "SENT".equals(last[0].path("mail").path("status").asText())
                    && List.of("ISSUED", "REJECTED").contains(last[0].path("status").asText());
        });
        return last[0];
    }

    private List<String> historyOf(String instance) {
        return jdbc.queryForList("select act_id_ from act_hi_actinst where proc_inst_id_ = ?", String.class, instance);
    }

    private void assertEndEvent(JsonNode migration, String endEvent) {
        String instance = jdbc.queryForObject("select process_instance_id from license_migration where id = ?", String.class,
                UUID.fromString(migration.path("id").asText()));
        await().atMost(Duration.ofSeconds(20)).ignoreExceptions().untilAsserted(() -> assertThat(jdbc.queryForObject(
                "select end_act_id_ from act_hi_procinst where id_ = ?", String.class, instance)).isEqualTo(endEvent));
    }

    private void replay(Migration m, String topic) {
        transactions.executeWithoutResult(s -> steps.step(topic).orElseThrow().invoke(new StepContext(topic, "replay",
                m.processInstanceId(), m.id().toString(), name -> null)));
    }

    /** Everything a step could change: PAK units, redemptions, licenses and their statuses, migrations, mails. */
    private String snapshot(TestAccount customer, Pak pak) {
        return String.join("|",
                jdbc.queryForList("select sku || '=' || consumed from pak_line where pak_code = ? order by sku", String.class,
                        pak.code().value()).toString(),
                jdbc.queryForObject("select count(*) from pak_redemption r join pak_line l on l.id = r.pak_line_id where l.pak_code = ?",
                        Integer.class, pak.code().value()).toString(),
                jdbc.queryForList("select id || ':' || status || ':' || coalesce(replaces_id, '-') from license where account_id = ? order by id",
                        String.class, customer.id()).toString(),
                jdbc.queryForList("select id || ':' || status || ':' || coalesce(superseded_ids, '-') from license_migration "
                        + "where account_id = ? order by id", String.class, customer.id()).toString(),
                jdbc.queryForList("select operation_id from mail_outbox where recipient = ? order by 1", String.class, customer.email())
                        .toString());
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(n -> values.add(n.asText()));
        return values;
    }
}
