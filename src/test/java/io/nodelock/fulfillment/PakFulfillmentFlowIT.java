package io.nodelock.fulfillment;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.nodelock.licensefile.FileVerification;
import io.nodelock.licensefile.LicenseFile;
import io.nodelock.licensefile.LicenseLine;
import io.nodelock.licensefile.LicenseType;
import io.nodelock.licensefile.LicenseVerifier;
import io.nodelock.licensefile.PublicKeyInfo;
import io.nodelock.licensefile.Udi;
import io.nodelock.pak.Pak;
import io.nodelock.pak.PakService.NewLine;
import io.nodelock.support.ServiceIT;
import jakarta.mail.Multipart;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every path of bpmn/pak-fulfillment.bpmn, driven through the REST API of the running service on PostgreSQL. */
class PakFulfillmentFlowIT extends ServiceIT {

    @Test
    void issuesASignedLicenseFileAndMailsIt() throws Exception {
        TestAccount customer = newCustomer();
        Pak pak = newPak(customer, new NewLine("FL-C1111-SEC-K9", 3), new NewLine("SL-1100-AIS-K9", 1));
        String udi = "PID:C1111-4P,SN:" + randomSerial();

        Response accepted = post("/api/v1/fulfillments", customer.token(),
                fulfillmentJson(pak.code().formatted(), "FL-C1111-SEC-K9", udi, customer.email(), false));
        assertThat(accepted.status()).isEqualTo(202);
        String location = accepted.headers().firstValue("Location").orElseThrow();
        assertThat(accepted.body().path("status").asText()).isEqualTo("SUBMITTED");

        JsonNode done = awaitMailSent(location, customer.token());
        assertThat(done.path("status").asText()).isEqualTo("ISSUED");
        assertThat(done.path("licenseIds")).hasSize(1);

        Response file = get(done.path("licenseFile").asText(), customer.token());
        assertThat(file.status()).isEqualTo(200);
        LicenseFile.Parsed parsed = LicenseFile.parse(file.raw());
        assertThat(parsed.hasRejections()).isFalse();
        LicenseLine line = parsed.lines().get(0);
        assertThat(line.feature()).isEqualTo("securityk9");
        assertThat(line.type()).isEqualTo(LicenseType.PERMANENT);
        assertThat(line.udi().binding()).isEqualTo(udi);
        assertThat(line.licenseId()).isEqualTo(done.path("licenseIds").get(0).asText());

        // Verify with the key as a device would get it: from the public endpoint, without a token.
        Response keys = get("/api/v1/keys", null);
        List<PublicKeyInfo> published = new ArrayList<>();
        keys.body().path("keys").forEach(k -> published.add(PublicKeyInfo.fromPem(k.path("pem").asText())));
        FileVerification verification = new LicenseVerifier(published).verifyFile(file.raw(), Udi.parse(udi), Instant.now());
        assertThat(verification.allOk()).as(verification.toString()).isTrue();

        // The PAK line lost exactly one unit.
        JsonNode pakView = get("/api/v1/paks/" + pak.code().formatted(), customer.token()).body();
        assertThat(pakView.path("lines").get(0).path("remaining").asInt()).isEqualTo(2);
        assertThat(pakView.path("lines").get(1).path("remaining").asInt()).isEqualTo(1);

        // The customer got one mail with the same file attached.
        MimeMessage mail = mailTo(customer.email(), 1).get(0);
        assertThat(mail.getSubject()).contains("FL-C1111-SEC-K9").contains(udi);
        Multipart multipart = (Multipart) mail.getContent();
        String attachment = null;
        for (int i = 0; i < multipart.getCount(); i++) {
            if (multipart.getBodyPart(i).getFileName() != null) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                multipart.getBodyPart(i).getInputStream().transferTo(out);
                attachment = out.toString(java.nio.charset.StandardCharsets.US_ASCII);
            }
        }
        // SMTP may turn line ends into CRLF in transit; the parser accepts both, and the lines must be identical.
        assertThat(attachment).isNotNull();
        assertThat(LicenseFile.parse(attachment).lines()).isEqualTo(parsed.lines());

