package io.nodelock.manufacturing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nodelock.account.Role;
import io.nodelock.eula.ConsentOrigin;
import io.nodelock.eula.EulaConsents;
import io.nodelock.licensefile.CertificateVerification;
import io.nodelock.licensefile.LicenseLine;
import io.nodelock.licensefile.ManufacturingBundle;
import io.nodelock.licensefile.Udi;
import io.nodelock.pak.Pak;
import io.nodelock.pak.PakService.NewLine;
import io.nodelock.support.ServiceIT;
import io.nodelock.workflow.FlowSteps;
import io.nodelock.workflow.RefusedException;
import io.nodelock.workflow.StepContext;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.operaton.bpm.engine.RuntimeService;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;

/** Every path of bpmn/manufacturing-preinstall.bpmn on PostgreSQL, through the operators' API. */
class ManufacturingFlowIT extends ServiceIT {

    static final String SEC = "FL-C1111-SEC-K9";
    static final String AIS = "SL-1100-AIS-K9";
    static final String BASE = "/api/v1/manufacturing-orders";

    @Autowired
    ManufacturingIntake intake;
    @Autowired
    EulaConsents eulas;
    @Autowired
    FlowSteps steps;
    @Autowired
    RuntimeService runtime;
    @Autowired
    TransactionTemplate transactions;

    // ---- UDI mode ----

