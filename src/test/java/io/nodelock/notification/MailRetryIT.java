package io.nodelock.notification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.MeterRegistry;
import io.nodelock.account.Role;
import io.nodelock.audit.AuditEvent;
import io.nodelock.audit.AuditLog;
import io.nodelock.pak.Pak;
import io.nodelock.pak.PakService.NewLine;
import io.nodelock.support.ServiceIT;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * A license mail that cannot be delivered however often it is tried ends FAILED, where everyone who looks sees it: the
 * fulfillment's status, the operators' list, the metrics and the audit trail. Once the relay is back an operator's
 * retry delivers it.
 */
class MailRetryIT extends ServiceIT {

    @Autowired
    MeterRegistry meters;
    @Autowired
    AuditLog audit;

    @Test
    void aMailThatAlwaysFailsEndsFailedAndVisibleAndAnOperatorsRetryDeliversIt() throws Exception {
        TestAccount customer = newCustomer();
        String operator = newAccount(EnumSet.of(Role.OPERATOR)).token();
        Pak pak = newPak(customer, new NewLine("FL-C1111-SEC-K9", 1));
        String udi = "PID:C1111-4P,SN:" + randomSerial();
        double failedBefore = failedCount();

        String location;
        String operation;
        SMTP.stop();
        try {
            Response accepted = post("/api/v1/fulfillments", customer.token(),
                    fulfillmentJson(pak.code().formatted(), "FL-C1111-SEC-K9", udi, customer.email(), false));
            assertThat(accepted.status()).isEqualTo(202);
            location = accepted.headers().firstValue("Location").orElseThrow();
            String id = location.substring(location.lastIndexOf('/') + 1);
            operation = "license-mail:" + id;
            await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.queryForObject(
                    "select count(*) from mail_outbox where operation_id = ? and attempts >= 2", Integer.class, operation) == 1);
            // Every attempt fails while the relay is down; queued four days ago, past the give-up age of three days, the
            // next failure is its last.
            jdbc.update("update mail_outbox set created_at = created_at - interval '4 days' where operation_id = ?", operation);
            await().atMost(Duration.ofSeconds(30)).until(() -> "FAILED".equals(get(location, customer.token()).body()
                    .path("mail").path("status").asText()));

            JsonNode status = get(location, customer.token()).body();
            assertThat(status.path("status").asText()).isEqualTo("ISSUED");
            assertThat(status.path("mail").path("lastError").asText()).isNotBlank();
            assertThat(failedCount()).isEqualTo(failedBefore + 1);
            assertThat(audit.forSubject("fulfillment:" + id, 50)).extracting(AuditEvent::action).contains("mail.failed");

            Response failed = get("/api/v1/mails/failed", operator);
            assertThat(failed.status()).isEqualTo(200);
            JsonNode listed = find(failed.body(), operation);
            assertThat(listed).as("the operators' list of failed mails names %s: %s", operation, failed.raw()).isNotNull();
            assertThat(listed.path("auditSubject").asText()).isEqualTo("fulfillment:" + id);
            assertThat(listed.path("recipient").asText()).isEqualTo(customer.email());
            assertThat(get("/api/v1/mails/failed", customer.token()).status()).isEqualTo(403);

            // Parked means parked, relay or not, until someone retries it.
            await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() ->
                    "FAILED".equals(get(location, customer.token()).body().path("mail").path("status").asText()));
        } finally {
            SMTP.start();
        }
        assertThat(post("/api/v1/mails/" + operation + "/retry", customer.token(), "").status()).isEqualTo(403);
        Response retried = post("/api/v1/mails/" + operation + "/retry", operator, "");
        assertThat(retried.status()).as(retried.raw()).isEqualTo(202);
        JsonNode sent = awaitMailSent(location, customer.token());
        assertThat(sent.path("mail").path("attempts").asInt()).isGreaterThanOrEqualTo(3);
        assertThat(Arrays.stream(SMTP.getReceivedMessages()).filter(m -> {
            try {
                return m.getAllRecipients()[0].toString().equals(customer.email());
            } catch (Exception e) {
                return false;
            }
        })).hasSize(1);
        String id = location.substring(location.lastIndexOf('/') + 1);
        assertThat(audit.forSubject("fulfillment:" + id, 50)).extracting(AuditEvent::action).containsSubsequence("mail.failed",
                "mail.retried", "mail.sent");
        assertThat(find(get("/api/v1/mails/failed", operator).body(), operation)).isNull();

        Response again = post("/api/v1/mails/" + operation + "/retry", operator, "");
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
        assertThat(post("/api/v1/mails/license-mail:unknown/retry", operator, "").status()).isEqualTo(404);
    }

    private double failedCount() {
        var counter = meters.find("nodelock.mail").tag("result", "failed").counter();
        return counter == null ? 0 : counter.count();
    }

    private static JsonNode find(JsonNode list, String operation) {
        for (JsonNode mail : list) {
            if (operation.equals(mail.path("operationId").asText())) {
                return mail;
            }
        }
        return null;
    }
}
