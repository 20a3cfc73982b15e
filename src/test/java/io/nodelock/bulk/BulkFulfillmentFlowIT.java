package io.nodelock.bulk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.nodelock.account.Role;
import io.nodelock.eula.ConsentOrigin;
import io.nodelock.eula.EulaConsents;
import io.nodelock.licensefile.LicenseFile;
import io.nodelock.licensefile.LicenseLine;
import io.nodelock.licensefile.Udi;
import io.nodelock.pak.Pak;
import io.nodelock.pak.PakService.NewLine;
import io.nodelock.support.ServiceIT;
import io.nodelock.workflow.FlowSteps;
import io.nodelock.workflow.StepContext;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;
import org.operaton.bpm.engine.ProcessEngine;
import org.operaton.bpm.engine.RuntimeService;
import org.operaton.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.operaton.bpm.engine.impl.jobexecutor.JobExecutor;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;

/** Every path of bpmn/bulk-fulfillment.bpmn on PostgreSQL, through the customers' API. */
class BulkFulfillmentFlowIT extends ServiceIT {

    static final String BASE = "/api/v1/bulk-fulfillments";
    static final String SEC = "FL-C1111-SEC-K9";
    static final String AIS = "SL-1100-AIS-K9";
    static final String C8300_SEC = "FL-C8300-SEC-K9";
    static final String EVAL = "EVAL-ISR4300-SEC";
    static final ConsentOrigin ORIGIN = ConsentOrigin.api("127.0.0.1", "test");

    @Autowired
    BulkIntake intake;
    @Autowired
    TransactionTemplate transactions;
    @Autowired
    FlowSteps steps;
    @Autowired
    RuntimeService runtime;
    @Autowired
    ProcessEngine engine;
    @Autowired
    EulaConsents eulas;

    // ---- the happy path with every kind of refused row between good ones ----

