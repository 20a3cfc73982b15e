package io.nodelock.fulfillment;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.nodelock.account.Role;
import io.nodelock.pak.Pak;
import io.nodelock.pak.PakService.NewLine;
import io.nodelock.support.ServiceIT;
import java.util.EnumSet;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The REST contract: authentication, problem details for bad input, idempotent submission, PAK administration. */
class FulfillmentApiIT extends ServiceIT {

    @Test
    void badFieldsGetOneMessageEachAndNothingIsStored() {
        TestAccount customer = newCustomer();
        int before = count();
        Response response = post("/api/v1/fulfillments", customer.token(),
                fulfillmentJson("DEM0-C111-1000-0016", "NO-SUCH-SKU", "pid:c1111-4p,sn:abc", "not-an-address", false));
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).contains("application/problem+json");
        assertThat(response.body().path("type").asText()).endsWith("/invalid-request");
        JsonNode errors = response.body().path("errors");
        assertThat(errors.findValuesAsText("field")).containsExactlyInAnyOrder("pakCode", "udi", "sku", "email");
        assertThat(errors.toString()).contains("check character").contains("upper case");
        assertThat(count()).isEqualTo(before);
    }

    @Test
    void evaluationSkuNeedsTheEula() {
        TestAccount customer = newCustomer();
        Pak pak = newPak(customer, new NewLine("EVAL-ISR4300-SEC", 1));
        Response response = post("/api/v1/fulfillments", customer.token(),
                fulfillmentJson(pak.code().formatted(), "EVAL-ISR4300-SEC", "PID:ISR4331/K9,SN:" + randomSerial(), customer.email(), false));
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.body().path("errors").get(0).path("field").asText()).isEqualTo("eulaAccepted");
    }

    @Test
    void malformedOrMistypedBodiesAreProblemsNot500() {
        TestAccount customer = newCustomer();
        Response broken = post("/api/v1/fulfillments", customer.token(), "{\"pakCode\": ");
        assertThat(broken.status()).isEqualTo(400);
        assertThat(broken.body().path("type").asText()).endsWith("/malformed-body");
        Response wrongType = post("/api/v1/fulfillments", customer.token(), "{\"pakCode\": [1], \"eulaAccepted\": \"maybe\"}");
        assertThat(wrongType.status()).isEqualTo(400);
        Response empty = post("/api/v1/fulfillments", customer.token(), "{}");
        assertThat(empty.status()).isEqualTo(400);
        assertThat(empty.body().path("errors").size()).isGreaterThanOrEqualTo(4);
        Response notJson = post("/api/v1/fulfillments", customer.token(), "pak=1");
        assertThat(notJson.status()).isEqualTo(400);
        assertThat(get("/api/v1/fulfillments/not-a-uuid", customer.token()).status()).isEqualTo(404);
        assertThat(get("/api/v1/fulfillments/" + UUID.randomUUID(), customer.token()).status()).isEqualTo(404);
        assertThat(get("/api/v1/paks/%25%25", customer.token()).status()).isEqualTo(400);
        assertThat(get("/api/v1/paks/AAAA", customer.token()).body().path("type").asText()).endsWith("/invalid-pak");
    }

    @Test
    void theApiNeedsAValidToken() {
        Response none = post("/api/v1/fulfillments", null, "{}");
        assertThat(none.status()).isEqualTo(401);
        assertThat(none.headers().firstValue("WWW-Authenticate").orElse("")).startsWith("Bearer");
        assertThat(none.body().path("title").asText()).isEqualTo("Unauthenticated");
        assertThat(get("/api/v1/paks/DEM0-C111-1000-0015", "nlk_forged").status()).isEqualTo(401);
        assertThat(get("/api/v1/keys", null).status()).isEqualTo(200);
    }

    @Test
    void retryWithTheSameIdempotencyKeyReturnsTheFirstFulfillment() {
        TestAccount customer = newCustomer();
        Pak pak = newPak(customer, new NewLine("FL-C1111-SEC-K9", 5));
        String body = fulfillmentJson(pak.code().formatted(), "FL-C1111-SEC-K9", "PID:C1111-4P,SN:" + randomSerial(), customer.email(), false);
        String key = "order-" + UUID.randomUUID();
        Response first = post("/api/v1/fulfillments", customer.token(), body, "Idempotency-Key", key);
        Response retry = post("/api/v1/fulfillments", customer.token(), body, "Idempotency-Key", key);
        assertThat(first.status()).isEqualTo(202);
        assertThat(retry.status()).isEqualTo(202);
        assertThat(retry.body().path("id").asText()).isEqualTo(first.body().path("id").asText());
        assertThat(retry.headers().firstValue("Idempotent-Replayed")).contains("true");
        awaitMailSent(first.headers().firstValue("Location").orElseThrow(), customer.token());
        assertThat(get("/api/v1/paks/" + pak.code().formatted(), customer.token()).body().path("lines").get(0)
                .path("consumed").asInt()).isEqualTo(1);

        String other = fulfillmentJson(pak.code().formatted(), "FL-C1111-SEC-K9", "PID:C1111-4P,SN:" + randomSerial(), customer.email(), false);
        Response reused = post("/api/v1/fulfillments", customer.token(), other, "Idempotency-Key", key);
        assertThat(reused.status()).isEqualTo(422);
        assertThat(reused.body().path("type").asText()).endsWith("/idempotency-key-reused");
    }

    @Test
    void operatorsCreatePaksAndCustomersCannot() {
        TestAccount operator = newAccount(EnumSet.of(Role.OPERATOR));
        TestAccount customer = newCustomer();
        String request = """
                {"accountId":"%s","lines":[{"sku":"FL-C1111-SEC-K9","quantity":20},{"sku":"LIC-CT5520-25A","quantity":2}]}"""
                .formatted(customer.id());
        Response denied = post("/api/v1/paks", customer.token(), request);
        assertThat(denied.status()).isEqualTo(403);

        Response created = post("/api/v1/paks", operator.token(), request);
        assertThat(created.status()).isEqualTo(201);
        String code = created.body().path("code").asText();
        assertThat(created.headers().firstValue("Location").orElseThrow()).endsWith(code);
        JsonNode view = get("/api/v1/paks/" + code.toLowerCase(), customer.token()).body();
        assertThat(view.path("lines").get(0).path("remaining").asInt()).isEqualTo(20);
        assertThat(view.path("lines").get(1).path("sku").asText()).isEqualTo("LIC-CT5520-25A");

        Response bad = post("/api/v1/paks", operator.token(), """
                {"accountId":"%s","lines":[{"sku":"NOPE","quantity":0}]}""".formatted(customer.id()));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.body().path("errors").findValuesAsText("field")).contains("lines[0].sku", "lines[0].quantity");
        Response nullLine = post("/api/v1/paks", operator.token(), """
                {"accountId":"%s","lines":[null]}""".formatted(customer.id()));
        assertThat(nullLine.status()).isEqualTo(400);
        Response noAccount = post("/api/v1/paks", operator.token(), """
                {"accountId":"nobody-here","lines":[{"sku":"FL-C1111-SEC-K9","quantity":1}]}""");
        assertThat(noAccount.status()).isEqualTo(400);
    }

    @Test
    void openApiDescriptionIsServed() {
        Response docs = get("/v3/api-docs", null);
        assertThat(docs.status()).isEqualTo(200);
        assertThat(docs.raw()).contains("/api/v1/fulfillments").contains("/api/v1/paks/{code}");
    }

    private int count() {
        return jdbc.queryForObject("select count(*) from fulfillment", Integer.class);
    }
}