    @Test
    void udiModeMakesCertifiedDevicesWhoseLicensesAreTheAccountsAndWhoseArchiveParses() throws Exception {
        TestAccount operator = operator();
        TestAccount customer = newCustomer();
        String a = c1111();
        String b = c1111() + ",VID:V02";
        String c = c1111();
        ObjectNode order = udiOrder(customer, "PO-1", device(a, SEC, AIS), device(b, SEC), device(c));

        Response accepted = post(BASE, operator.token(), order.toString());
        assertThat(accepted.status()).as(accepted.raw()).isEqualTo(201);
        String location = accepted.headers().firstValue("Location").orElseThrow();
        assertThat(location).isEqualTo(BASE + "/" + accepted.body().path("id").asText());
        JsonNode done = awaitStatus(location, operator, "COMPLETED");
        assertThat(done.path("progress").toString()).isEqualTo("{\"total\":3,\"made\":3,\"failed\":0,\"done\":3,\"percent\":100}");
        assertThat(done.path("mode").asText()).isEqualTo("UDI");
        assertThat(done.path("archive").asText()).isEqualTo(location + "/archive");

        // Each device: the account's, its certified key recorded, its licenses in the account's inventory.
        for (JsonNode d : done.path("devices")) {
            String binding = Udi.parse(d.path("udi").asText()).binding();
            assertThat(d.path("state").asText()).isEqualTo("MADE");
            assertThat(jdbc.queryForObject("select account_id from device where udi = ?", String.class, binding)).isEqualTo(customer.id());
            assertThat(jdbc.queryForObject("select certificate_serial from device_key where udi = ?", String.class, binding))
                    .isEqualTo(d.path("certificateSerial").asText());
            assertThat(jdbc.queryForList("select id from license where udi = ? and account_id = ? and status = 'ACTIVE'", String.class,
                    binding, customer.id())).containsExactlyInAnyOrderElementsOf(strings(d.path("licenseIds")));
        }
        assertThat(done.path("devices").get(0).path("licenseIds")).hasSize(2);
        assertThat(done.path("devices").get(1).path("udi").asText()).isEqualTo(Udi.parse(b).toString());
        assertThat(done.path("devices").get(2).path("licenseIds")).isEmpty();

        // The archive: one bundle per device that check()s OK and carries its licenses, and the manifest.
        Map<String, String> files = FactoryArchiveTest.unzip(download(location + "/archive", operator, "application/zip"));
        assertThat(files).hasSize(4).containsKey("manifest.csv");
        List<String> manifest = files.get("manifest.csv").lines().toList();
        assertThat(manifest.get(0)).isEqualTo(FactoryArchive.MANIFEST_HEADER);
        assertThat(manifest).hasSize(4);
        for (JsonNode d : done.path("devices")) {
            Udi udi = Udi.parse(d.path("udi").asText());
            ManufacturingBundle bundle = ManufacturingBundle.parse(files.get(FactoryArchive.fileName(udi)));
            assertThat(bundle.udi()).isEqualTo(udi);
            CertificateVerification check = bundle.check(Instant.now());
            assertThat(check.ok()).as(check.message()).isTrue();
            assertThat(bundle.certificate().serial()).isEqualTo(d.path("certificateSerial").asText());
            assertThat(bundle.licenses()).extracting(LicenseLine::licenseId).containsExactlyElementsOf(strings(d.path("licenseIds")));
            assertThat(manifest).contains("\"" + udi.binding() + "\"," + FactoryArchive.fileName(udi) + ",MADE,"
                    + String.join(" ", strings(d.path("skus"))) + "," + String.join(" ", strings(d.path("licenseIds"))) + ","
                    + d.path("certificateSerial").asText() + ",");
            // One bundle on its own is the same text.
            String one = new String(download(d.path("bundle").asText(), operator, "text/plain"), java.nio.charset.StandardCharsets.UTF_8);
            assertThat(one).isEqualTo(files.get(FactoryArchive.fileName(udi)));
        }

        // Stored encrypted: no bundle text, no private key in the database; audited without keys; mails carry none.
        UUID id = UUID.fromString(done.path("id").asText());
        for (byte[] stored : jdbc.queryForList("select bundle from manufacturing_device where order_id = ?", byte[].class, id)) {
            assertThat(new String(stored, java.nio.charset.StandardCharsets.ISO_8859_1)).doesNotContain("NLMB1", "PRIVATE KEY");
        }
        assertThat(jdbc.queryForObject("select count(*) from audit_event where detail like '%PRIVATE KEY%'", Integer.class)).isZero();
        assertThat(actions(id)).contains("manufacturing.submitted", "manufacturing.devices-claimed", "manufacturing.batch-made",
                "manufacturing.completed", "manufacturing.archive-downloaded", "manufacturing.bundle-downloaded");
        awaitMail(location, operator);
        await().atMost(Duration.ofSeconds(30)).until(() -> SMTP.getReceivedMessagesForDomain(customer.email()).length == 1);
        assertThat(jdbc.queryForList("select body from mail_outbox where operation_id like ?", String.class, "manufacturing-mail:" + id + "%"))
                .hasSize(2).allSatisfy(body -> assertThat(body).doesNotContain("PRIVATE KEY", "NLMB1", "NL-"));
        assertEndEvent(id, "EndEvent_OrderCompleted");

        // Preinstalled licenses are licenses like any other: the customer's resend of the device holds them.
        Response resend = post("/api/v1/resends", customer.token(), "{\"udi\":\"" + a + "\"}");
        assertThat(resend.status()).as(resend.raw()).isEqualTo(202);
        JsonNode resent = awaitStatus(resend.headers().firstValue("Location").orElseThrow(), customer, "ISSUED");
        assertThat(strings(resent.path("licenseIds"))).containsExactlyInAnyOrderElementsOf(strings(done.path("devices").get(0).path("licenseIds")));
    }

    @Test
    void aSkuNeedingTheEulaIsPreinstalledOnlyUnderTheAccountsConsentToTheCurrentVersion() {
        TestAccount operator = operator();
        TestAccount customer = newCustomer();
        String udi = "PID:ISR4331/K9,SN:" + randomSerial();
        String body = udiOrder(customer, "PO-EULA", device(udi, "EVAL-ISR4300-SEC")).toString();
        assertProblem(post(BASE, operator.token(), body), 422, "eula-not-accepted");

        String current = eulas.current().version();
        transactions.executeWithoutResult(s -> eulas.record(customer.id(), customer.id(), current,
                new ConsentOrigin("api", "127.0.0.1", "test"), "evaluation:test"));
        Response accepted = post(BASE, operator.token(), body);
        assertThat(accepted.status()).as(accepted.raw()).isEqualTo(201);
        JsonNode done = awaitStatus(accepted.headers().firstValue("Location").orElseThrow(), operator, "COMPLETED");
        assertThat(done.path("eulaVersion").asText()).isEqualTo(current);
        String licenseId = done.path("devices").get(0).path("licenseIds").get(0).asText();
        LicenseLine line = LicenseLine.parse(jdbc.queryForObject("select line from license where id = ?", String.class, licenseId));
        assertThat(line.eulaVersion()).isEqualTo(current);
        // Browsing the archive's device with a slash in its PID: its file name (~ for /) finds it too.
        assertThat(done.path("devices").get(0).path("bundle").asText()).endsWith("/devices/ISR4331~K9_" + Udi.parse(udi).serialNumber()
                + "/bundle");
        assertThat(download(done.path("devices").get(0).path("bundle").asText(), operator, "text/plain")).isNotEmpty();
    }

