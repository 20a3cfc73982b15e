package io.nodelock.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.nodelock.account.Role;
import io.nodelock.pak.Pak;
import io.nodelock.pak.PakService.NewLine;
import io.nodelock.support.RawHttp;
import io.nodelock.support.ServiceIT;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Input the security review (issue 7) found answered with a 500 or taken too kindly: each is refused with a 4xx problem
 * document that names what was wrong, and nothing is stored.
 */
class ApiInputIT extends ServiceIT {

    @Test
    void aDuplicatedJsonKeyIsA400NamingTheKeyOnEveryPostEndpoint() {
        TestAccount customer = newCustomer();
        TestAccount operator = newAccount(EnumSet.of(Role.OPERATOR));
        int before = fulfillmentCount();
        assertNamed(post("/api/v1/fulfillments", customer.token(), """
                {"pakCode":"x","sku":"FL-C1111-SEC-K9","udi":"PID:C1111-4P,SN:X","email":"a@example.com",\
                "eulaAccepted":true,"pakCode":"dup"}"""), 400, "pakCode");
        assertNamed(post("/api/v1/paks", operator.token(), """
                {"accountId":"%s","lines":[{"sku":"FL-C1111-SEC-K9","quantity":1,"quantity":2}]}""".formatted(customer.id())),
                400, "lines[0].quantity");
        assertNamed(post("/api/v1/rmas", customer.token(), """
                {"failedUdi":"a","replacementUdi":"b","rmaNumber":"c","email":"d","failedUdi":"e"}"""), 400, "failedUdi");
        assertNamed(post("/api/v1/rehosts", customer.token(), """
                {"credential":"a","licenseIds":[],"email":"x","credential":"b"}"""), 400, "credential");
        assertNamed(post("/api/v1/rehosts/transferable-licenses", customer.token(), """
                {"credential":"a","credential":"b"}"""), 400, "credential");
        assertNamed(post("/api/v1/rehosts/" + UUID.randomUUID() + "/rehost-ticket", customer.token(), """
                {"rehostTicket":"a","destinationUdi":"b","rehostTicket":"c"}"""), 400, "rehostTicket");
        assertThat(fulfillmentCount()).isEqualTo(before);
    }

    @Test
    void onlyJsonTrueIsConsent() {
        TestAccount customer = newCustomer();
        Pak pak = newPak(customer, new NewLine("EVAL-ISR4300-SEC", 5));
        int before = fulfillmentCount();
        for (String lax : List.of("2", "-1", "1", "0", "\"TRUE\"", "\"true\"", "\"yes\"", "1e400", "1.0", "[true]", "{}")) {
            String body = """
                    {"pakCode":"%s","sku":"EVAL-ISR4300-SEC","udi":"PID:ISR4331/K9,SN:%s","email":"%s","eulaAccepted":%s}"""
                    .formatted(pak.code().formatted(), randomSerial(), customer.email(), lax);
            assertNamed(post("/api/v1/fulfillments", customer.token(), body), 400, "eulaAccepted");
        }
        assertThat(fulfillmentCount()).isEqualTo(before);
    }

    @Test
    void scalarsAreNotCoerced() {
        TestAccount customer = newCustomer();
        TestAccount operator = newAccount(EnumSet.of(Role.OPERATOR));
        for (String quantity : List.of("\"5\"", "1.5", "true", "\"\"")) {
            assertNamed(post("/api/v1/paks", operator.token(), """
                    {"accountId":"%s","lines":[{"sku":"FL-C1111-SEC-K9","quantity":%s}]}""".formatted(customer.id(), quantity)),
                    400, "lines[0].quantity");
        }
        assertNamed(post("/api/v1/fulfillments", customer.token(), """
                {"pakCode":12345,"sku":"FL-C1111-SEC-K9","udi":"PID:C1111-4P,SN:X","email":"a@example.com"}"""), 400, "pakCode");
        assertNamed(post("/api/v1/rmas", customer.token(), """
                {"failedUdi":true,"replacementUdi":"b","rmaNumber":"c","email":"d"}"""), 400, "failedUdi");
    }

