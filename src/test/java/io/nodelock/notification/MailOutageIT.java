package io.nodelock.notification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.nodelock.pak.Pak;
import io.nodelock.pak.PakService.NewLine;
import io.nodelock.support.ServiceIT;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** An SMTP outage delays the license mail but loses none: the outbox retries with backoff until the server is back. */
class MailOutageIT extends ServiceIT {

    @Test
    void licenseMailIsDeliveredAfterTheSmtpServerComesBack() throws Exception {
        TestAccount customer = newCustomer();
        Pak pak = newPak(customer, new NewLine("FL-C1111-SEC-K9", 1));
        SMTP.stop();
        String location;
        try {
            Response accepted = post("/api/v1/fulfillments", customer.token(), fulfillmentJson(pak.code().formatted(),
                    "FL-C1111-SEC-K9", "PID:C1111-4P,SN:" + randomSerial(), customer.email(), false));
            location = accepted.headers().firstValue("Location").orElseThrow();
            // The license is issued regardless; its mail keeps failing while SMTP is down.
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                JsonNode view = get(location, customer.token()).body();
                return "ISSUED".equals(view.path("status").asText()) && view.path("mail").path("attempts").asInt() >= 2;
            });
            JsonNode during = get(location, customer.token()).body();
            assertThat(during.path("mail").path("status").asText()).isEqualTo("PENDING");
            assertThat(during.path("mail").path("lastError").asText()).isNotBlank();
        } finally {
            SMTP.start();
        }
        JsonNode after = awaitMailSent(location, customer.token());
        assertThat(after.path("mail").path("attempts").asInt()).isGreaterThanOrEqualTo(3);
        long delivered = Arrays.stream(SMTP.getReceivedMessages()).filter(m -> {
            try {
                return Arrays.stream(m.getAllRecipients()).anyMatch(a -> a.toString().equals(customer.email()));
            } catch (Exception e) {
                return false;
            }
        }).count();
        assertThat(delivered).isEqualTo(1);
    }
}