        // Operators can follow every step in the audit trail; the customer cannot read it.
        TestAccount operator = newAccount(java.util.EnumSet.of(io.nodelock.account.Role.OPERATOR));
        String subject = "fulfillment:" + done.path("id").asText();
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(get("/api/v1/audit?subject=" + subject, operator.token()).body().findValuesAsText("action"))
                        .containsExactly("fulfillment.submitted", "license.issued", "mail.queued", "mail.sent"));
        assertThat(get("/api/v1/audit?subject=" + subject, customer.token()).status()).isEqualTo(403);

        // The engine recorded a finished instance that ended in EndEvent_LicenseIssued.
        String processInstanceId = jdbc.queryForObject("select process_instance_id from fulfillment where id = ?", String.class,
                java.util.UUID.fromString(done.path("id").asText()));
        assertThat(jdbc.queryForObject("select end_act_id_ from act_hi_procinst where id_ = ?", String.class, processInstanceId))
                .isEqualTo("EndEvent_LicenseIssued");
    }

    @Test
    void countedSubscriptionAndEvaluationLinesCarryTheirTerms() {
        TestAccount customer = newCustomer();
        Pak pak = newPak(customer, new NewLine("LIC-CT5520-25A", 1), new NewLine("EVAL-ISR4300-SEC", 1),
                new NewLine("SUB-ISR4300-AES-1Y", 1));

        LicenseLine counted = issueOne(customer, pak, "LIC-CT5520-25A", "PID:AIR-CT5520-K9,SN:" + randomSerial(), false);
        assertThat(counted.count()).isEqualTo(25);

        LicenseLine eval = issueOne(customer, pak, "EVAL-ISR4300-SEC", "PID:ISR4331/K9,SN:" + randomSerial(), true);
        assertThat(eval.type()).isEqualTo(LicenseType.EVALUATION);
        assertThat(eval.usageDays()).isEqualTo(60);
        assertThat(eval.notAfter()).isNull();

        LicenseLine sub = issueOne(customer, pak, "SUB-ISR4300-AES-1Y", "PID:ISR4331/K9,SN:" + randomSerial(), false);
        assertThat(sub.type()).isEqualTo(LicenseType.SUBSCRIPTION);
        assertThat(java.time.Duration.between(sub.notBefore(), sub.notAfter()).toDays()).isEqualTo(365);
    }

    @Test
    void unknownPakIsRejectedAndTheCustomerIsTold() throws Exception {
        TestAccount customer = newCustomer();
        String neverIssued = io.nodelock.pak.PakCode.random().formatted();
        JsonNode outcome = submitAndAwait(customer, neverIssued, "FL-C1111-SEC-K9", "PID:C1111-4P,SN:" + randomSerial(), false);
        assertRejected(outcome, "PAK_UNKNOWN");
        awaitMailSent("/api/v1/fulfillments/" + outcome.path("id").asText(), customer.token());
        MimeMessage mail = mailTo(customer.email(), 1).get(0);
        assertThat(mail.getSubject()).startsWith("License request not fulfilled");
        assertThat((String) mail.getContent()).contains("PAK_UNKNOWN").contains(neverIssued);
        assertEndEvent(outcome, "EndEvent_FulfillmentRejected");
    }

    @Test
    void anotherAccountsPakLooksUnknown() {
        TestAccount owner = newCustomer();
        TestAccount stranger = newCustomer();
        Pak pak = newPak(owner, new NewLine("FL-C1111-SEC-K9", 1));
        JsonNode outcome = submitAndAwait(stranger, pak.code().formatted(), "FL-C1111-SEC-K9", "PID:C1111-4P,SN:" + randomSerial(), false);
        assertRejected(outcome, "PAK_UNKNOWN");
        assertThat(get("/api/v1/paks/" + pak.code().formatted(), stranger.token()).status()).isEqualTo(404);
        assertThat(remaining(pak, owner)).isEqualTo(1);
    }

    @Test
    void skuNotOnPakIsRejected() {
        TestAccount customer = newCustomer();
        Pak pak = newPak(customer, new NewLine("FL-C1111-SEC-K9", 1));
        JsonNode outcome = submitAndAwait(customer, pak.code().formatted(), "FL-ISR4300-SEC-K9", "PID:ISR4331/K9,SN:" + randomSerial(), false);
        assertRejected(outcome, "SKU_NOT_ON_PAK");
        assertThat(outcome.path("rejection").path("message").asText()).contains("FL-C1111-SEC-K9");
        assertThat(remaining(pak, customer)).isEqualTo(1);
    }

    @Test
    void exhaustedPakIsRejected() {
        TestAccount customer = newCustomer();
        Pak pak = newPak(customer, new NewLine("FL-C1111-SEC-K9", 1));
        issueOne(customer, pak, "FL-C1111-SEC-K9", "PID:C1111-4P,SN:" + randomSerial(), false);
        JsonNode outcome = submitAndAwait(customer, pak.code().formatted(), "FL-C1111-SEC-K9", "PID:C1111-4P,SN:" + randomSerial(), false);
        assertRejected(outcome, "PAK_EXHAUSTED");
        assertThat(remaining(pak, customer)).isZero();
    }

    @Test
    void udiOfAnotherProductIsRejectedWithoutUsingAUnit() {
        TestAccount customer = newCustomer();
        Pak pak = newPak(customer, new NewLine("FL-C1111-SEC-K9", 1));
        JsonNode outcome = submitAndAwait(customer, pak.code().formatted(), "FL-C1111-SEC-K9", "PID:ISR4331/K9,SN:" + randomSerial(), false);
        assertRejected(outcome, "UDI_NOT_VALID_FOR_SKU");
        assertThat(outcome.path("rejection").path("message").asText()).contains("C1111-4P");
        assertThat(remaining(pak, customer)).isEqualTo(1);
        assertThat(get("/api/v1/fulfillments/" + outcome.path("id").asText() + "/license-file", customer.token()).status())
                .isEqualTo(409);
    }

    @Test
    void deviceOfAnotherAccountIsRejected() {
        TestAccount first = newCustomer();
        TestAccount second = newCustomer();
        String udi = "PID:C1111-4P,SN:" + randomSerial();
        issueOne(first, newPak(first, new NewLine("FL-C1111-SEC-K9", 1)), "FL-C1111-SEC-K9", udi, false);
        Pak secondPak = newPak(second, new NewLine("FL-C1111-SEC-K9", 1));
        JsonNode outcome = submitAndAwait(second, secondPak.code().formatted(), "FL-C1111-SEC-K9", udi, false);
        assertRejected(outcome, "DEVICE_OF_ANOTHER_ACCOUNT");
        assertThat(remaining(secondPak, second)).isEqualTo(1);
    }

    @Test
    void anotherAccountCannotSeeAFulfillment() {
        TestAccount customer = newCustomer();
        TestAccount stranger = newCustomer();
        Pak pak = newPak(customer, new NewLine("FL-C1111-SEC-K9", 1));
        JsonNode outcome = submitAndAwait(customer, pak.code().formatted(), "FL-C1111-SEC-K9", "PID:C1111-4P,SN:" + randomSerial(), false);
        String id = outcome.path("id").asText();
        assertThat(get("/api/v1/fulfillments/" + id, stranger.token()).status()).isEqualTo(404);
        assertThat(get("/api/v1/fulfillments/" + id + "/license-file", stranger.token()).status()).isEqualTo(404);
    }

    // ---- helpers ----

    private LicenseLine issueOne(TestAccount customer, Pak pak, String sku, String udi, boolean eula) {
        JsonNode outcome = submitAndAwait(customer, pak.code().formatted(), sku, udi, eula);
        assertThat(outcome.path("status").asText()).as(outcome.toString()).isEqualTo("ISSUED");
        Response file = get(outcome.path("licenseFile").asText(), customer.token());
        return LicenseFile.parse(file.raw()).lines().get(0);
    }

    private JsonNode submitAndAwait(TestAccount customer, String pak, String sku, String udi, boolean eula) {
        Response accepted = post("/api/v1/fulfillments", customer.token(), fulfillmentJson(pak, sku, udi, customer.email(), eula));
        assertThat(accepted.status()).as(accepted.raw()).isEqualTo(202);
        return awaitOutcome(accepted.headers().firstValue("Location").orElseThrow(), customer.token());
    }

    private void assertRejected(JsonNode outcome, String code) {
        assertThat(outcome.path("status").asText()).as(outcome.toString()).isEqualTo("REJECTED");
        assertThat(outcome.path("rejection").path("code").asText()).isEqualTo(code);
        assertThat(outcome.path("rejection").path("message").asText()).isNotBlank();
        assertEndEvent(outcome, "EndEvent_FulfillmentRejected");
    }

    private void assertEndEvent(JsonNode outcome, String endEvent) {
        String processInstanceId = jdbc.queryForObject("select process_instance_id from fulfillment where id = ?", String.class,
                java.util.UUID.fromString(outcome.path("id").asText()));
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(jdbc.queryForObject("select end_act_id_ from act_hi_procinst where id_ = ?", String.class,
                        processInstanceId)).isEqualTo(endEvent));
    }

    private int remaining(Pak pak, TestAccount owner) {
        return get("/api/v1/paks/" + pak.code().formatted(), owner.token()).body().path("lines").get(0).path("remaining").asInt();
    }

    private List<MimeMessage> mailTo(String address, int expected) {
        List<MimeMessage> found = new ArrayList<>();
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20)).until(() -> {
            found.clear();
            for (MimeMessage m : SMTP.getReceivedMessages()) {
                if (Arrays.stream(m.getAllRecipients()).anyMatch(a -> a.toString().equals(address))) {
                    found.add(m);
                }
            }
            return found.size() >= expected;
        });
        assertThat(found).hasSize(expected);
        return found;
    }
}