    @Test
    void goodRowsAreIssuedAndEachBadRowIsRefusedAloneWithTheCodeOfASingleFulfillment() throws Exception {
        TestAccount customer = newCustomer();
        TestAccount other = newCustomer();
        Pak pak = newPak(customer, new NewLine(SEC, 10), new NewLine(AIS, 2), new NewLine(C8300_SEC, 1), new NewLine(EVAL, 1));
        String a = c1111();
        String b = c1111();
        String c = c1111();
        String d = c1111();
        String theirs = c1111();
        ship(other, theirs);
        String locked = c1111();
        ship(customer, locked);
        devices.lock(Udi.parse(locked), "test: failed in the field");
        String unrecorded = "PID:C8300-1N1S-4T2X,SN:" + randomSerial();
        String isr = "PID:ISR4331/K9,SN:" + randomSerial();
        List<BulkIntake.RowRequest> rows = List.of(
                row(a, SEC),                 // 1 issued
                row(isr, SEC),               // 2 UDI_NOT_VALID_FOR_SKU
                row(a, AIS),                 // 3 issued: a second SKU of the same device
                row(theirs, SEC),            // 4 DEVICE_OF_ANOTHER_ACCOUNT
                row(b, SEC),                 // 5 issued
                row(unrecorded, C8300_SEC),  // 6 DEVICE_NOT_RECORDED
                row(isr, EVAL),              // 7 EULA_NOT_ACCEPTED
                row(locked, SEC),            // 8 DEVICE_LOCKED
                row(c, SEC),                 // 9 issued
                row(b, AIS),                 // 10 PAK_EXHAUSTED: the unit it was counted on went elsewhere meanwhile
                row(d, SEC));                // 11 issued
        // Accepted (two AIS units for the two AIS rows), and in the same transaction one AIS unit goes elsewhere.
        BulkFulfillment bulk = transactions.execute(s -> {
            BulkFulfillment accepted = intake.submit(customer.id(), customer.id(), new BulkIntake.Options(pak.code().formatted(), null,
                    null), rows, ORIGIN);
            jdbc.update("update pak_line set consumed = 1 where pak_code = ? and sku = ?", pak.code().value(), AIS);
            return accepted;
        });
        String location = BASE + "/" + bulk.id();
        JsonNode done = awaitStatus(location, customer, "COMPLETED");

        assertThat(done.path("counts").toString()).isEqualTo("{\"total\":11,\"issued\":5,\"refused\":6,\"pending\":0}");
        assertThat(done.path("percent").asInt()).isEqualTo(100);
        assertThat(done.path("etaSeconds").asLong()).isZero();
        assertThat(done.path("rowsPerSecond").asDouble()).isPositive();
        assertThat(done.path("startedAt").asText()).isNotEmpty();
        assertThat(done.path("completedAt").asText()).isNotEmpty();
        assertThat(done.path("email").asText()).isEqualTo(customer.email());
        assertThat(done.path("links").path("archive").asText()).isEqualTo(location + "/archive");

        List<JsonNode> all = allRows(location, customer, null);
        assertThat(all).extracting(r -> r.path("status").asText() + ":" + r.path("refusal").path("code").asText(""))
                .containsExactly("ISSUED:", "REFUSED:UDI_NOT_VALID_FOR_SKU", "ISSUED:", "REFUSED:DEVICE_OF_ANOTHER_ACCOUNT", "ISSUED:",
                        "REFUSED:DEVICE_NOT_RECORDED", "REFUSED:EULA_NOT_ACCEPTED", "REFUSED:DEVICE_LOCKED", "ISSUED:",
                        "REFUSED:PAK_EXHAUSTED", "ISSUED:");
        assertThat(all.get(0).path("line").asInt()).isEqualTo(1);
        assertThat(all.get(0).path("file").asText()).isEqualTo(Udi.parse(a).fileStem() + ".lic");

        // Units consumed = licenses issued = issued rows; a refused row used no unit and claimed no device.
        assertThat(consumed(pak, SEC)).isEqualTo(4);
        assertThat(consumed(pak, AIS)).isEqualTo(2);
        assertThat(consumed(pak, C8300_SEC)).isZero();
        assertThat(consumed(pak, EVAL)).isZero();
        assertThat(redemptions(pak)).isEqualTo(5);
        assertThat(licenses(customer)).isEqualTo(5);
        assertThat(jdbc.queryForObject("select count(*) from device where udi = ?", Integer.class, unrecorded)).isZero();
        assertThat(jdbc.queryForObject("select account_id from device where udi = ?", String.class, theirs)).isEqualTo(other.id());
        assertThat(jdbc.queryForList("select sku from license where account_id = ? and udi = ? order by sku", String.class, customer.id(),
                Udi.parse(a).binding())).containsExactly(SEC, AIS);

        // The archive: one file per device with the lines of its rows, and every row's outcome.
        Map<String, String> files = unzip(download(location + "/archive", customer, "application/zip"));
        assertThat(files.keySet()).containsExactly(stem(a), stem(b), stem(c), stem(d), "outcomes.csv");
        List<LicenseLine> linesOfA = LicenseFile.parse(files.get(stem(a))).lines();
        assertThat(linesOfA).extracting(LicenseLine::feature).containsExactly("securityk9", "advipservices");
        assertThat(linesOfA).allSatisfy(l -> assertThat(l.udi().binding()).isEqualTo(Udi.parse(a).binding()));
        assertThat(LicenseFile.parse(files.get(stem(b))).lines()).hasSize(1);
        List<String> outcomes = files.get("outcomes.csv").lines().toList();
        assertThat(outcomes).hasSize(12);
        assertThat(outcomes.get(0)).isEqualTo(BulkFiles.OUTCOMES_HEADER);
        assertThat(outcomes.get(2)).startsWith("2,2,\"" + Udi.parse(isr).binding() + "\"," + SEC + ",REFUSED,UDI_NOT_VALID_FOR_SKU,");
        assertThat(outcomes.get(10)).startsWith("10,10,\"" + Udi.parse(b).binding() + "\"," + AIS + ",REFUSED,PAK_EXHAUSTED,");
        assertThat(outcomes.get(1)).endsWith("," + stem(a));
        String csv = new String(download(location + "/outcomes.csv", customer, "text/csv"), StandardCharsets.UTF_8);
        assertThat(csv).isEqualTo(files.get("outcomes.csv"));

        // Rows by status, paged.
        JsonNode refusedPage = get(location + "/rows?status=refused&limit=4", customer.token()).body();
        assertThat(refusedPage.path("items")).hasSize(4);
        assertThat(refusedPage.path("next").asText()).isNotEmpty();
        assertThat(allRows(location, customer, "REFUSED")).hasSize(6);
        assertThat(allRows(location, customer, "ISSUED,PENDING")).hasSize(5);
        assertThat(get(location + "/rows?status=DONE", customer.token()).status()).isEqualTo(400);
        assertThat(get(location + "/rows?cursor=nonsense", customer.token()).status()).isEqualTo(400);
        assertThat(get(location + "/rows?sort=udi", customer.token()).status()).isEqualTo(400);

        // The result mail, and the model's end.
        await().atMost(Duration.ofSeconds(30)).until(() -> "SENT".equals(get(location, customer.token()).body().path("mail")
                .path("status").asText()));
        assertThat(jdbc.queryForObject("select body from mail_outbox where operation_id = ?", String.class, "bulk-mail:" + bulk.id()))
                .contains("5 of 11 rows were issued, 6 refused").doesNotContain("NLIC");
        assertEndEvent(bulk, "EndEvent_BulkCompleted");
        assertThat(actions(bulk)).contains("bulk.submitted", "bulk.batch-done", "bulk.completed", "mail.queued");

        // A redelivered step changes nothing: no unit, license, row or mail more.
        String before = snapshot(bulk, customer, pak);
        for (String topic : List.of("fulfill-row-batch", "complete-bulk", "email-bulk-result")) {
            replay(bulk, topic);
        }
        assertThat(snapshot(bulk, customer, pak)).isEqualTo(before);
    }

