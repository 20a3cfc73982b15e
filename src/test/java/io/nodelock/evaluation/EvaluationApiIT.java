package io.nodelock.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nodelock.account.Role;
import io.nodelock.device.Devices;
import io.nodelock.eula.ConsentOrigin;
import io.nodelock.eula.EulaConsent;
import io.nodelock.eula.EulaConsents;
import io.nodelock.licensefile.FileVerification;
import io.nodelock.licensefile.LicenseFile;
import io.nodelock.licensefile.LicenseLine;
import io.nodelock.licensefile.LicenseType;
import io.nodelock.licensefile.LicenseVerifier;
import io.nodelock.licensefile.PublicKeyInfo;
import io.nodelock.licensefile.Udi;
import io.nodelock.support.ServiceIT;
import jakarta.mail.Multipart;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;

/** Self-serve evaluations through the REST API of the running service, on PostgreSQL, mailing through GreenMail. */
class EvaluationApiIT extends ServiceIT {

    private static final String CURRENT_EULA = "2026-11";

    @Autowired
    Devices devices;
    @Autowired
    Evaluations evaluations;
    @Autowired
    EulaConsents eulas;
    @Autowired
    TransactionTemplate transactions;

    @Test
    void grantsOneSignedEvaluationLineUnderTheAcceptedEulaAndMailsIt() throws Exception {
        TestAccount customer = newCustomer();
        String udi = heldDevice(customer, "C1111-4P");

        JsonNode offers = get("/api/v1/evaluations/offers?udi=" + udi, customer.token()).body();
        assertThat(offers.path("udi").asText()).isEqualTo(udi);
        assertThat(offers.path("deviceLocked").asBoolean()).isFalse();
        assertThat(offers.path("eula").path("version").asText()).isEqualTo(CURRENT_EULA);
        assertThat(offers.path("eula").path("text").asText()).isEqualTo("/api/v1/eulas/" + CURRENT_EULA);
        assertThat(offers.path("offers").findValuesAsText("feature")).containsExactly("advipservices", "securityk9");
        assertThat(offers.path("offers").get(1).path("usageDays").asInt()).isEqualTo(60);
        assertThat(offers.path("offers").findValuesAsText("available")).containsOnly("true");

        Response granted = post("/api/v1/evaluations", customer.token(), json(udi, "securityk9", customer.email(), CURRENT_EULA, "true"),
                "User-Agent", "netops-portal/2.1 (test)");
        assertThat(granted.status()).as(granted.raw()).isEqualTo(201);
        String id = granted.body().path("id").asText();
        assertThat(granted.headers().firstValue("Location")).contains("/api/v1/evaluations/" + id);
        JsonNode view = granted.body();
        assertThat(view.path("udi").asText()).isEqualTo(udi);
        assertThat(view.path("feature").asText()).isEqualTo("securityk9");
        assertThat(view.path("type").asText()).isEqualTo("evaluation");
        assertThat(view.path("usageDays").asInt()).isEqualTo(60);
        assertThat(view.path("eula").path("version").asText()).isEqualTo(CURRENT_EULA);
        assertThat(view.path("eula").path("sha256").asText()).isEqualTo(eulas.current().sha256())
                .isEqualTo(get("/api/v1/eulas", null).body().path("eulas").get(1).path("sha256").asText());
        assertThat(view.path("eula").path("acceptedBy").asText()).isEqualTo(customer.id());
        assertThat(view.path("licenseIds")).hasSize(1);
        // what the first answer said is what a later read says
        JsonNode again = get("/api/v1/evaluations/" + id, customer.token()).body();
        JsonNode later = ((ObjectNode) again.deepCopy()).without("mail");
        JsonNode first = ((ObjectNode) view.deepCopy()).without("mail");
        assertThat(later).isEqualTo(first);

        // One signed format 2 line: evaluation, the catalogue's 60 days of use, carrying the EULA version accepted.
        Response file = get(view.path("licenseFile").asText(), customer.token());
        assertThat(file.status()).isEqualTo(200);
        assertThat(file.headers().firstValue("Content-Disposition").orElse("")).contains("nodelock-" + id + ".lic");
        LicenseFile.Parsed parsed = LicenseFile.parse(file.raw());
        assertThat(parsed.hasRejections()).isFalse();
        assertThat(parsed.lines()).hasSize(1);
        LicenseLine line = parsed.lines().get(0);
        assertThat(line.licenseId()).isEqualTo(view.path("licenseIds").get(0).asText());
        assertThat(line.feature()).isEqualTo("securityk9");
        assertThat(line.type()).isEqualTo(LicenseType.EVALUATION);
        assertThat(line.usageDays()).isEqualTo(60);
        assertThat(line.count()).isZero();
        assertThat(line.notAfter()).isNull();
        assertThat(line.eulaVersion()).isEqualTo(CURRENT_EULA);
        assertThat(line.toText()).startsWith("NLIC2 ").contains(" eula=" + CURRENT_EULA + " ");
        assertThat(line.udi().binding()).isEqualTo(udi);
        // verified as a device would: with the keys from the public endpoint, fetched without a token
        List<PublicKeyInfo> published = new ArrayList<>();
        get("/api/v1/keys", null).body().path("keys").forEach(k -> published.add(PublicKeyInfo.fromPem(k.path("pem").asText())));
        FileVerification verification = new LicenseVerifier(published).verifyFile(file.raw(), Udi.parse(udi), Instant.now());
        assertThat(verification.allOk()).as(verification.toString()).isTrue();
        // and a changed EULA version breaks the signature
        String edited = file.raw().replace("eula=" + CURRENT_EULA, "eula=2025-06");
        assertThat(new LicenseVerifier(published).verifyFile(edited, Udi.parse(udi), Instant.now()).allOk()).isFalse();

        // The consent, with every fact, in the same transaction as the evaluation.
        EulaConsent consent = eulas.forSubject("evaluation:" + id).get(0);
        assertThat(eulas.forSubject("evaluation:" + id)).hasSize(1);
        assertThat(consent.accountId()).isEqualTo(customer.id());
        assertThat(consent.acceptedBy()).isEqualTo(customer.id());
        assertThat(consent.eulaVersion()).isEqualTo(CURRENT_EULA);
        assertThat(consent.textSha256()).isEqualTo(eulas.current().sha256());
        assertThat(consent.origin()).isEqualTo(new ConsentOrigin("api", "127.0.0.1", "netops-portal/2.1 (test)"));
        assertThat(consent.acceptedAt()).isBetween(Instant.now().minus(Duration.ofMinutes(1)), Instant.now());
        assertThat(view.path("eula").path("acceptedAt").asText()).isEqualTo(consent.acceptedAt().toString());
        assertThat(jdbc.queryForObject("select eula_consent_id from evaluation where id = ?", UUID.class, UUID.fromString(id)))
                .isEqualTo(consent.id());

        // The mail, with the same line attached, sent once.
        MimeMessage mail = mailTo(customer.email(), 1).get(0);
        assertThat(mail.getSubject()).contains("securityk9").contains(udi);
        String attachment = attachment(mail);
        assertThat(LicenseFile.parse(attachment).lines()).isEqualTo(parsed.lines());
        assertThat(textOf(mail)).contains("60 days of use").contains("version " + CURRENT_EULA).contains(id);
        await().atMost(Duration.ofSeconds(20)).until(() ->
                "SENT".equals(get("/api/v1/evaluations/" + id, customer.token()).body().path("mail").path("status").asText()));

        // The audit trail of the evaluation: the consent, the grant, the mail.
        TestAccount operator = newAccount(EnumSet.of(Role.OPERATOR));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(get("/api/v1/audit?subject=evaluation:" + id, operator.token()).body().findValuesAsText("action"))
                        .containsExactly("eula.accepted", "evaluation.granted", "mail.sent"));
        JsonNode accepted = get("/api/v1/audit?subject=evaluation:" + id, operator.token()).body().get(0);
        assertThat(accepted.path("detail").asText()).contains(CURRENT_EULA, consent.textSha256(), "127.0.0.1",
                "netops-portal/2.1 (test)", consent.id().toString());

