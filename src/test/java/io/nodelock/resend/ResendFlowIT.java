package io.nodelock.resend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nodelock.device.DeviceAuthority;
import io.nodelock.licensefile.DeviceCredential;
import io.nodelock.licensefile.LicenseFile;
import io.nodelock.licensefile.LicenseLine;
import io.nodelock.licensefile.PermissionTicket;
import io.nodelock.licensefile.RehostTicket;
import io.nodelock.licensefile.SigningKey;
import io.nodelock.licensefile.TicketSigner;
import io.nodelock.licensefile.Udi;
import io.nodelock.pak.Pak;
import io.nodelock.pak.PakService.NewLine;
import io.nodelock.support.ServiceIT;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.operaton.bpm.engine.RuntimeService;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;

/** Every path of bpmn/license-resend.bpmn on PostgreSQL, through the customer API: after RMA and rehost too. */
class ResendFlowIT extends ServiceIT {

    @Autowired
    DeviceAuthority authority;

    @Autowired
    ResendIntake intake;
    @Autowired
    TransactionTemplate transactions;
    @Autowired
    RuntimeService runtime;

    @Test
    void resendsTheSignedLinesActiveOnTheDeviceToTheRegisteredAddressWithoutUsingAPakUnit() {
        TestAccount customer = newCustomer();
        Pak pak = newPak(customer, new NewLine("FL-ISR4300-SEC-K9", 1), new NewLine("FL-ISR4300-UCK9", 1));
        String udi = "PID:ISR4331/K9,SN:" + randomSerial();
        List<String> ids = new ArrayList<>();
        ids.addAll(issueLicenses(customer, pak, "FL-ISR4300-SEC-K9", udi));
        ids.addAll(issueLicenses(customer, pak, "FL-ISR4300-UCK9", udi));
        String paksBefore = get("/api/v1/paks/" + pak.code().formatted(), customer.token()).raw();

        // An address in the request is not where the file goes: only the account's registered one is.
        Response accepted = post("/api/v1/resends", customer.token(), "{\"udi\":\"" + udi + "\",\"email\":\"thief@evil.example\"}");
        assertThat(accepted.status()).as(accepted.raw()).isEqualTo(202);
        String location = accepted.headers().firstValue("Location").orElseThrow();
        JsonNode sent = awaitMail(location, customer);
        assertThat(sent.path("status").asText()).isEqualTo("ISSUED");
        assertThat(sent.path("mail").path("recipient").asText()).isEqualTo(customer.email());
        assertThat(strings(sent.path("licenseIds"))).containsExactlyInAnyOrderElementsOf(ids);

        String file = get(sent.path("licenseFile").asText(), customer.token()).raw();
        List<LicenseLine> lines = LicenseFile.parse(file).lines();
        assertThat(lines).extracting(LicenseLine::licenseId).containsExactlyInAnyOrderElementsOf(ids);
        // The very lines that were signed at fulfillment, byte for byte: nothing re-signed, nothing new.
        for (LicenseLine line : lines) {
            assertThat(line.toText()).isEqualTo(jdbc.queryForObject("select line from license where id = ?", String.class, line.licenseId()));
        }
        assertThat(jdbc.queryForObject("select count(*) from license where udi = ?", Integer.class, udi)).isEqualTo(2);
        assertThat(get("/api/v1/paks/" + pak.code().formatted(), customer.token()).raw()).isEqualTo(paksBefore);
        assertThat(SMTP.getReceivedMessagesForDomain("evil.example")).isEmpty();
        assertThat(jdbc.queryForList("select action from audit_event where subject = ? order by id", String.class,
                "resend:" + sent.path("id").asText())).contains("resend.requested", "license.resent");
        assertEndEvent(sent, "EndEvent_LicensesResent");
    }