    @Test
    void aCsvUploadIsReadWithItsLineNumbersAndRowsNeedingTheEulaAreIssuedUnderTheConsentGiven() throws Exception {
        TestAccount customer = newCustomer();
        Pak pak = newPak(customer, new NewLine(SEC, 3), new NewLine(EVAL, 1));
        String sn1 = randomSerial();
        String sn2 = randomSerial();
        String sn3 = randomSerial();
        String csv = "\uFEFFudi,sku\r\n\"PID:C1111-4P,SN:" + sn1 + "\"," + SEC + "\r\nPID:C1111-4P,SN:" + sn2 + "," + SEC + "\r\n\r\n"
                + "PID:ISR4331/K9,SN:" + sn3 + ",VID:V01 , " + EVAL + "\r\n";
        Response accepted = postCsv(BASE + "?pakCode=" + pak.code().formatted() + "&eulaAccepted=true&email=ops@example.com", customer,
                csv);
        assertThat(accepted.status()).as(accepted.raw()).isEqualTo(202);
        String location = accepted.headers().firstValue("Location").orElseThrow();
        assertThat(location).isEqualTo(BASE + "/" + accepted.body().path("id").asText());
        assertThat(accepted.body().path("status").asText()).isEqualTo("SUBMITTED");
        assertThat(accepted.body().path("counts").toString()).isEqualTo("{\"total\":3,\"issued\":0,\"refused\":0,\"pending\":3}");
        assertThat(accepted.body().has("etaSeconds")).isFalse();
        JsonNode done = awaitStatus(location, customer, "COMPLETED");
        String current = eulas.current().version();
        assertThat(done.path("source").asText()).isEqualTo("csv");
        assertThat(done.path("eulaVersion").asText()).isEqualTo(current);
        assertThat(done.path("counts").path("issued").asInt()).isEqualTo(3);
        assertThat(allRows(location, customer, null)).extracting(r -> r.path("line").asInt()).containsExactly(2, 3, 5);
        assertThat(allRows(location, customer, null).get(2).path("udi").asText()).isEqualTo("PID:ISR4331/K9,SN:" + sn3 + ",VID:V01");

        Map<String, String> files = unzip(download(location + "/archive", customer, "application/zip"));
        assertThat(files).containsKeys("C1111-4P_" + sn1 + ".lic", "C1111-4P_" + sn2 + ".lic", "ISR4331~K9_" + sn3 + ".lic");
        LicenseLine evaluation = LicenseFile.parse(files.get("ISR4331~K9_" + sn3 + ".lic")).lines().get(0);
        assertThat(evaluation.eulaVersion()).isEqualTo(current);
        String id = done.path("id").asText();
        assertThat(eulas.forSubject("bulk:" + id)).singleElement().satisfies(consent -> {
            assertThat(consent.eulaVersion()).isEqualTo(current);
            assertThat(consent.accountId()).isEqualTo(customer.id());
        });
        await().atMost(Duration.ofSeconds(30)).until(() -> SMTP.getReceivedMessagesForDomain("ops@example.com").length > 0
                && "SENT".equals(get(location, customer.token()).body().path("mail").path("status").asText()));
    }