    @Test
    void aNonAsciiIdempotencyKeyIsA400NamingTheHeader() {
        TestAccount customer = newCustomer();
        Pak pak = newPak(customer, new NewLine("FL-C1111-SEC-K9", 5));
        int before = fulfillmentCount();
        byte[] body = fulfillmentJson(pak.code().formatted(), "FL-C1111-SEC-K9", "PID:C1111-4P,SN:" + randomSerial(),
                customer.email(), false).getBytes(StandardCharsets.UTF_8);
        for (String key : List.of("clé-ключ-" + UUID.randomUUID(), "tab\there", "x".repeat(201))) {
            RawHttp.Answer answer = new RawHttp(port).send("POST", "/api/v1/fulfillments", RawHttp.headers(
                    "Authorization", "Bearer " + customer.token(), "Content-Type", "application/json", "Idempotency-Key", key), body);
            assertNamed(new Response(answer.status(), json(answer), null, answer.text()), 400, "Idempotency-Key");
            assertThat(answer.header("Content-Type")).startsWith("application/problem+json");
        }
        assertThat(fulfillmentCount()).isEqualTo(before);
    }

    @Test
    void theErrorPathItselfIsAProblemNotA500() {
        Response response = get("/error", null);
        assertThat(response.status()).isEqualTo(404);
        assertProblem(response);
    }

    @Test
    void anAuditLimitOutOfRangeIsA400NamingLimit() {
        TestAccount operator = newAccount(EnumSet.of(Role.OPERATOR));
        for (String limit : List.of("-1", "0", "1001", "99999999999", "abc")) {
            assertNamed(get("/api/v1/audit?subject=pak:X&limit=" + limit, operator.token()), 400, "limit");
        }
        assertThat(get("/api/v1/audit?subject=pak:X&limit=1000", operator.token()).status()).isEqualTo(200);
    }

    @Test
    void theFirstAnswerCarriesTheSameCreationTimeAsLaterReads() {
        TestAccount customer = newCustomer();
        Pak pak = newPak(customer, new NewLine("FL-C1111-SEC-K9", 5));
        String body = fulfillmentJson(pak.code().formatted(), "FL-C1111-SEC-K9", "PID:C1111-4P,SN:" + randomSerial(),
                customer.email(), false);
        String key = "order-" + UUID.randomUUID();
        Response first = post("/api/v1/fulfillments", customer.token(), body, "Idempotency-Key", key);
        assertThat(first.status()).isEqualTo(202);
        Response replay = post("/api/v1/fulfillments", customer.token(), body, "Idempotency-Key", key);
        Response read = get(first.headers().firstValue("Location").orElseThrow(), customer.token());
        assertThat(first.body().path("createdAt").asText()).isNotEmpty()
                .isEqualTo(replay.body().path("createdAt").asText())
                .isEqualTo(read.body().path("createdAt").asText());
    }

    static void assertProblem(Response response) {
        assertThat(response.raw()).as("problem body").isNotBlank();
        JsonNode body = response.body();
        assertThat(body).as("problem+json body of %s", response.raw()).isNotNull();
        assertThat(body.path("type").asText()).isNotEmpty();
        assertThat(body.path("title").asText()).isNotEmpty();
        assertThat(body.path("status").asInt()).isEqualTo(response.status());
    }

    private static void assertNamed(Response response, int status, String field) {
        assertThat(response.status()).as("status of %s", response.raw()).isEqualTo(status);
        assertProblem(response);
        assertThat(response.body().path("errors").findValuesAsText("field")).as(response.raw()).contains(field);
    }

    private static JsonNode json(RawHttp.Answer answer) {
        try {
            return JSON.readTree(answer.body());
        } catch (Exception e) {
            return null;
        }
    }

    private int fulfillmentCount() {
        return jdbc.queryForObject("select count(*) from fulfillment", Integer.class);
    }
}