    @Test
    void afterAnRmaTheFailedDeviceGetsNothingAndTheReplacementItsReissuedLicenses() {
        TestAccount customer = newCustomer();
        Pak pak = newPak(customer, new NewLine("FL-C1111-SEC-K9", 1), new NewLine("SL-1100-AIS-K9", 1));
        String failed = "PID:C1111-4P,SN:" + randomSerial();
        String replacement = "PID:C1111-4P,SN:" + randomSerial();
        issueLicenses(customer, pak, "FL-C1111-SEC-K9", failed);
        issueLicenses(customer, pak, "SL-1100-AIS-K9", failed);
        ship(customer, replacement);
        Response rma = post("/api/v1/rmas", customer.token(), """
                {"failedUdi":"%s","replacementUdi":"%s","rmaNumber":"RMA-%s","email":"%s"}""".formatted(failed, replacement,
                randomSerial(), customer.email()));
        JsonNode moved = awaitStatus(rma.headers().firstValue("Location").orElseThrow(), customer, "ISSUED");

        Response locked = post("/api/v1/resends", customer.token(), "{\"udi\":\"" + failed + "\"}");
        assertThat(locked.status()).as(locked.raw()).isEqualTo(422);
        assertThat(locked.body().path("code").asText()).isEqualTo("DEVICE_LOCKED");

        JsonNode sent = awaitMail(submit(customer, replacement), customer);
        assertThat(strings(sent.path("licenseIds"))).containsExactlyInAnyOrderElementsOf(strings(moved.path("licenseIds")));
        assertThat(LicenseFile.parse(get(sent.path("licenseFile").asText(), customer.token()).raw()).lines())
                .extracting(l -> l.udi().binding()).containsOnly(replacement);
    }

    @Test
    void afterARehostTheSourceKeepsOnlyWhatStayedAndTheDestinationGetsWhatItReceived() {
        TestAccount customer = newCustomer();
        Pak pak = newPak(customer, new NewLine("FL-C1111-SEC-K9", 1), new NewLine("SL-1100-AIS-K9", 1));
        Udi source = Udi.parse("PID:C1111-4P,SN:" + randomSerial());
        SigningKey deviceKey = SigningKey.generate();
        String destination = "PID:C1111-4P,SN:" + randomSerial();
        String security = issueLicenses(customer, pak, "FL-C1111-SEC-K9", source.binding()).get(0);
        String ais = issueLicenses(customer, pak, "SL-1100-AIS-K9", source.binding()).get(0);
        String received = rehost(customer, source, deviceKey, security, destination);

        JsonNode fromSource = awaitMail(submit(customer, source.binding()), customer);
        assertThat(strings(fromSource.path("licenseIds"))).containsExactly(ais);
        JsonNode toDestination = awaitMail(submit(customer, destination), customer);
        assertThat(strings(toDestination.path("licenseIds"))).containsExactly(received);

        // A device whose only license moved away has nothing to send again.
        String lone = "PID:C1111-4P,SN:" + randomSerial();
        Pak one = newPak(customer, new NewLine("FL-C1111-SEC-K9", 1));
        SigningKey loneKey = SigningKey.generate();
        String only = issueLicenses(customer, one, "FL-C1111-SEC-K9", lone).get(0);
        rehost(customer, Udi.parse(lone), loneKey, only, "PID:C1111-4P,SN:" + randomSerial());
        Response nothing = post("/api/v1/resends", customer.token(), "{\"udi\":\"" + lone + "\"}");
        assertThat(nothing.status()).as(nothing.raw()).isEqualTo(422);
        assertThat(nothing.body().path("code").asText()).isEqualTo("NO_ACTIVE_LICENSES");
    }