    // ---- restart safety ----

    @Test
    void aStoppedJobExecutorLeavesTheBulkConsistentAndItResumesWithoutConsumingTwice() {
        TestAccount customer = newCustomer();
        int count = 1000;
        Pak pak = newPak(customer, new NewLine(SEC, count));
        List<BulkIntake.RowRequest> rows = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            rows.add(row(c1111(), SEC));
        }
        Response accepted = post(BASE, customer.token(), json(pak, rows, null));
        assertThat(accepted.status()).as(accepted.raw()).isEqualTo(202);
        String location = accepted.headers().firstValue("Location").orElseThrow();
        UUID id = UUID.fromString(accepted.body().path("id").asText());
        JobExecutor executor = ((ProcessEngineConfigurationImpl) engine.getProcessEngineConfiguration()).getJobExecutor();
        List<Integer> percents = new ArrayList<>();
        List<Long> etas = new ArrayList<>();
        try {
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(20)).until(() -> {
                JsonNode view = get(location, customer.token()).body();
                percents.add(view.path("percent").asInt());
                if (view.has("etaSeconds")) {
                    etas.add(view.path("etaSeconds").asLong());
                }
                return view.path("counts").path("issued").asInt() >= 100;
            });
            executor.shutdown(); // the batch running now finishes; no other starts
            // Whatever committed is whole: every issued row has its unit and its license, and nothing moves while stopped.
            // Stopped once the running batch committed and the next batch's job waits, locked by no one.
            String instance = jdbc.queryForObject("select process_instance_id from bulk_fulfillment where id = ?", String.class, id);
            await().atMost(Duration.ofSeconds(60)).until(() -> jdbc.queryForObject("select count(*) from act_ru_job where "
                    + "process_instance_id_ = ? and lock_owner_ is null", Integer.class, instance) == 1 && jdbc.queryForObject(
                    "select count(*) from act_ru_job where process_instance_id_ = ?", Integer.class, instance) == 1);
            int[] stopped = {get(location, customer.token()).body().path("counts").path("issued").asInt()};
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() ->
                    get(location, customer.token()).body().path("counts").path("issued").asInt() == stopped[0]);
            assertThat(stopped[0]).as("stopped mid-run").isBetween(100, count - 1);
            assertThat(stopped[0] % 100).as("whole batches only").isZero();
            assertThat(consumed(pak, SEC)).isEqualTo(stopped[0]);
            assertThat(licenses(customer)).isEqualTo(stopped[0]);
            assertThat(issuedRows(id)).isEqualTo(stopped[0]);
            assertThat(get(location + "/archive", customer.token()).status()).isEqualTo(409);
        } finally {
            executor.start();
        }
        JsonNode done = awaitStatus(location, customer, "COMPLETED");
        assertThat(done.path("counts").path("issued").asInt()).isEqualTo(count);
        assertThat(consumed(pak, SEC)).isEqualTo(count);
        assertThat(redemptions(pak)).isEqualTo(count);
        assertThat(licenses(customer)).isEqualTo(count);
        assertThat(issuedRows(id)).isEqualTo(count);
        assertThat(jdbc.queryForObject("select count(distinct udi) from license where account_id = ?", Integer.class, customer.id()))
                .isEqualTo(count);
        // Progress only grows; an estimate of the time left was shown while it ran.
        assertThat(percents).isSorted();
        assertThat(etas).isNotEmpty();
        // Ten batches of 100, each its own transaction.
        assertThat(jdbc.queryForObject("select count(*) from audit_event where subject = ? and action = 'bulk.batch-done'",
                Integer.class, "bulk:" + id)).isEqualTo(10);
        assertThat(jdbc.queryForObject("select count(distinct xmin::text) from bulk_row where bulk_id = ?", Integer.class, id))
                .isEqualTo(10);
    }

    @Test
    void aBatchThatFailsMidWayRollsBackWholeAndItsRetryConsumesEachUnitOnce() {
        TestAccount customer = newCustomer();
        int count = 250;
        Pak pak = newPak(customer, new NewLine(SEC, count));
        List<BulkIntake.RowRequest> rows = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            rows.add(row(c1111(), SEC));
        }
        // Held back until the crash is armed: the database fails the second batch once, when it records row 150
        // (after rows 101-149 redeemed their units and signed their licenses in that batch's transaction).
        BulkFulfillment bulk = transactions.execute(s -> {
            BulkFulfillment accepted = intake.submit(customer.id(), customer.id(), new BulkIntake.Options(pak.code().formatted(), null,
                    null), rows, ORIGIN);
            runtime.suspendProcessInstanceById(accepted.processInstanceId());
            return accepted;
        });
        String suffix = bulk.id().toString().replace("-", "");
        jdbc.execute("create sequence crash_" + suffix);
        jdbc.execute("create function crash_" + suffix + "() returns trigger language plpgsql as $$ begin "
                + "if new.row_no = 150 and new.state <> 'PENDING' and nextval('crash_" + suffix + "') = 1 then "
                + "raise exception 'simulated crash while recording row 150'; end if; return new; end $$");
        jdbc.execute("create trigger crash_" + suffix + " before update on bulk_row for each row when (new.bulk_id = '" + bulk.id()
                + "') execute function crash_" + suffix + "()");
        try {
            runtime.activateProcessInstanceById(bulk.processInstanceId());
            JsonNode done = awaitStatus(BASE + "/" + bulk.id(), customer, "COMPLETED");
            assertThat(done.path("counts").path("issued").asInt()).isEqualTo(count);
            assertThat(jdbc.queryForObject("select last_value from crash_" + suffix, Long.class)).as("the crash happened").isEqualTo(2L);
        } finally {
            jdbc.execute("drop trigger crash_" + suffix + " on bulk_row");
            jdbc.execute("drop function crash_" + suffix + "()");
            jdbc.execute("drop sequence crash_" + suffix);
        }
        assertThat(consumed(pak, SEC)).isEqualTo(count);
        assertThat(redemptions(pak)).isEqualTo(count);
        assertThat(licenses(customer)).isEqualTo(count);
        assertThat(issuedRows(bulk.id())).isEqualTo(count);
        assertThat(jdbc.queryForObject("select count(*) from audit_event where subject = ? and action = 'bulk.batch-done'",
                Integer.class, "bulk:" + bulk.id())).isEqualTo(3);
    }

    // ---- intake refusals ----

    @Test
    void anUploadThatCannotBeTakenWholeIsRefusedNamingItsLinesAndNothingIsRecorded() {
        TestAccount customer = newCustomer();
        TestAccount other = newCustomer();
        Pak pak = newPak(customer, new NewLine(SEC, 2));
        Pak theirs = newPak(other, new NewLine(SEC, 10));
        String code = pak.code().formatted();
        String a = c1111();
        String b = c1111();

        Response malformed = postCsv(BASE + "?pakCode=" + code, customer, "udi,sku\n" + a + "," + SEC + "\nPID:C1111-4P\n"
                + "\"PID:c1111,SN:1\"," + SEC + "\n\"" + b + "," + SEC + "\n" + b + ",\n");
        assertProblem(malformed, 400, "rows-malformed");
        assertThat(ints(malformed.body().path("lines"))).containsExactly(3, 4, 5, 6);
        assertThat(malformed.body().path("errors").get(0).path("field").asText()).isEqualTo("line 3");
        assertProblem(postCsv(BASE + "?pakCode=" + code, customer, "device,license\n" + a + "," + SEC + "\n"), 400, "rows-malformed");
        assertProblem(postCsv(BASE + "?pakCode=" + code, customer, ""), 400, "rows-malformed");
        assertProblem(postCsv(BASE + "?pakCode=" + code, customer, "udi,sku\n"), 400, "invalid-request");
        assertProblem(postCsv(BASE, customer, "udi,sku\n" + a + "," + SEC + "\n"), 400, "invalid-request");
        assertProblem(postCsv(BASE + "?pakCode=" + code + "&eulaAccepted=yes", customer, "udi,sku\n" + a + "," + SEC + "\n"), 400,
                "invalid-request");

        Response badUdi = post(BASE, customer.token(), json(pak, List.of(row(a, SEC), row("PID:C1111-4P,SN:", SEC)), null));
        assertProblem(badUdi, 400, "rows-malformed");
        assertThat(badUdi.body().path("errors").get(0).path("field").asText()).isEqualTo("rows[1]");
        Response duplicate = postCsv(BASE + "?pakCode=" + code, customer, "udi,sku\n" + a + "," + SEC + "\n" + b + "," + SEC + "\n"
                + a + ",VID:V01," + SEC + "\n");
        assertProblem(duplicate, 400, "duplicate-rows");
        assertThat(ints(duplicate.body().path("lines"))).containsExactly(4);
        Response unknownSku = postCsv(BASE + "?pakCode=" + code, customer, "udi,sku\n" + a + ",NO-SUCH-SKU\n");
        assertProblem(unknownSku, 400, "sku-unknown");
        assertThat(ints(unknownSku.body().path("lines"))).containsExactly(2);
        Response notOnPak = post(BASE, customer.token(), json(pak, List.of(row(a, SEC), row(a, AIS)), null));
        assertProblem(notOnPak, 422, "sku-not-on-pak");
        assertThat(ints(notOnPak.body().path("lines"))).containsExactly(2);
        assertProblem(post(BASE, customer.token(), json(theirs, List.of(row(a, SEC)), null)), 422, "pak-unknown");
        assertProblem(post(BASE, customer.token(), "{\"pakCode\":\"not a pak\",\"rows\":[{\"udi\":\"" + a + "\",\"sku\":\"" + SEC
                + "\"}]}"), 400, "invalid-request");
        assertProblem(post(BASE, customer.token(), json(pak, List.of(), null)), 400, "invalid-request");
        assertProblem(post(BASE, customer.token(), "{\"pakCode\":\"" + code + "\",\"email\":\"nobody\",\"rows\":[{\"udi\":\"" + a
                + "\",\"sku\":\"" + SEC + "\"}]}"), 400, "invalid-request");

        // Units are counted for the rows that can be fulfilled: three valid rows need three, the PAK has two ...
        Response short3 = post(BASE, customer.token(), json(pak, List.of(row(a, SEC), row(b, SEC), row(c1111(), SEC)), null));
        assertProblem(short3, 422, "pak-exhausted");
        assertThat(short3.body().path("unitsLeft").asInt()).isEqualTo(2);
        assertThat(short3.body().path("unitsNeeded").asInt()).isEqualTo(3);
        // ... too many rows for any bulk ...
        StringBuilder many = new StringBuilder("udi,sku\n");
        for (int i = 0; i <= 10_000; i++) {
            many.append("PID:C1111-4P,SN:MANY").append(i).append(',').append(SEC).append('\n');
        }
        Response tooMany = postCsv(BASE + "?pakCode=" + code, customer, many.toString());
        assertProblem(tooMany, 400, "too-many-rows");
        assertThat(tooMany.body().path("maxRows").asInt()).isEqualTo(10_000);
        assertThat(jdbc.queryForObject("select count(*) from bulk_fulfillment where account_id = ?", Integer.class, customer.id())).isZero();
        assertThat(jdbc.queryForObject("select count(*) from device where udi = ?", Integer.class, a)).isZero();

        // ... while a row that will be refused (a device of another account) needs no unit: accepted.
        String held = c1111();
        ship(other, held);
        Response accepted = post(BASE, customer.token(), json(pak, List.of(row(a, SEC), row(held, SEC), row(b, SEC)), null));
        assertThat(accepted.status()).as(accepted.raw()).isEqualTo(202);
        JsonNode done = awaitStatus(accepted.headers().firstValue("Location").orElseThrow(), customer, "COMPLETED");
        assertThat(done.path("counts").toString()).isEqualTo("{\"total\":3,\"issued\":2,\"refused\":1,\"pending\":0}");
        assertThat(consumed(pak, SEC)).isEqualTo(2);
    }

    // ---- who sees what ----

    @Test
    void aCustomerSeesOnlyItsOwnBulksAndOperatorsSeeAll() {
        TestAccount customer = newCustomer();
        TestAccount other = newCustomer();
        TestAccount operator = newAccount(EnumSet.of(Role.OPERATOR));
        Pak pak = newPak(customer, new NewLine(SEC, 1));
        assertThat(post(BASE, null, json(pak, List.of(row(c1111(), SEC)), null)).status()).isEqualTo(401);
        Response accepted = post(BASE, customer.token(), json(pak, List.of(row(c1111(), SEC)), null));
        String location = accepted.headers().firstValue("Location").orElseThrow();
        awaitStatus(location, customer, "COMPLETED");
        for (String path : List.of(location, location + "/rows", location + "/outcomes.csv", location + "/archive")) {
            assertThat(get(path, other.token()).status()).as(path).isEqualTo(404);
            assertThat(get(path, operator.token()).status()).as(path).isEqualTo(200);
        }
        assertThat(get(BASE + "/" + UUID.randomUUID(), customer.token()).status()).isEqualTo(404);
        assertThat(get(BASE + "/not-a-uuid", customer.token()).status()).isEqualTo(404);
        String id = accepted.body().path("id").asText();
        assertThat(get(BASE, customer.token()).body().path("items")).extracting(n -> n.path("id").asText()).containsExactly(id);
        assertThat(get(BASE, other.token()).body().path("items")).isEmpty();
        // Operators list every account's bulks, newest first, a page at a time.
        JsonNode page = get(BASE + "?limit=1", operator.token()).body();
        assertThat(page.path("items")).hasSize(1);
        assertThat(get(BASE + "?limit=1&cursor=" + page.path("next").asText(), operator.token()).status()).isEqualTo(200);
    }

    // ---- the engine is no way around the intake ----

    @Test
    void anInstanceTheIntakeDidNotStartFulfillsNothing() {
        String instance = runtime.startProcessInstanceByKey("bulk-fulfillment", Map.of("bulkId", UUID.randomUUID().toString(),
                "accountId", "acct-x")).getId();
        await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.queryForObject(
                "select count(*) from act_ru_incident where proc_inst_id_ = ?", Integer.class, instance) == 1);
        assertThat(jdbc.queryForObject("select incident_msg_ from act_ru_incident where proc_inst_id_ = ?", String.class, instance))
                .contains("was not started by Nodelock's intake");
        runtime.deleteProcessInstance(instance, "test cleanup");
    }

    @Test
    void theCompleteStepRefusesABulkWithRowsWaiting() {
        TestAccount customer = newCustomer();
        Pak pak = newPak(customer, new NewLine(SEC, 1));
        BulkFulfillment bulk = transactions.execute(s -> {
            BulkFulfillment accepted = intake.submit(customer.id(), customer.id(), new BulkIntake.Options(pak.code().formatted(), null,
                    null), List.of(row(c1111(), SEC)), ORIGIN);
            runtime.suspendProcessInstanceById(accepted.processInstanceId());
            return accepted;
        });
        assertThatThrownBy(() -> replay(bulk, "complete-bulk")).hasMessageContaining("has rows waiting");
        assertThatThrownBy(() -> replay(bulk, "email-bulk-result")).hasMessageContaining("nothing to announce");
        runtime.activateProcessInstanceById(bulk.processInstanceId());
        awaitStatus(BASE + "/" + bulk.id(), customer, "COMPLETED");
    }

    // ---- helpers ----

    static BulkIntake.RowRequest row(String udi, String sku) {
        return new BulkIntake.RowRequest(udi, sku);
    }

    static String c1111() {
        return "PID:C1111-4P,SN:" + randomSerial();
    }

    private static String stem(String udi) {
        return Udi.parse(udi).fileStem() + ".lic";
    }

    static String json(Pak pak, List<BulkIntake.RowRequest> rows, Boolean eula) {
        StringBuilder json = new StringBuilder("{\"pakCode\":\"").append(pak.code().formatted()).append('"');
        if (eula != null) {
            json.append(",\"eulaAccepted\":").append(eula);
        }
        json.append(",\"rows\":[");
        for (int i = 0; i < rows.size(); i++) {
            json.append(i == 0 ? "" : ",").append("{\"udi\":\"").append(rows.get(i).udi()).append("\",\"sku\":\"")
                    .append(rows.get(i).sku()).append("\"}");
        }
        return json.append("]}").toString();
    }

    private Response postCsv(String path, TestAccount caller, String csv) {
        return send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).header("Content-Type", "text/csv")
                .header("Authorization", "Bearer " + caller.token()).POST(HttpRequest.BodyPublishers.ofString(csv)).build());
    }

    private List<JsonNode> allRows(String location, TestAccount caller, String status) {
        List<JsonNode> rows = new ArrayList<>();
        String cursor = null;
        do {
            String query = "?limit=3" + (status == null ? "" : "&status=" + status) + (cursor == null ? "" : "&cursor=" + cursor);
            Response page = get(location + "/rows" + query, caller.token());
            assertThat(page.status()).as(page.raw()).isEqualTo(200);
            page.body().path("items").forEach(rows::add);
            cursor = page.body().path("next").isNull() ? null : page.body().path("next").asText();
        } while (cursor != null);
        return rows;
    }

    private void replay(BulkFulfillment bulk, String topic) {
        transactions.executeWithoutResult(s -> steps.step(topic).orElseThrow().invoke(new StepContext(topic, "replay",
                bulk.processInstanceId(), bulk.id().toString(), name -> null)));
    }

    private String snapshot(BulkFulfillment bulk, TestAccount customer, Pak pak) {
        return String.join("|",
                jdbc.queryForList("select sku || '=' || consumed from pak_line where pak_code = ? order by sku", String.class,
                        pak.code().value()).toString(),
                jdbc.queryForList("select id from license where account_id = ? order by id", String.class, customer.id()).toString(),
                jdbc.queryForList("select row_no || state || coalesce(refusal_code, '') || coalesce(license_ids, '') from bulk_row "
                        + "where bulk_id = ? order by row_no", String.class, bulk.id()).toString(),
                jdbc.queryForList("select operation_id from mail_outbox where operation_id like ? order by 1", String.class,
                        "bulk-mail:" + bulk.id() + "%").toString(),
                Integer.toString(redemptions(pak)),
                jdbc.queryForObject("select status || rows_issued || '/' || rows_refused from bulk_fulfillment where id = ?", String.class,
                        bulk.id()));
    }

    private int consumed(Pak pak, String sku) {
        return jdbc.queryForObject("select consumed from pak_line where pak_code = ? and sku = ?", Integer.class, pak.code().value(), sku);
    }

    private int redemptions(Pak pak) {
        return jdbc.queryForObject("select count(*) from pak_redemption r join pak_line l on l.id = r.pak_line_id where l.pak_code = ?",
                Integer.class, pak.code().value());
    }

    private int licenses(TestAccount account) {
        return jdbc.queryForObject("select count(*) from license where account_id = ?", Integer.class, account.id());
    }

    private int issuedRows(UUID bulkId) {
        return jdbc.queryForObject("select count(*) from bulk_row where bulk_id = ? and state = 'ISSUED'", Integer.class, bulkId);
    }

    private List<String> actions(BulkFulfillment bulk) {
        return jdbc.queryForList("select action from audit_event where subject = ? order by id", String.class, "bulk:" + bulk.id());
    }

    private JsonNode awaitStatus(String location, TestAccount caller, String status) {
        JsonNode[] last = new JsonNode[1];
        await().atMost(Duration.ofSeconds(120)).until(() -> {
            last[0] = get(location, caller.token()).body();
            return status.equals(last[0].path("status").asText());
        });
        return last[0];
    }

    private void assertEndEvent(BulkFulfillment bulk, String endEvent) {
        await().atMost(Duration.ofSeconds(20)).ignoreExceptions().untilAsserted(() -> assertThat(jdbc.queryForObject(
                "select end_act_id_ from act_hi_procinst where id_ = ?", String.class, bulk.processInstanceId())).isEqualTo(endEvent));
    }

    private byte[] download(String path, TestAccount caller, String type) {
        try {
            HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                    .header("Authorization", "Bearer " + caller.token()).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(response.statusCode()).as(path + ": " + new String(response.body(), StandardCharsets.UTF_8)).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type").orElseThrow()).startsWith(type);
            assertThat(response.headers().firstValue("Content-Disposition").orElseThrow()).startsWith("attachment; filename=");
            return response.body();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static Map<String, String> unzip(byte[] zip) throws IOException {
        Map<String, String> entries = new LinkedHashMap<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip), StandardCharsets.UTF_8)) {
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                entries.put(e.getName(), new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
        return entries;
    }

    private static List<Integer> ints(JsonNode array) {
        List<Integer> values = new ArrayList<>();
        array.forEach(n -> values.add(n.asInt()));
        return values;
    }

    private static void assertProblem(Response response, int status, String type) {
        assertThat(response.status()).as(response.raw()).isEqualTo(status);
        assertThat(response.body().path("type").asText()).as(response.raw()).endsWith("/" + type);
    }
}
