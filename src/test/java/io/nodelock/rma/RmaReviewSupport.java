package io.nodelock.rma;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.nodelock.account.EngineIdentity;
import io.nodelock.account.Role;
import io.nodelock.pak.Pak;
import io.nodelock.pak.PakService.NewLine;
import io.nodelock.support.ServiceIT;
import java.time.Duration;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * What the Tasklist tests of the RMA review start from: an RMA that policy sent to TAC (its failed device was itself
 * a recent replacement), and staff members with engine identities, made through the customer API and
 * {@link EngineIdentity} as in production.
 */
abstract class RmaReviewSupport extends ServiceIT {

    static final String REVIEW_TASK = "Review RMA";

    @Autowired
    EngineIdentity engineIdentity;

    /** An RMA in review, as its customer sees it. */
    record RmaInReview(TestAccount customer, String id, String location, String number, String failedUdi) {
    }

    /** A customer's device licensed, replaced by RMA, and the replacement failing at once: IN_REVIEW. */
    RmaInReview rmaInReview() {
        TestAccount customer = newCustomer();
        Pak pak = newPak(customer, new NewLine("FL-C1111-SEC-K9", 1));
        String first = "PID:C1111-4P,SN:" + randomSerial();
        String second = "PID:C1111-4P,SN:" + randomSerial();
        Response fulfillment = post("/api/v1/fulfillments", customer.token(),
                fulfillmentJson(pak.code().formatted(), "FL-C1111-SEC-K9", first, customer.email(), false));
        assertThat(awaitOutcome(fulfillment.headers().firstValue("Location").orElseThrow(), customer.token())
                .path("status").asText()).isEqualTo("ISSUED");
        awaitStatus(submitRma(customer, first, second, "RMA-A" + randomSerial()), customer, "ISSUED");

        String number = "RMA-B" + randomSerial();
        String location = submitRma(customer, second, "PID:C1111-4P,SN:" + randomSerial(), number);
        JsonNode inReview = awaitStatus(location, customer, "IN_REVIEW");
        return new RmaInReview(customer, inReview.path("id").asText(), location, number, second);
    }

    /** An engine user (Tasklist sign-in) in the engine group of this staff role. */
    void staffUser(String id, String password, String firstName, String lastName, Role role) {
        engineIdentity.ensureUser(id, password, firstName, lastName, role.engineGroup());
    }

    String baseUrl() {
        return "http://localhost:" + port;
    }

    /** The RMA as its customer's API shows it now. */
    JsonNode customerView(RmaInReview rma) {
        Response response = get(rma.location(), rma.customer().token());
        assertThat(response.status()).as(response.raw()).isEqualTo(200);
        return response.body();
    }

    /** Polls the customer's API until the RMA shows this status (30 s at most). */
    JsonNode awaitStatus(RmaInReview rma, String status) {
        return awaitStatus(rma.location(), rma.customer(), status);
    }

    private JsonNode awaitStatus(String location, TestAccount customer, String status) {
        JsonNode[] last = new JsonNode[1];
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            last[0] = get(location, customer.token()).body();
            assertThat(last[0].path("status").asText()).as("status of RMA %s: %s", location, last[0]).isEqualTo(status);
        });
        return last[0];
    }

    private String submitRma(TestAccount customer, String failed, String replacement, String number) {
        ship(customer, replacement);
        Response accepted = post("/api/v1/rmas", customer.token(), """
                {"failedUdi":"%s","replacementUdi":"%s","rmaNumber":"%s","email":"%s"}"""
                .formatted(failed, replacement, number, customer.email()));
        assertThat(accepted.status()).as(accepted.raw()).isEqualTo(202);
        return accepted.headers().firstValue("Location").orElseThrow();
    }
}