    @Test
    void aDeviceGetsItsLicensesAFewTimesADayAndEveryResendIsAudited() {
        TestAccount customer = newCustomer();
        Pak pak = newPak(customer, new NewLine("FL-ISR4300-SEC-K9", 1));
        String udi = "PID:ISR4331/K9,SN:" + randomSerial();
        issueLicenses(customer, pak, "FL-ISR4300-SEC-K9", udi);
        for (int i = 0; i < 3; i++) {
            awaitMail(submit(customer, udi), customer);
        }
        Response limited = post("/api/v1/resends", customer.token(), "{\"udi\":\"" + udi + "\"}");
        assertThat(limited.status()).as(limited.raw()).isEqualTo(429);
        assertThat(limited.body().path("code").asText()).isEqualTo("RESEND_LIMIT_REACHED");
        assertThat(limited.body().path("retryAfterSeconds").asLong()).isBetween(1L, 86_400L);
        assertThat(jdbc.queryForObject("select count(*) from audit_event e join license_resend r on e.subject = 'resend:' || r.id "
                + "where r.udi = ? and e.action = 'license.resent'", Integer.class, udi)).isEqualTo(3);
    }

    @Test
    void anotherAccountsDeviceIsAnsweredLikeAnUnknownOneAndBadInputIsRefused() {
        TestAccount customer = newCustomer();
        TestAccount other = newCustomer();
        Pak pak = newPak(customer, new NewLine("FL-ISR4300-SEC-K9", 1));
        String udi = "PID:ISR4331/K9,SN:" + randomSerial();
        issueLicenses(customer, pak, "FL-ISR4300-SEC-K9", udi);
        Response foreign = post("/api/v1/resends", other.token(), "{\"udi\":\"" + udi + "\"}");
        Response unknown = post("/api/v1/resends", other.token(), "{\"udi\":\"PID:ISR4331/K9,SN:NEVERSEEN9\"}");
        assertThat(foreign.status()).isEqualTo(404);
        assertThat(foreign.body().path("code").asText()).isEqualTo("UNKNOWN_UDI");
        assertThat(foreign.body().path("detail").asText().replace(udi, "X"))
                .isEqualTo(unknown.body().path("detail").asText().replace("PID:ISR4331/K9,SN:NEVERSEEN9", "X"));
        assertThat(post("/api/v1/resends", customer.token(), "{\"udi\":\"ISR 4331\"}").status()).isEqualTo(400);
        assertThat(post("/api/v1/resends", customer.token(), "{}").status()).isEqualTo(400);
        assertThat(jdbc.queryForObject("select count(*) from license_resend where udi = ?", Integer.class, udi)).isZero();
    }

    @Test
    void aDeviceLockedAfterTheRequestGetsARecordedRefusalNotItsLicenses() {
        TestAccount customer = newCustomer();
        Pak pak = newPak(customer, new NewLine("FL-ISR4300-SEC-K9", 1));
        String udi = "PID:ISR4331/K9,SN:" + randomSerial();
        issueLicenses(customer, pak, "FL-ISR4300-SEC-K9", udi);
        // The request is taken, and in the same transaction the device is locked (an RMA arriving at that moment).
        Resend resend = transactions.execute(status -> {
            Resend r = intake.submit(customer.id(), customer.id(), udi, ResendIntake.CHANNEL_API);
            devices.lock(Udi.parse(udi), "RMA test");
            return r;
        });
        String location = "/api/v1/resends/" + resend.id();
        JsonNode refused = awaitStatus(location, customer, "REJECTED");
        assertThat(refused.path("rejection").path("code").asText()).isEqualTo("DEVICE_LOCKED");
        assertThat(refused.path("licenseIds")).isEmpty();
        assertThat(get(location + "/license-file", customer.token()).status()).isEqualTo(409);
        await().atMost(Duration.ofSeconds(30)).until(() -> "SENT".equals(get(location, customer.token()).body()
                .path("mail").path("status").asText()));
        assertEndEvent(refused, "EndEvent_ResendRejected");
    }

