package io.nodelock.fulfillment;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.nodelock.eula.ConsentOrigin;
import io.nodelock.eula.EulaConsent;
import io.nodelock.eula.EulaConsents;
import io.nodelock.pak.Pak;
import io.nodelock.pak.PakService.NewLine;
import io.nodelock.support.ServiceIT;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** A fulfillment of a SKU that requires the EULA records the consent it was submitted with. */
class FulfillmentEulaIT extends ServiceIT {

    @Autowired
    EulaConsents eulas;

    @Test
    void acceptingTheEulaRecordsAConsentToTheCurrentVersionShownOnTheFulfillment() {
        TestAccount customer = newCustomer();
        Pak pak = newPak(customer, new NewLine("EVAL-ISR4300-SEC", 2));
        // without eulaVersion (as before versions existed): the current one
        Response accepted = post("/api/v1/fulfillments", customer.token(),
                fulfillmentJson(pak.code().formatted(), "EVAL-ISR4300-SEC", "PID:ISR4331/K9,SN:" + randomSerial(), customer.email(), true),
                "User-Agent", "order-bot/1.0");
        assertThat(accepted.status()).as(accepted.raw()).isEqualTo(202);
        assertThat(accepted.body().path("eulaVersion").asText()).isEqualTo("2026-11");
        String id = accepted.body().path("id").asText();
        List<EulaConsent> consents = eulas.forSubject("fulfillment:" + id);
        assertThat(consents).hasSize(1);
        EulaConsent consent = consents.get(0);
        assertThat(consent.accountId()).isEqualTo(customer.id());
        assertThat(consent.acceptedBy()).isEqualTo(customer.id());
        assertThat(consent.eulaVersion()).isEqualTo("2026-11");
        assertThat(consent.textSha256()).isEqualTo(eulas.current().sha256());
        assertThat(consent.acceptedAt()).isBetween(Instant.now().minus(Duration.ofMinutes(1)), Instant.now());
        assertThat(consent.origin()).isEqualTo(new ConsentOrigin("api", "127.0.0.1", "order-bot/1.0"));

        JsonNode done = awaitOutcome(accepted.headers().firstValue("Location").orElseThrow(), customer.token());
        assertThat(done.path("status").asText()).isEqualTo("ISSUED");
        assertThat(done.path("eulaVersion").asText()).isEqualTo("2026-11");
        // The evaluation line names the EULA its consent was recorded for (format 2).
        Response file = get(done.path("licenseFile").asText(), customer.token());
        assertThat(io.nodelock.licensefile.LicenseFile.parse(file.raw()).lines()).singleElement()
                .satisfies(line -> assertThat(line.eulaVersion()).isEqualTo("2026-11"));

        // naming the current version explicitly is the same
        Response named = post("/api/v1/fulfillments", customer.token(), json(pak, "\"eulaVersion\":\"2026-11\",\"eulaAccepted\":true"));
        assertThat(named.status()).as(named.raw()).isEqualTo(202);
        assertThat(eulas.forSubject("fulfillment:" + named.body().path("id").asText()))
                .extracting(EulaConsent::eulaVersion).containsExactly("2026-11");
    }

    @Test
    void anOutdatedOrUnknownVersionIsRefusedAndNothingIsStored() {
        TestAccount customer = newCustomer();
        Pak pak = newPak(customer, new NewLine("EVAL-ISR4300-SEC", 2));
        Response outdated = post("/api/v1/fulfillments", customer.token(), json(pak, "\"eulaVersion\":\"2025-06\",\"eulaAccepted\":true"));
        assertThat(outdated.status()).isEqualTo(422);
        assertThat(outdated.body().path("code").asText()).isEqualTo("EULA_OUTDATED");
        assertThat(outdated.body().path("detail").asText()).contains("/api/v1/eulas/2026-11");
        Response unknown = post("/api/v1/fulfillments", customer.token(), json(pak, "\"eulaVersion\":\"3000\",\"eulaAccepted\":true"));
        assertThat(unknown.status()).isEqualTo(422);
        assertThat(unknown.body().path("code").asText()).isEqualTo("EULA_UNKNOWN");
        assertThat(jdbc.queryForObject("select count(*) from fulfillment where account_id = ?", Integer.class, customer.id())).isZero();
        assertThat(jdbc.queryForObject("select count(*) from eula_consent where account_id = ?", Integer.class, customer.id())).isZero();
    }

    @Test
    void withoutConsentTheAnswerNamesTheVersionToReadAndWhere() {
        TestAccount customer = newCustomer();
        Pak pak = newPak(customer, new NewLine("EVAL-ISR4300-SEC", 1));
        for (String notGiven : List.of("\"eulaAccepted\":false", "\"eulaAccepted\":null", "\"eulaVersion\":\"2026-11\"")) {
            Response refused = post("/api/v1/fulfillments", customer.token(), json(pak, notGiven));
            assertThat(refused.status()).as(notGiven).isEqualTo(400);
            JsonNode error = refused.body().path("errors").get(0);
            assertThat(error.path("field").asText()).isEqualTo("eulaAccepted");
            assertThat(error.path("message").asText()).contains("(eulaAccepted: true)", "version 2026-11", "/api/v1/eulas/2026-11");
        }
        assertThat(jdbc.queryForObject("select count(*) from eula_consent where account_id = ?", Integer.class, customer.id())).isZero();
    }

    @Test
    void aSkuThatNeedsNoEulaRecordsNoConsent() {
        TestAccount customer = newCustomer();
        Pak pak = newPak(customer, new NewLine("FL-C1111-SEC-K9", 1));
        Response accepted = post("/api/v1/fulfillments", customer.token(), """
                {"pakCode":"%s","sku":"FL-C1111-SEC-K9","udi":"PID:C1111-4P,SN:%s","email":"%s","eulaAccepted":true,"eulaVersion":"old"}"""
                .formatted(pak.code().formatted(), randomSerial(), customer.email()));
        assertThat(accepted.status()).as(accepted.raw()).isEqualTo(202);
        assertThat(accepted.body().has("eulaVersion")).isFalse(); // nulls are left out
        assertThat(eulas.forSubject("fulfillment:" + accepted.body().path("id").asText())).isEmpty();
        assertThat(eulas.forSubject("fulfillment:" + UUID.randomUUID())).isEmpty();
    }

    private String json(Pak pak, String eulaFields) {
        return """
                {"pakCode":"%s","sku":"EVAL-ISR4300-SEC","udi":"PID:ISR4331/K9,SN:%s","email":"x@example.com",%s}"""
                .formatted(pak.code().formatted(), randomSerial(), eulaFields);
    }
}
