package io.nodelock.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.nodelock.account.Role;
import io.nodelock.support.ServiceIT;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Cursor paging (issue 12, "Done when"): a walk through 2,500 devices, page by page, while new devices keep arriving,
 * shows every device that existed when it started exactly once, in the documented order, and none that came later.
 */
class InventoryPagingIT extends ServiceIT {

    private static final int DEVICES = 2_500;

    @Test
    void walksEveryDeviceOnceWhileNewOnesArrive() {
        TestAccount customer = newCustomer();
        TestAccount neighbour = newCustomer();
        TestAccount operator = newAccount(EnumSet.of(Role.OPERATOR));
        String run = UUID.randomUUID().toString().replace("-", "").substring(0, 6).toUpperCase();
        // Ten devices share each first-seen time: the id breaks the ties, and a page boundary falls inside a tie.
        Instant base = Instant.now().minus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
        List<Object[]> rows = new ArrayList<>();
        List<Expected> expected = new ArrayList<>();
        for (int i = 0; i < DEVICES; i++) {
            String sn = "PG" + run + String.format("%05d", i);
            Instant seen = base.plusSeconds(i / 10);
            rows.add(new Object[] {"PID:C1111-4P,SN:" + sn, "C1111-4P", sn, customer.id(), Timestamp.from(seen)});
            expected.add(new Expected("PID:C1111-4P,SN:" + sn, seen));
        }
        insert(rows);
        expected.sort(Comparator.comparing(Expected::seen).thenComparing(Expected::udi).reversed());

        List<String> walked = walk("/api/v1/devices?limit=200", customer.token(), customer, neighbour, run);
        assertThat(new HashSet<>(walked)).as("no device twice").hasSize(walked.size());
        assertThat(walked).as("every device of the start, in order, and none added later")
                .containsExactlyElementsOf(expected.stream().map(Expected::udi).toList());

        // An operator walking one account's devices sees the same; a fresh walk starts with the devices added since.
        List<String> asOperator = walk("/api/v1/devices?limit=137&accountId=" + customer.id(), operator.token(), customer, neighbour, run);
        assertThat(new HashSet<>(asOperator)).hasSize(asOperator.size());
        assertThat(asOperator).hasSize(DEVICES + 13 * 25).endsWith(expected.stream().map(Expected::udi).toArray(String[]::new));
        assertThat(asOperator.subList(0, 13 * 25)).allMatch(udi -> udi.contains(",SN:PN" + run));
    }

    /** Follows next until the last page, adding 25 devices to the account (and 5 to another) after every page. */
    private List<String> walk(String first, String token, TestAccount owner, TestAccount other, String run) {
        List<String> udis = new ArrayList<>();
        String path = first;
        int pages = 0;
        while (true) {
            Response page = get(path, token);
            assertThat(page.status()).as(page.raw()).isEqualTo(200);
            page.body().path("items").forEach(item -> udis.add(item.path("udi").asText()));
            assertThat(page.body().has("next")).as("next is always written").isTrue();
            JsonNode next = page.body().path("next");
            List<Object[]> arriving = new ArrayList<>();
            for (int i = 0; i < 25; i++) {
                String sn = "PN" + run + UUID.randomUUID().toString().replace("-", "").substring(0, 10).toUpperCase();
                arriving.add(new Object[] {"PID:C1111-4P,SN:" + sn, "C1111-4P", sn, owner.id(), Timestamp.from(Instant.now())});
            }
            for (int i = 0; i < 5; i++) {
                String sn = "PO" + run + UUID.randomUUID().toString().replace("-", "").substring(0, 10).toUpperCase();
                arriving.add(new Object[] {"PID:C1111-4P,SN:" + sn, "C1111-4P", sn, other.id(), Timestamp.from(Instant.now())});
            }
            insert(arriving);
            pages++;
            if (next.isNull()) {
                break;
            }
            assertThat(pages).as("pages").isLessThan(100);
            path = first + "&cursor=" + URLEncoder.encode(next.asText(), StandardCharsets.UTF_8);
        }
        return udis;
    }

    private void insert(List<Object[]> rows) {
        jdbc.batchUpdate("insert into device (udi, product_id, serial_number, account_id, first_seen_at) values (?, ?, ?, ?, ?)", rows);
    }

    private record Expected(String udi, Instant seen) {
    }
}