    @Test
    void anInstanceTheIntakeDidNotStartSendsNothing() {
        TestAccount customer = newCustomer();
        Pak pak = newPak(customer, new NewLine("FL-ISR4300-SEC-K9", 1));
        String udi = "PID:ISR4331/K9,SN:" + randomSerial();
        issueLicenses(customer, pak, "FL-ISR4300-SEC-K9", udi);
        String instance = runtime.startProcessInstanceByKey("license-resend", java.util.Map.of("udi", udi, "accountId", customer.id()))
                .getId();
        await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.queryForObject(
                "select count(*) from act_ru_incident where proc_inst_id_ = ?", Integer.class, instance) == 1);
        assertThat(jdbc.queryForObject("select incident_msg_ from act_ru_incident where proc_inst_id_ = ?", String.class, instance))
                .contains("was not started by Nodelock's intake");
        assertThat(jdbc.queryForObject("select count(*) from mail_outbox where recipient = ? and operation_id like 'resend%'",
                Integer.class, customer.email())).isZero();
        runtime.deleteProcessInstance(instance, "test cleanup");
    }

    // ---- helpers ----

    /** Moves one license from the source to the destination by rehost; answers the destination's license id. */
    private String rehost(TestAccount customer, Udi source, SigningKey deviceKey, String licenseId, String destination) {
        // A certified device: the service trusts no other device key (docs/device-identity.md).
        String credential = new TicketSigner(deviceKey).sign(DeviceCredential.of(source, deviceKey.publicKey(),
                Instant.now().truncatedTo(ChronoUnit.SECONDS))).withCertificate(authority.issue("T-" + randomSerial(), source,
                deviceKey.publicKey())).toFile();
        ObjectNode body = JsonNodeFactory.instance.objectNode().put("credential", credential).put("email", customer.email());
        body.putArray("licenseIds").add(licenseId);
        Response started = post("/api/v1/rehosts", customer.token(), body.toString());
        assertThat(started.status()).as(started.raw()).isEqualTo(202);
        String location = started.headers().firstValue("Location").orElseThrow();
        awaitStatus(location, customer, "AWAITING_REHOST_TICKET");
        PermissionTicket permission = PermissionTicket.parseFile(get(location + "/permission-ticket", customer.token()).raw());
        String ticket = new TicketSigner(deviceKey).sign(RehostTicket.of(permission.ticketId(), source, permission.licenseIds(),
                Instant.now().truncatedTo(ChronoUnit.SECONDS), deviceKey.publicKey())).toFile();
        ObjectNode upload = JsonNodeFactory.instance.objectNode().put("rehostTicket", ticket).put("destinationUdi", destination);
        assertThat(post(location + "/rehost-ticket", customer.token(), upload.toString()).status()).isEqualTo(202);
        awaitStatus(location, customer, "ISSUED");
        return jdbc.queryForObject("select id from license where udi = ? and replaces_id = ?", String.class,
                Udi.parse(destination).binding(), licenseId);
    }

    private String submit(TestAccount customer, String udi) {
        Response accepted = post("/api/v1/resends", customer.token(), "{\"udi\":\"" + udi + "\"}");
        assertThat(accepted.status()).as(accepted.raw()).isEqualTo(202);
        return accepted.headers().firstValue("Location").orElseThrow();
    }

    private JsonNode awaitMail(String location, TestAccount customer) {
        JsonNode[] last = new JsonNode[1];
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            last[0] = get(location, customer.token()).body();
            return "SENT".equals(last[0].path("mail").path("status").asText());
        });
        return last[0];
    }

    private JsonNode awaitStatus(String location, TestAccount customer, String status) {
        JsonNode[] last = new JsonNode[1];
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            last[0] = get(location, customer.token()).body();
            return status.equals(last[0].path("status").asText());
        });
        return last[0];
    }

    private void assertEndEvent(JsonNode resend, String endEvent) {
        String instance = jdbc.queryForObject("select process_instance_id from license_resend where id = ?", String.class,
                UUID.fromString(resend.path("id").asText()));
        await().atMost(Duration.ofSeconds(20)).ignoreExceptions().untilAsserted(() -> assertThat(jdbc.queryForObject(
                "select end_act_id_ from act_hi_procinst where id_ = ?", String.class, instance)).isEqualTo(endEvent));
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(n -> values.add(n.asText()));
        return values;
    }
}