    @Test
    void moreDevicesThanABatchAreMadeInOneTransactionPerBatch() {
        TestAccount operator = operator();
        TestAccount customer = newCustomer();
        ObjectNode[] devices = new ObjectNode[120];
        for (int i = 0; i < devices.length; i++) {
            devices[i] = device(c1111(), SEC);
        }
        Response accepted = post(BASE, operator.token(), udiOrder(customer, "PO-120", devices).toString());
        assertThat(accepted.status()).as(accepted.raw()).isEqualTo(201);
        UUID id = UUID.fromString(accepted.body().path("id").asText());
        List<Integer> seen = new ArrayList<>();
        JsonNode[] last = new JsonNode[1];
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(20)).until(() -> {
            last[0] = get(BASE + "/" + id, operator.token()).body();
            seen.add(last[0].path("progress").path("percent").asInt());
            return "COMPLETED".equals(last[0].path("status").asText());
        });
        assertThat(last[0].path("progress").path("made").asInt()).isEqualTo(120);
        assertThat(seen).isSorted();
        // 50 + 50 + 20: three batches, each its own transaction (its own audit event and xmin).
        assertThat(jdbc.queryForList("select detail from audit_event where subject = ? and action = 'manufacturing.batch-made' order by id",
                String.class, "manufacturing:" + id)).containsExactly("50 made, 0 failed; 50 of 120 done (41%)",
                "50 made, 0 failed; 100 of 120 done (83%)", "20 made, 0 failed; 120 of 120 done (100%)");
        assertThat(jdbc.queryForObject("select count(distinct xmin::text) from manufacturing_device where order_id = ?", Integer.class, id))
                .isEqualTo(3);
        assertThat(jdbc.queryForObject("select count(*) from license where account_id = ?", Integer.class, customer.id())).isEqualTo(120);
        assertEndEvent(id, "EndEvent_OrderCompleted");
    }

    // ---- PAK mode ----

    @Test
    void pakModeRedeemsOneUnitOfEachSkuPerDevice() {
        TestAccount operator = operator();
        TestAccount customer = newCustomer();
        Pak pak = newPak(customer, new NewLine(SEC, 3), new NewLine(AIS, 5));
        String[] udis = {c1111(), c1111(), c1111()};
        Response accepted = post(BASE, operator.token(), pakOrder(customer, pak, List.of(SEC, AIS), udis).toString());
        assertThat(accepted.status()).as(accepted.raw()).isEqualTo(201);
        JsonNode done = awaitStatus(accepted.headers().firstValue("Location").orElseThrow(), operator, "COMPLETED");
        assertThat(done.path("mode").asText()).isEqualTo("PAK");
        assertThat(done.path("progress").path("made").asInt()).isEqualTo(3);
        assertThat(consumed(pak, SEC)).isEqualTo(3);
        assertThat(consumed(pak, AIS)).isEqualTo(3);
        for (String udi : udis) {
            assertThat(jdbc.queryForList("select feature from license where udi = ? and account_id = ?", String.class, udi, customer.id()))
                    .containsExactlyInAnyOrder("securityk9", "advipservices");
        }
        assertEndEvent(UUID.fromString(done.path("id").asText()), "EndEvent_OrderCompleted");
    }

    @Test
    void aPakWithTooFewUnitsOrOfAnotherAccountIsRefusedAtIntakeAndNothingIsRecorded() {
        TestAccount operator = operator();
        TestAccount customer = newCustomer();
        TestAccount other = newCustomer();
        Pak small = newPak(customer, new NewLine(SEC, 2));
        Pak foreign = newPak(other, new NewLine(SEC, 10));
        String[] udis = {c1111(), c1111(), c1111()};
        Response tooFew = post(BASE, operator.token(), pakOrder(customer, small, List.of(SEC), udis).toString());
        assertProblem(tooFew, 422, "pak-exhausted");
        assertThat(tooFew.body().path("unitsLeft").asInt()).isEqualTo(2);
        assertThat(tooFew.body().path("unitsNeeded").asInt()).isEqualTo(3);
        assertProblem(post(BASE, operator.token(), pakOrder(customer, foreign, List.of(SEC), udis).toString()), 422, "pak-unknown");
        assertProblem(post(BASE, operator.token(), pakOrder(customer, small, List.of(AIS), udis[0]).toString()), 422, "sku-not-on-pak");
        ObjectNode badCode = pakOrder(customer, small, List.of(SEC), udis[0]).put("pakCode", "not a pak");
        assertProblem(post(BASE, operator.token(), badCode.toString()), 400, "invalid-request");
        assertThat(consumed(small, SEC)).isZero();
        assertThat(jdbc.queryForObject("select count(*) from manufacturing_order where account_id = ?", Integer.class, customer.id())).isZero();
        assertThat(jdbc.queryForObject("select count(*) from device where udi = ?", Integer.class, udis[0])).isZero();
    }

    @Test
    void aPakEmptiedAfterSubmissionEndsTheOrderRejectedWithNothingConsumedOrShipped() {
        TestAccount operator = operator();
        TestAccount customer = newCustomer();
        Pak pak = newPak(customer, new NewLine(SEC, 5), new NewLine(AIS, 5));
        String[] udis = {c1111(), c1111()};
        // The order is taken, and in the same transaction the PAK's SEC units go elsewhere (other fulfillments).
        ManufacturingOrder order = transactions.execute(s -> {
            ManufacturingOrder o = intake.submit(operator.id(), request(customer, pak, List.of(SEC, AIS), udis));
            jdbc.update("update pak_line set consumed = 4 where pak_code = ? and sku = ?", pak.code().value(), SEC);
            return o;
        });
        JsonNode rejected = awaitStatus(BASE + "/" + order.id(), operator, "REJECTED");
        assertThat(rejected.path("rejection").path("code").asText()).isEqualTo("PAK_EXHAUSTED");
        assertThat(rejected.path("devices")).allSatisfy(d -> assertThat(d.path("state").asText()).isEqualTo("PENDING"));
        assertThat(consumed(pak, SEC)).isEqualTo(4);
        assertThat(consumed(pak, AIS)).isZero();
        for (String udi : udis) {
            assertThat(jdbc.queryForObject("select count(*) from device where udi = ?", Integer.class, udi)).isZero();
            assertThat(jdbc.queryForObject("select count(*) from device_key where udi = ?", Integer.class, udi)).isZero();
        }
        assertProblem(get(BASE + "/" + order.id() + "/archive", operator.token()), 409, "order-not-complete");
        assertEndEvent(order.id(), "EndEvent_OrderRejected");
        await().atMost(Duration.ofSeconds(30)).until(() -> "SENT".equals(get(BASE + "/" + order.id(), operator.token()).body()
                .path("mail").path("status").asText()));
        assertThat(actions(order.id())).contains("manufacturing.rejected");
        // Its UDIs are free again for another order.
        jdbc.update("update pak_line set consumed = 0 where pak_code = ?", pak.code().value());
        assertThat(post(BASE, operator.token(), pakOrder(customer, pak, List.of(SEC), udis).toString()).status()).isEqualTo(201);
    }

    @Test
    void aDeviceTakenOverBetweenClaimAndBatchFailsAloneWithItsReasonAndTheRestIsMade() {
        TestAccount operator = operator();
        TestAccount customer = newCustomer();
        Pak pak = newPak(customer, new NewLine(SEC, 3));
        String[] udis = {c1111(), c1111(), c1111()};
        // Held back after submission: the test runs the claim step itself, then the device is certified elsewhere.
        ManufacturingOrder order = transactions.execute(s -> {
            ManufacturingOrder o = intake.submit(operator.id(), request(customer, pak, List.of(SEC), udis));
            runtime.suspendProcessInstanceById(o.processInstanceId());
            return o;
        });
        assertProblem(get(BASE + "/" + order.id() + "/archive", operator.token()), 409, "order-not-complete");
        replay(order, ManufacturingProcess_TOPIC_REDEEM);
        assertThat(get(BASE + "/" + order.id(), operator.token()).body().path("status").asText()).isEqualTo("MAKING");
        assertThat(post("/api/v1/devices/bundles", operator.token(), JsonNodeFactory.instance.objectNode().put("accountId", customer.id())
                .put("udi", udis[1]).put("reference", "made elsewhere").toString()).status()).isEqualTo(200);
        runtime.activateProcessInstanceById(order.processInstanceId());

        JsonNode done = awaitStatus(BASE + "/" + order.id(), operator, "COMPLETED");
        assertThat(done.path("progress").toString()).isEqualTo("{\"total\":3,\"made\":2,\"failed\":1,\"done\":3,\"percent\":100}");
        JsonNode failed = done.path("devices").get(1);
        assertThat(failed.path("state").asText()).isEqualTo("FAILED");
        assertThat(failed.path("failure").path("code").asText()).isEqualTo("DEVICE_ALREADY_CERTIFIED");
        assertThat(failed.path("bundle").asText(null)).isNull();
        assertThat(jdbc.queryForObject("select count(*) from license where udi = ?", Integer.class, udis[1])).isZero();
        // The unit redeemed for it at the claim stays used (docs/manufacturing.md); each made device has its license.
        assertThat(consumed(pak, SEC)).isEqualTo(3);
        assertThat(jdbc.queryForObject("select count(*) from license where account_id = ?", Integer.class, customer.id())).isEqualTo(2);
        Map<String, String> files = unzipArchive(order.id(), operator);
        assertThat(files).hasSize(3).doesNotContainKey(FactoryArchive.fileName(Udi.parse(udis[1])));
        assertThat(files.get("manifest.csv")).contains("\"" + udis[1] + "\",,FAILED," + SEC + ",,,DEVICE_ALREADY_CERTIFIED");
        assertThat(actions(order.id())).contains("manufacturing.device-failed");
    }

    @Test
    void aRedeliveredStepNeitherConsumesNorIssuesNorMakesAgain() {
        TestAccount operator = operator();
        TestAccount customer = newCustomer();
        Pak pak = newPak(customer, new NewLine(SEC, 2), new NewLine(AIS, 2));
        String[] udis = {c1111(), c1111()};
        Response accepted = post(BASE, operator.token(), pakOrder(customer, pak, List.of(SEC, AIS), udis).toString());
        JsonNode done = awaitStatus(accepted.headers().firstValue("Location").orElseThrow(), operator, "COMPLETED");
        ManufacturingOrder order = intake.find(UUID.fromString(done.path("id").asText())).orElseThrow();
        awaitMail(BASE + "/" + order.id(), operator);
        String before = snapshot(order, customer, pak);

        for (String topic : List.of(ManufacturingProcess_TOPIC_REDEEM, "make-device-batch", "build-factory-archive", "email-order-ready")) {
            replay(order, topic);
        }
        assertThat(snapshot(order, customer, pak)).isEqualTo(before);
        assertThat(get(BASE + "/" + order.id(), operator.token()).body().path("devices").toString()).isEqualTo(done.path("devices").toString());
        // The rejection step of a completed order has nothing to record: a fault (an incident), not a mail.
        assertThatThrownBy(() -> replay(order, "record-order-rejection")).hasMessageContaining("has no recorded refusal");
    }

    // ---- intake refusals ----

    @Test
    void theIntakeRefusesBadOrdersWithProblemDetailsAndRecordsNothing() {
        TestAccount operator = operator();
        TestAccount customer = newCustomer();
        TestAccount owner = newCustomer();
        String theirs = c1111();
        ship(owner, theirs);
        String certified = c1111();
        assertThat(post("/api/v1/devices/bundles", operator.token(), JsonNodeFactory.instance.objectNode().put("accountId", customer.id())
                .put("udi", certified).put("reference", "earlier").toString()).status()).isEqualTo(200);
        String fresh = c1111();

        Response another = post(BASE, operator.token(), udiOrder(customer, "x", device(fresh), device(theirs, SEC)).toString());
        assertProblem(another, 409, "device-of-another-account");
        assertThat(strings(another.body().path("udis"))).containsExactly(theirs);
        Response again = post(BASE, operator.token(), udiOrder(customer, "x", device(certified), device(fresh)).toString());
        assertProblem(again, 409, "device-already-certified");
        assertThat(strings(again.body().path("udis"))).containsExactly(certified);
        Response unknownSku = post(BASE, operator.token(), udiOrder(customer, "x", device(fresh, "NO-SUCH-SKU")).toString());
        assertProblem(unknownSku, 400, "sku-unknown");
        assertThat(unknownSku.body().path("errors").get(0).path("field").asText()).isEqualTo("devices[0].skus");
        assertProblem(post(BASE, operator.token(), udiOrder(customer, "x", device(fresh, "FL-ISR4300-SEC-K9")).toString()), 422,
                "udi-not-valid-for-sku");
        Response duplicate = post(BASE, operator.token(), udiOrder(customer, "x", device(fresh), device(fresh + ",VID:V01")).toString());
        assertProblem(duplicate, 400, "duplicate-udi");
        assertThat(strings(duplicate.body().path("udis"))).containsExactly(fresh);
        Response badUdi = post(BASE, operator.token(), udiOrder(customer, "x", device(fresh), device("PID:c1111,SN:1")).toString());
        assertProblem(badUdi, 400, "udi-invalid");
        assertThat(badUdi.body().path("errors").get(0).path("field").asText()).isEqualTo("devices[1].udi");
        assertProblem(post(BASE, operator.token(), udiOrder(customer, "x", device(fresh, SEC, SEC)).toString()), 400, "invalid-request");
        ObjectNode noAccount = udiOrder(customer, "x", device(fresh)).put("accountId", "no-such-account");
        assertProblem(post(BASE, operator.token(), noAccount.toString()), 400, "invalid-request");
        assertProblem(post(BASE, operator.token(), udiOrder(customer, " ", device(fresh)).toString()), 400, "invalid-request");
        assertProblem(post(BASE, operator.token(), udiOrder(customer, "x").toString()), 400, "invalid-request");
        ObjectNode both = udiOrder(customer, "x", device(fresh)).put("pakCode", "ABCD");
        assertProblem(post(BASE, operator.token(), both.toString()), 400, "invalid-request");
        ObjectNode[] many = new ObjectNode[1001];
        for (int i = 0; i < many.length; i++) {
            many[i] = device("PID:C1111-4P,SN:MANY" + i);
        }
        assertProblem(post(BASE, operator.token(), udiOrder(customer, "x", many).toString()), 400, "too-many-devices");

        // A UDI of an open order is not in a second one.
        assertThatThrownBy(() -> transactions.executeWithoutResult(s -> {
            intake.submit(operator.id(), new ManufacturingIntake.OrderRequest(customer.id(), "first", List.of(
                    new ManufacturingIntake.DeviceRequest(fresh, List.of())), null, null, null));
            intake.submit(operator.id(), new ManufacturingIntake.OrderRequest(customer.id(), "second", List.of(
                    new ManufacturingIntake.DeviceRequest(fresh, List.of())), null, null, null));
        })).isInstanceOf(RefusedException.class).extracting(e -> ((RefusedException) e).refusal().code()).isEqualTo("DEVICE_IN_OPEN_ORDER");
        assertThat(jdbc.queryForObject("select count(*) from manufacturing_order where account_id = ?", Integer.class, customer.id())).isZero();
        assertThat(jdbc.queryForObject("select count(*) from device where udi = ?", Integer.class, fresh)).isZero();
        assertThat(jdbc.queryForObject("select account_id from device where udi = ?", String.class, theirs)).isEqualTo(owner.id());
    }

    @Test
    void onlyOperatorsOrderAndDownloadAndErasedBundlesAreGone() {
        TestAccount operator = operator();
        TestAccount customer = newCustomer();
        String udi = c1111();
        String body = udiOrder(customer, "PO-ERASE", device(udi, SEC)).toString();
        assertThat(post(BASE, customer.token(), body).status()).isEqualTo(403);
        assertThat(post(BASE, null, body).status()).isEqualTo(401);
        Response accepted = post(BASE, operator.token(), body);
        String location = accepted.headers().firstValue("Location").orElseThrow();
        JsonNode done = awaitStatus(location, operator, "COMPLETED");
        String bundle = done.path("devices").get(0).path("bundle").asText();
        assertThat(get(location, customer.token()).status()).isEqualTo(403);
        assertThat(get(location + "/archive", customer.token()).status()).isEqualTo(403);
        assertThat(get(bundle, customer.token()).status()).isEqualTo(403);
        assertThat(delete(location + "/bundles", customer.token()).status()).isEqualTo(403);
        assertThat(get(BASE + "/" + UUID.randomUUID(), operator.token()).status()).isEqualTo(404);
        assertThat(get(BASE + "/not-a-uuid", operator.token()).status()).isEqualTo(404);
        assertThat(get(location + "/devices/PID:C1111-4P,SN:NOTINORDER/bundle", operator.token()).status()).isEqualTo(404);

        Response erased = delete(location + "/bundles", operator.token());
        assertThat(erased.status()).as(erased.raw()).isEqualTo(200);
        assertThat(erased.body().path("status").asText()).isEqualTo("ERASED");
        assertThat(erased.body().path("archive").asText(null)).isNull();
        assertProblem(get(location + "/archive", operator.token()), 410, "bundles-erased");
        assertProblem(get(bundle, operator.token()), 410, "bundles-erased");
        UUID id = UUID.fromString(done.path("id").asText());
        assertThat(jdbc.queryForObject("select count(*) from manufacturing_device where order_id = ? and bundle is not null", Integer.class, id))
                .isZero();
        assertThat(jdbc.queryForObject("select count(*) from manufacturing_order where id = ? and archive is not null", Integer.class, id))
                .isZero();
        assertThat(delete(location + "/bundles", operator.token()).status()).isEqualTo(200);
        assertThat(jdbc.queryForList("select actor from audit_event where subject = ? and action = 'manufacturing.bundles-erased'",
                String.class, "manufacturing:" + id)).containsExactly(operator.id());
        // The device and its licenses stay: only the stored private key is gone.
        assertThat(jdbc.queryForObject("select count(*) from license where udi = ? and status = 'ACTIVE'", Integer.class, udi)).isEqualTo(1);
    }

    @Test
    void anInstanceTheIntakeDidNotStartMakesNothing() {
        String instance = runtime.startProcessInstanceByKey("manufacturing-preinstall", Map.of("orderId", UUID.randomUUID().toString(),
                "accountId", "acct-x")).getId();
        await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.queryForObject(
                "select count(*) from act_ru_incident where proc_inst_id_ = ?", Integer.class, instance) == 1);
        assertThat(jdbc.queryForObject("select incident_msg_ from act_ru_incident where proc_inst_id_ = ?", String.class, instance))
                .contains("was not started by Nodelock's intake");
        runtime.deleteProcessInstance(instance, "test cleanup");
    }

    // ---- helpers ----

    static final String ManufacturingProcess_TOPIC_REDEEM = "redeem-order-units";

    private void replay(ManufacturingOrder order, String topic) {
        transactions.executeWithoutResult(s -> steps.step(topic).orElseThrow().invoke(new StepContext(topic, "replay",
                order.processInstanceId(), order.id().toString(), name -> null)));
    }

    private String snapshot(ManufacturingOrder order, TestAccount customer, Pak pak) {
        return String.join("|", jdbc.queryForList("select sku || '=' || consumed from pak_line where pak_code = ? order by sku",
                        String.class, pak.code().value()).toString(),
                jdbc.queryForList("select id from license where account_id = ? order by id", String.class, customer.id()).toString(),
                jdbc.queryForList("select key_id from device_key where account_id = ? order by key_id", String.class, customer.id()).toString(),
                jdbc.queryForList("select operation_id from mail_outbox where operation_id like ? order by 1", String.class,
                        "manufacturing-mail:" + order.id() + "%").toString(),
                jdbc.queryForObject("select count(*) from pak_redemption r join pak_line l on l.id = r.pak_line_id where l.pak_code = ?",
                        Integer.class, pak.code().value()).toString(),
                jdbc.queryForObject("select status || devices_made || devices_failed from manufacturing_order where id = ?", String.class,
                        order.id()));
    }

    private TestAccount operator() {
        return newAccount(EnumSet.of(Role.OPERATOR));
    }

    private static String c1111() {
        return "PID:C1111-4P,SN:" + randomSerial();
    }

    private static ObjectNode device(String udi, String... skus) {
        ObjectNode d = JsonNodeFactory.instance.objectNode().put("udi", udi);
        ArrayNode list = d.putArray("skus");
        for (String sku : skus) {
            list.add(sku);
        }
        return d;
    }

    private static ObjectNode udiOrder(TestAccount account, String reference, ObjectNode... devices) {
        ObjectNode order = JsonNodeFactory.instance.objectNode().put("accountId", account.id()).put("reference", reference);
        ArrayNode list = order.putArray("devices");
        for (ObjectNode d : devices) {
            list.add(d);
        }
        return order;
    }

    static ObjectNode pakOrder(TestAccount account, Pak pak, List<String> skus, String... udis) {
        ObjectNode order = JsonNodeFactory.instance.objectNode().put("accountId", account.id()).put("reference", "PAK order")
                .put("pakCode", pak.code().formatted());
        skus.forEach(order.putArray("skus")::add);
        ArrayNode list = order.putArray("udis");
        for (String udi : udis) {
            list.add(udi);
        }
        return order;
    }

    private static ManufacturingIntake.OrderRequest request(TestAccount account, Pak pak, List<String> skus, String... udis) {
        return new ManufacturingIntake.OrderRequest(account.id(), "PAK order", null, pak.code().formatted(), skus, List.of(udis));
    }

    private int consumed(Pak pak, String sku) {
        return jdbc.queryForObject("select consumed from pak_line where pak_code = ? and sku = ?", Integer.class, pak.code().value(), sku);
    }

    private List<String> actions(UUID id) {
        return jdbc.queryForList("select action from audit_event where subject = ? order by id", String.class, "manufacturing:" + id);
    }

    private Map<String, String> unzipArchive(UUID id, TestAccount operator) {
        try {
            return FactoryArchiveTest.unzip(download(BASE + "/" + id + "/archive", operator, "application/zip"));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private byte[] download(String path, TestAccount operator, String type) {
        try {
            HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                    .header("Authorization", "Bearer " + operator.token()).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(response.statusCode()).as(path + ": " + new String(response.body())).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type").orElseThrow()).startsWith(type);
            assertThat(response.headers().firstValue("Cache-Control").orElseThrow()).contains("no-store");
            assertThat(response.headers().firstValue("Content-Disposition").orElseThrow()).startsWith("attachment; filename=");
            return response.body();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private Response delete(String path, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).DELETE();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return send(request.build());
    }

    private JsonNode awaitStatus(String location, TestAccount caller, String status) {
        JsonNode[] last = new JsonNode[1];
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            last[0] = get(location, caller.token()).body();
            return status.equals(last[0].path("status").asText());
        });
        return last[0];
    }

    private void awaitMail(String location, TestAccount operator) {
        await().atMost(Duration.ofSeconds(30)).until(() -> "SENT".equals(get(location, operator.token()).body()
                .path("mail").path("status").asText()));
    }

    private void assertEndEvent(UUID orderId, String endEvent) {
        String instance = jdbc.queryForObject("select process_instance_id from manufacturing_order where id = ?", String.class, orderId);
        await().atMost(Duration.ofSeconds(20)).ignoreExceptions().untilAsserted(() -> assertThat(jdbc.queryForObject(
                "select end_act_id_ from act_hi_procinst where id_ = ?", String.class, instance)).isEqualTo(endEvent));
    }

    private static void assertProblem(Response response, int status, String type) {
        assertThat(response.status()).as(response.raw()).isEqualTo(status);
        assertThat(response.body().path("type").asText()).as(response.raw()).endsWith("/" + type);
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(n -> values.add(n.asText()));
        return values;
    }
}