        // The offer is used up; the other one is still there.
        JsonNode after = get("/api/v1/evaluations/offers?udi=" + udi, customer.token()).body().path("offers");
        assertThat(after.get(1).path("available").asBoolean()).isFalse();
        assertThat(after.get(1).path("evaluationId").asText()).isEqualTo(id);
        assertThat(after.get(0).path("available").asBoolean()).isTrue();
        // an operator sees it too; nobody else
        assertThat(get("/api/v1/evaluations/" + id, operator.token()).status()).isEqualTo(200);
        TestAccount stranger = newCustomer();
        assertThat(get("/api/v1/evaluations/" + id, stranger.token()).status()).isEqualTo(404);
        assertThat(get("/api/v1/evaluations/" + id + "/license-file", stranger.token()).status()).isEqualTo(404);
        assertThat(get("/api/v1/evaluations/not-a-uuid", customer.token()).status()).isEqualTo(404);
        assertThat(get("/api/v1/evaluations/" + id, null).status()).isEqualTo(401);
    }

    @Test
    void aSecondEvaluationOfAFeatureOnADeviceIsA409NamingTheFirst() {
        TestAccount customer = newCustomer();
        String udi = heldDevice(customer, "ISR4331/K9");
        Response first = post("/api/v1/evaluations", customer.token(), json(udi, "uck9", customer.email(), CURRENT_EULA, "true"));
        assertThat(first.status()).as(first.raw()).isEqualTo(201);
        String firstId = first.body().path("id").asText();

        // the same device with its VID is the same device
        for (String same : List.of(udi, udi + ",VID:V02")) {
            Response second = post("/api/v1/evaluations", customer.token(), json(same, "uck9", customer.email(), CURRENT_EULA, "true"));
            assertThat(second.status()).as(second.raw()).isEqualTo(409);
            assertThat(second.headers().firstValue("Content-Type").orElse("")).contains("application/problem+json");
            assertThat(second.body().path("type").asText()).endsWith("/evaluation-exists");
            assertThat(second.body().path("code").asText()).isEqualTo("EVALUATION_EXISTS");
            assertThat(second.body().path("evaluationId").asText()).isEqualTo(firstId);
            assertThat(second.body().path("detail").asText()).contains(firstId).contains("uck9").contains("once");
        }
        // another feature on the same device, and the same feature on another device, are evaluations of their own
        assertThat(post("/api/v1/evaluations", customer.token(), json(udi, "datak9", customer.email(), CURRENT_EULA, "true"))
                .status()).isEqualTo(201);
        String other = heldDevice(customer, "ISR4331/K9");
        assertThat(post("/api/v1/evaluations", customer.token(), json(other, "uck9", customer.email(), CURRENT_EULA, "true"))
                .status()).isEqualTo(201);
        assertThat(jdbc.queryForObject("select count(*) from evaluation where udi = ? and feature = 'uck9'", Integer.class, udi))
                .isEqualTo(1);
        // the refused requests left no consent behind
        assertThat(jdbc.queryForObject("select count(*) from eula_consent where account_id = ?", Integer.class, customer.id()))
                .isEqualTo(3);
    }

    @Test
    void concurrentRequestsForOneFeatureOnOneDeviceGrantExactlyOne() throws Exception {
        TestAccount customer = newCustomer();
        String udi = heldDevice(customer, "ISR4351/K9");
        int clients = 12;
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Response>> answers = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            answers.add(pool.submit(() -> {
                start.await();
                return post("/api/v1/evaluations", customer.token(), json(udi, "securityk9", customer.email(), CURRENT_EULA, "true"));
            }));
        }
        start.countDown();
        List<Response> granted = new ArrayList<>();
        List<Response> refused = new ArrayList<>();
        for (Future<Response> answer : answers) {
            Response r = answer.get(60, TimeUnit.SECONDS);
            (r.status() == 201 ? granted : refused).add(r);
        }
        pool.shutdown();
        assertThat(granted).hasSize(1);
        String winner = granted.get(0).body().path("id").asText();
        assertThat(refused).hasSize(clients - 1).allSatisfy(r -> {
            assertThat(r.status()).as(r.raw()).isEqualTo(409);
            assertThat(r.body().path("evaluationId").asText()).isEqualTo(winner);
        });
        assertThat(jdbc.queryForObject("select count(*) from evaluation where udi = ?", Integer.class, udi)).isEqualTo(1);
        assertThat(jdbc.queryForObject("select count(*) from license where udi = ?", Integer.class, udi)).isEqualTo(1);
        assertThat(jdbc.queryForObject("select count(*) from eula_consent where account_id = ?", Integer.class, customer.id()))
                .isEqualTo(1);
        assertThat(jdbc.queryForObject("select count(*) from mail_outbox where operation_id like 'evaluation-mail:%' and recipient = ?",
                Integer.class, customer.email())).isEqualTo(1);
    }

    /**
     * The database, not the check before it, keeps the second one out: a request that found no evaluation waits on
     * the unique index for one being granted in another transaction, and loses when that commits.
     */
    @Test
    void theUniqueConstraintRefusesARequestThatPassedTheCheck() throws Exception {
        TestAccount customer = newCustomer();
        String udi = heldDevice(customer, "ISR4351/K9");
        UUID holderId = UUID.randomUUID();
        CountDownLatch inserted = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        Future<?> holder = pool.submit(() -> transactions.executeWithoutResult(status -> {
            EulaConsent consent = eulas.record(customer.id(), customer.id(), CURRENT_EULA, ConsentOrigin.api("10.0.0.9", "holder"),
                    "evaluation:" + holderId);
            evaluations.insert(new Evaluation(holderId, customer.id(), Udi.parse(udi), "datak9", 30, customer.email(),
                    consent.id(), Instant.now().truncatedTo(ChronoUnit.MICROS)));
            inserted.countDown();
            try {
                release.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }));
        assertThat(inserted.await(30, TimeUnit.SECONDS)).isTrue();
        Future<Response> racer = pool.submit(() -> post("/api/v1/evaluations", customer.token(),
                json(udi, "datak9", customer.email(), CURRENT_EULA, "true")));
        // the racer's insert waits for the holder's uncommitted row
        await().atMost(Duration.ofSeconds(20)).until(() -> jdbc.queryForObject("select count(*) from pg_stat_activity "
                + "where wait_event_type = 'Lock' and query like 'insert into evaluation%'", Integer.class) > 0);
        release.countDown();
        holder.get(30, TimeUnit.SECONDS);
        Response lost = racer.get(30, TimeUnit.SECONDS);
        pool.shutdown();
        assertThat(lost.status()).as(lost.raw()).isEqualTo(409);
        assertThat(lost.body().path("evaluationId").asText()).isEqualTo(holderId.toString());
        // everything of the loser rolled back: its consent, and no license was signed for the device
        assertThat(jdbc.queryForObject("select count(*) from eula_consent where account_id = ?", Integer.class, customer.id()))
                .isEqualTo(1);
        assertThat(jdbc.queryForObject("select count(*) from license where udi = ?", Integer.class, udi)).isZero();
    }

    @Test
    void anotherAccountsDeviceAnswersExactlyLikeAnUnknownOne() {
        TestAccount customer = newCustomer();
        TestAccount other = newCustomer();
        String theirs = heldDevice(other, "C1111-4P");
        String nobodys = "PID:C1111-4P,SN:" + randomSerial();
        Response forTheirs = post("/api/v1/evaluations", customer.token(), json(theirs, "securityk9", customer.email(), CURRENT_EULA, "true"));
        Response forNobodys = post("/api/v1/evaluations", customer.token(), json(nobodys, "securityk9", customer.email(), CURRENT_EULA, "true"));
        assertThat(forTheirs.status()).isEqualTo(404);
        assertThat(forTheirs.body().path("code").asText()).isEqualTo("UNKNOWN_UDI");
        assertThat(forTheirs.raw().replace(theirs, "UDI")).isEqualTo(forNobodys.raw().replace(nobodys, "UDI"));
        Response offersTheirs = get("/api/v1/evaluations/offers?udi=" + theirs, customer.token());
        Response offersNobodys = get("/api/v1/evaluations/offers?udi=" + nobodys, customer.token());
        assertThat(offersTheirs.status()).isEqualTo(404);
        assertThat(offersTheirs.raw().replace(theirs, "UDI")).isEqualTo(offersNobodys.raw().replace(nobodys, "UDI"));
        assertThat(jdbc.queryForObject("select count(*) from evaluation where udi = ?", Integer.class, theirs)).isZero();
        assertThat(jdbc.queryForObject("select count(*) from eula_consent where account_id = ?", Integer.class, customer.id())).isZero();
    }

    @Test
    void aFeatureWithoutAnEvaluationForTheProductIsRefusedSayingWhatIsOffered() {
        TestAccount customer = newCustomer();
        String router = heldDevice(customer, "C1111-4P");
        String controller = heldDevice(customer, "AIR-CT5520-K9");

        Response unknown = post("/api/v1/evaluations", customer.token(), json(router, "voice", customer.email(), CURRENT_EULA, "true"));
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.body().path("type").asText()).endsWith("/invalid-request");
        assertThat(unknown.body().path("errors").get(0).path("field").asText()).isEqualTo("feature");
        assertThat(unknown.body().path("errors").get(0).path("message").asText())
                .contains("'voice' is not in the catalogue").contains("securityk9");

        Response notForProduct = post("/api/v1/evaluations", customer.token(), json(router, "uck9", customer.email(), CURRENT_EULA, "true"));
        assertThat(notForProduct.status()).isEqualTo(422);
        assertThat(notForProduct.body().path("type").asText()).endsWith("/evaluation-not-offered");
        assertThat(notForProduct.body().path("title").asText()).isEqualTo("Evaluation refused");
        assertThat(notForProduct.body().path("detail").asText())
                .isEqualTo("Feature uck9 offers no self-serve evaluation for product C1111-4P. Device " + router
                        + " may evaluate: advipservices, securityk9.");
        assertThat(notForProduct.body().path("offered").toString()).isEqualTo("[\"advipservices\",\"securityk9\"]");

        Response noEvaluation = post("/api/v1/evaluations", customer.token(), json(router, "ipbase", customer.email(), CURRENT_EULA, "true"));
        assertThat(noEvaluation.status()).isEqualTo(422);
        assertThat(noEvaluation.body().path("detail").asText()).startsWith("Feature ipbase offers no self-serve evaluation. ");

        Response nothingForProduct = post("/api/v1/evaluations", customer.token(),
                json(controller, "securityk9", customer.email(), CURRENT_EULA, "true"));
        assertThat(nothingForProduct.status()).isEqualTo(422);
        assertThat(nothingForProduct.body().path("detail").asText()).endsWith("Product AIR-CT5520-K9 has none to offer.");
        assertThat(get("/api/v1/evaluations/offers?udi=" + controller, customer.token()).body().path("offers")).isEmpty();

        Response malformed = post("/api/v1/evaluations", customer.token(), json("PID:C1111-4P", "Security K9", "nobody", CURRENT_EULA, "true"));
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.body().path("errors").findValuesAsText("field")).containsExactly("udi", "feature", "email");
        assertThat(get("/api/v1/evaluations/offers?udi=nonsense", customer.token()).status()).isEqualTo(400);
        assertThat(get("/api/v1/evaluations/offers", customer.token()).status()).isEqualTo(400);
        assertThat(jdbc.queryForObject("select count(*) from eula_consent where account_id = ?", Integer.class, customer.id())).isZero();
    }

    @Test
    void onlyJsonTrueIsConsentAndOnlyToTheCurrentVersion() {
        TestAccount customer = newCustomer();
        String udi = heldDevice(customer, "C1111-4P");
        // false, null and a missing field are no consent: a refusal that says what to read and accept
        for (String notGiven : Arrays.asList("false", "null", null)) {
            Response r = post("/api/v1/evaluations", customer.token(), json(udi, "securityk9", customer.email(), CURRENT_EULA, notGiven));
            assertThat(r.status()).as(notGiven + ": " + r.raw()).isEqualTo(422);
            assertThat(r.body().path("type").asText()).endsWith("/eula-not-accepted");
            assertThat(r.body().path("code").asText()).isEqualTo("EULA_NOT_ACCEPTED");
            assertThat(r.body().path("errors").get(0).path("field").asText()).isEqualTo("eulaAccepted");
            assertThat(r.body().path("detail").asText()).contains("version " + CURRENT_EULA).contains("/api/v1/eulas/" + CURRENT_EULA)
                    .contains("\"eulaAccepted\": true");
            assertThat(r.body().path("eulaVersion").asText()).isEqualTo(CURRENT_EULA);
            assertThat(r.body().path("eulaText").asText()).isEqualTo("/api/v1/eulas/" + CURRENT_EULA);
            assertThat(r.body().path("eulaSha256").asText()).isEqualTo(eulas.current().sha256());
        }
        // a string, a number or anything else where JSON true belongs is malformed: 400 naming the field
        for (String lax : List.of("\"true\"", "1", "0", "\"yes\"", "\"TRUE\"", "1.0", "[true]", "{}")) {
            Response r = post("/api/v1/evaluations", customer.token(), json(udi, "securityk9", customer.email(), CURRENT_EULA, lax));
            assertThat(r.status()).as(lax + ": " + r.raw()).isEqualTo(400);
            assertThat(r.body().path("errors").get(0).path("field").asText()).isEqualTo("eulaAccepted");
        }
        Response noVersion = post("/api/v1/evaluations", customer.token(), json(udi, "securityk9", customer.email(), null, "true"));
        assertThat(noVersion.status()).isEqualTo(422);
        assertThat(noVersion.body().path("code").asText()).isEqualTo("EULA_UNKNOWN");
        assertThat(noVersion.body().path("errors").get(0).path("field").asText()).isEqualTo("eulaVersion");
        assertThat(noVersion.body().path("detail").asText()).startsWith("eulaVersion is missing").contains(CURRENT_EULA);
        Response unknown = post("/api/v1/evaluations", customer.token(), json(udi, "securityk9", customer.email(), "1999-01", "true"));
        assertThat(unknown.status()).isEqualTo(422);
        assertThat(unknown.body().path("code").asText()).isEqualTo("EULA_UNKNOWN");
        assertThat(unknown.body().path("detail").asText()).startsWith("There is no version '1999-01'");
        Response outdated = post("/api/v1/evaluations", customer.token(), json(udi, "securityk9", customer.email(), "2025-06", "true"));
        assertThat(outdated.status()).isEqualTo(422);
        assertThat(outdated.body().path("code").asText()).isEqualTo("EULA_OUTDATED");
        assertThat(outdated.body().path("detail").asText()).startsWith("Version 2025-06 of the end-user license agreement is no "
                + "longer the one to accept; version " + CURRENT_EULA + " replaced it.");

        assertThat(jdbc.queryForObject("select count(*) from evaluation where udi = ?", Integer.class, udi)).isZero();
        assertThat(jdbc.queryForObject("select count(*) from eula_consent where account_id = ?", Integer.class, customer.id())).isZero();
        // and with consent it is granted
        assertThat(post("/api/v1/evaluations", customer.token(), json(udi, "securityk9", customer.email(), CURRENT_EULA, "true"))
                .status()).isEqualTo(201);
    }

    @Test
    void aLockedDeviceIsOfferedNothing() {
        TestAccount customer = newCustomer();
        String udi = heldDevice(customer, "C1111-4P");
        devices.lock(Udi.parse(udi), "RMA test");
        JsonNode offers = get("/api/v1/evaluations/offers?udi=" + udi, customer.token()).body();
        assertThat(offers.path("deviceLocked").asBoolean()).isTrue();
        assertThat(offers.path("offers").findValuesAsText("available")).containsOnly("false");
        Response r = post("/api/v1/evaluations", customer.token(), json(udi, "securityk9", customer.email(), CURRENT_EULA, "true"));
        assertThat(r.status()).isEqualTo(422);
        assertThat(r.body().path("code").asText()).isEqualTo("DEVICE_LOCKED");
    }

    // ------------------------------------------------------------------------------------------- helpers

    private String heldDevice(TestAccount owner, String pid) {
        String udi = "PID:" + pid + ",SN:" + randomSerial();
        assertThat(devices.claim(Udi.parse(udi), owner.id())).isEqualTo(owner.id());
        return udi;
    }

    /** The request body; {@code accepted} is raw JSON, or null to leave the field out (as {@code version}). */
    private static String json(String udi, String feature, String email, String version, String accepted) {
        StringBuilder body = new StringBuilder("{\"udi\":\"" + udi + "\",\"feature\":\"" + feature + "\",\"email\":\"" + email + "\"");
        if (version != null) {
            body.append(",\"eulaVersion\":\"").append(version).append('"');
        }
        if (accepted != null) {
            body.append(",\"eulaAccepted\":").append(accepted);
        }
        return body.append('}').toString();
    }

    private List<MimeMessage> mailTo(String address, int expected) {
        List<MimeMessage> found = new ArrayList<>();
        await().atMost(Duration.ofSeconds(20)).until(() -> {
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

    private static String attachment(MimeMessage mail) throws Exception {
        Multipart multipart = (Multipart) mail.getContent();
        for (int i = 0; i < multipart.getCount(); i++) {
            if (multipart.getBodyPart(i).getFileName() != null) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                multipart.getBodyPart(i).getInputStream().transferTo(out);
                return out.toString(StandardCharsets.US_ASCII);
            }
        }
        throw new AssertionError("no attachment in " + mail.getSubject());
    }

    private static String textOf(MimeMessage mail) throws Exception {
        Multipart multipart = (Multipart) mail.getContent();
        for (int i = 0; i < multipart.getCount(); i++) {
            if (multipart.getBodyPart(i).getFileName() == null) {
                return String.valueOf(multipart.getBodyPart(i).getContent());
            }
        }
        throw new AssertionError("no text in " + mail.getSubject());
    }
}
