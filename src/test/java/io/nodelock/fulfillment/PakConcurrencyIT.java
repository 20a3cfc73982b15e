package io.nodelock.fulfillment;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.nodelock.pak.Pak;
import io.nodelock.pak.PakService.NewLine;
import io.nodelock.support.ServiceIT;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Units can never be over-consumed: 50 requests racing for a line of 10 units. */
class PakConcurrencyIT extends ServiceIT {

    @Test
    void fiftyConcurrentRequestsForTenUnitsGiveExactlyTenLicenses() throws Exception {
        TestAccount customer = newCustomer();
        Pak pak = newPak(customer, new NewLine("FL-C1111-SEC-K9", 10));
        ExecutorService clients = Executors.newFixedThreadPool(50);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<String>> locations = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            String body = fulfillmentJson(pak.code().formatted(), "FL-C1111-SEC-K9", "PID:C1111-4P,SN:" + randomSerial(),
                    customer.email(), false);
            locations.add(clients.submit(() -> {
                start.await();
                Response accepted = post("/api/v1/fulfillments", customer.token(), body);
                assertThat(accepted.status()).as(accepted.raw()).isEqualTo(202);
                return accepted.headers().firstValue("Location").orElseThrow();
            }));
        }
        start.countDown();
        int issued = 0;
        int exhausted = 0;
        for (Future<String> location : locations) {
            JsonNode outcome = awaitOutcome(location.get(), customer.token());
            if ("ISSUED".equals(outcome.path("status").asText())) {
                issued++;
            } else {
                assertThat(outcome.path("rejection").path("code").asText()).isEqualTo("PAK_EXHAUSTED");
                assertThat(outcome.path("rejection").path("message").asText()).contains("no units");
                exhausted++;
            }
        }
        clients.shutdown();
        assertThat(issued).isEqualTo(10);
        assertThat(exhausted).isEqualTo(40);
        JsonNode line = get("/api/v1/paks/" + pak.code().formatted(), customer.token()).body().path("lines").get(0);
        assertThat(line.path("consumed").asInt()).isEqualTo(10);
        assertThat(line.path("remaining").asInt()).isZero();
        assertThat(jdbc.queryForObject("select count(*) from license l join fulfillment f on f.id = l.issue_id "
                + "where f.pak_code = ?", Integer.class, pak.code().formatted())).isEqualTo(10);
        assertThat(jdbc.queryForObject("select count(*) from pak_redemption r join pak_line p on p.id = r.pak_line_id "
                + "where p.pak_code = ?", Integer.class, pak.code().value())).isEqualTo(10);
    }

    @Test
    void theDatabaseItselfRefusesOverConsumption() {
        TestAccount customer = newCustomer();
        Pak pak = newPak(customer, new NewLine("FL-C1111-SEC-K9", 1));
        long lineId = pak.lines().get(0).id();
        org.assertj.core.api.Assertions.assertThatThrownBy(() ->
                        jdbc.update("update pak_line set consumed = 2 where id = ?", lineId))
                .hasMessageContaining("pak_line_not_overconsumed");
    }
}
