package io.nodelock.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.nodelock.account.Role;
import io.nodelock.pak.Pak;
import io.nodelock.pak.PakService.NewLine;
import io.nodelock.support.ServiceIT;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The inventory API on PostgreSQL with licenses issued by the real fulfillment flow: every filter, refusals of bad
 * filters, cursors and limits, conditional GET, and who sees what (a customer its own account, an operator all).
 */
class InventoryApiIT extends ServiceIT {

    private TestAccount customer;
    private TestAccount other;
    private TestAccount operator;
    private Pak pak;
    private String isr;
    private String c1111;
    private String foreign;
    private Map<String, String> licenseOf;

    /** The customer: an ISR with a permanent, an evaluation and a subscription license, a C1111 with a permanent one. */
    @BeforeEach
    void holdings() {
        customer = newCustomer();
        other = newCustomer();
        operator = newAccount(EnumSet.of(Role.OPERATOR));
        pak = newPak(customer, new NewLine("FL-ISR4300-SEC-K9", 2), new NewLine("EVAL-ISR4300-SEC", 1),
                new NewLine("SUB-ISR4300-AES-1Y", 1), new NewLine("FL-C1111-SEC-K9", 1));
        isr = "PID:ISR4331/K9,SN:" + randomSerial();
        c1111 = "PID:C1111-4P,SN:" + randomSerial();
        licenseOf = Map.of("perm", issueLicenses(customer, pak, "FL-ISR4300-SEC-K9", isr).get(0),
                "eval", issueLicenses(customer, pak, "EVAL-ISR4300-SEC", isr).get(0),
                "sub", issueLicenses(customer, pak, "SUB-ISR4300-AES-1Y", isr).get(0),
                "c1111", issueLicenses(customer, pak, "FL-C1111-SEC-K9", c1111).get(0));
        Pak otherPak = newPak(other, new NewLine("FL-C1111-SEC-K9", 1));
        foreign = "PID:C1111-4P,SN:" + randomSerial();
        issueLicenses(other, otherPak, "FL-C1111-SEC-K9", foreign);
    }

    @Test
    void licensesAreFilteredByStatusFeatureSkuTypeUdiAndExpiry() {
        JsonNode all = list("/api/v1/licenses", customer);
        assertThat(ids(all)).containsExactlyInAnyOrderElementsOf(licenseOf.values());
        assertNewestFirst(all, "issuedAt", "id");
        JsonNode sub = item(all, licenseOf.get("sub"));
        assertThat(sub.path("type").asText()).isEqualTo("subscription");
        assertThat(sub.path("sku").asText()).isEqualTo("SUB-ISR4300-AES-1Y");
        assertThat(sub.path("feature").asText()).isEqualTo("adventerprise");
        assertThat(sub.path("udi").asText()).isEqualTo(isr);
        assertThat(sub.path("accountId").asText()).isEqualTo(customer.id());
        assertThat(sub.path("status").asText()).isEqualTo("ACTIVE");
        Instant expires = Instant.parse(sub.path("expiresAt").asText());
        assertThat(Duration.between(Instant.parse(sub.path("issuedAt").asText()), expires)).isEqualTo(Duration.ofDays(365));
        // Only a subscription has an end date the service knows.
        assertThat(item(all, licenseOf.get("perm")).has("expiresAt")).isFalse();
        assertThat(item(all, licenseOf.get("eval")).has("expiresAt")).isFalse();
        assertThat(item(all, licenseOf.get("eval")).path("type").asText()).isEqualTo("evaluation");

        assertThat(ids(list("/api/v1/licenses?type=subscription", customer))).containsExactly(licenseOf.get("sub"));
        assertThat(ids(list("/api/v1/licenses?type=permanent", customer))).containsExactlyInAnyOrder(licenseOf.get("perm"), licenseOf.get("c1111"));
        assertThat(ids(list("/api/v1/licenses?type=evaluation,subscription", customer))).containsExactlyInAnyOrder(licenseOf.get("eval"), licenseOf.get("sub"));
        assertThat(ids(list("/api/v1/licenses?feature=securityk9", customer))).containsExactlyInAnyOrder(licenseOf.get("perm"),
                licenseOf.get("eval"), licenseOf.get("c1111"));
        assertThat(ids(list("/api/v1/licenses?sku=FL-ISR4300-SEC-K9", customer))).containsExactly(licenseOf.get("perm"));
        assertThat(ids(list("/api/v1/licenses?udiPrefix=ISR4331~K9", customer))).hasSize(3);
        assertThat(ids(list("/api/v1/licenses?udiPrefix=" + enc("PID:C1111-4P"), customer))).containsExactly(licenseOf.get("c1111"));
        assertThat(ids(list("/api/v1/licenses?udiPrefix=" + enc(c1111.substring("PID:".length(), c1111.length() - 3).replace(",SN:", "_")),
                customer))).containsExactly(licenseOf.get("c1111"));
        Instant now = Instant.now();
        assertThat(ids(list("/api/v1/licenses?expiresAfter=" + enc(now.plus(Duration.ofDays(300)).toString()) + "&expiresBefore="
                + LocalDate.now(ZoneOffset.UTC).plusDays(400), customer))).containsExactly(licenseOf.get("sub"));
        assertThat(ids(list("/api/v1/licenses?expiresBefore=" + enc(now.plus(Duration.ofDays(300)).toString()), customer))).isEmpty();
        assertThat(ids(list("/api/v1/licenses?status=ACTIVE", customer))).hasSize(4);
        assertThat(ids(list("/api/v1/licenses?issuedFrom=" + enc(now.minus(Duration.ofHours(1)).toString()) + "&issuedTo="
                + LocalDate.now(ZoneOffset.UTC).plusDays(1), customer))).containsExactlyInAnyOrderElementsOf(licenseOf.values());
        assertThat(ids(list("/api/v1/licenses?issuedFrom=" + LocalDate.now(ZoneOffset.UTC).plusDays(1), customer))).isEmpty();
        assertThat(ids(list("/api/v1/licenses?issuedTo=" + enc(now.minus(Duration.ofHours(1)).toString()), customer))).isEmpty();
        assertThat(ids(list("/api/v1/licenses?status=revoked,replaced", customer))).isEmpty();

        // An operator sees every account's, or one account's.
        assertThat(ids(list("/api/v1/licenses?accountId=" + customer.id(), operator))).containsExactlyInAnyOrderElementsOf(licenseOf.values());
        assertThat(list("/api/v1/licenses?udiPrefix=" + enc(foreign), operator).path("items")).hasSize(1);
        assertThat(list("/api/v1/licenses?udiPrefix=" + enc(foreign), customer).path("items")).isEmpty();
    }

    @Test
    void devicesAreFilteredByUdiProductFeatureAndLock() {
        JsonNode all = list("/api/v1/devices", customer);
        assertThat(udis(all)).containsExactlyInAnyOrder(isr, c1111);
        JsonNode isrItem = byUdi(all, isr);
        assertThat(isrItem.path("productId").asText()).isEqualTo("ISR4331/K9");
        assertThat(isrItem.path("serialNumber").asText()).isEqualTo(isr.substring(isr.indexOf(",SN:") + 4));
        assertThat(isrItem.path("licenseCount").asInt()).isEqualTo(3);
        assertThat(isrItem.path("activeLicenses").asInt()).isEqualTo(3);
        assertThat(isrItem.path("locked").asBoolean()).isFalse();
        assertThat(isrItem.path("certified").asBoolean()).isFalse();
        assertThat(isrItem.path("accountId").asText()).isEqualTo(customer.id());
        assertThat(isrItem.path("self").asText()).isEqualTo("/api/v1/devices/ISR4331~K9_" + isr.substring(isr.indexOf(",SN:") + 4));

        assertThat(udis(list("/api/v1/devices?product=" + enc("ISR4331/K9"), customer))).containsExactly(isr);
        assertThat(udis(list("/api/v1/devices?feature=adventerprise", customer))).containsExactly(isr);
        assertThat(udis(list("/api/v1/devices?feature=securityk9", customer))).containsExactlyInAnyOrder(isr, c1111);
        assertThat(udis(list("/api/v1/devices?udiPrefix=" + enc(c1111), customer))).containsExactly(c1111);
        assertThat(udis(list("/api/v1/devices?udiPrefix=C1111-4P", customer))).containsExactly(c1111);
        assertThat(udis(list("/api/v1/devices?locked=true", customer))).isEmpty();
        devices.lock(io.nodelock.licensefile.Udi.parse(c1111), "test lock");
        JsonNode locked = list("/api/v1/devices?locked=true", customer);
        assertThat(udis(locked)).containsExactly(c1111);
        assertThat(locked.path("items").path(0).path("lockedReason").asText()).isEqualTo("test lock");
        assertThat(udis(list("/api/v1/devices?locked=false", customer))).containsExactly(isr);

        assertThat(udis(list("/api/v1/devices?accountId=" + other.id(), operator))).containsExactly(foreign);
        assertThat(udis(list("/api/v1/devices?udiPrefix=" + enc(foreign), customer))).isEmpty();
    }

    @Test
    void paksAreFilteredByCodeSkuAndUnitsLeft() {
        JsonNode all = list("/api/v1/paks", customer);
        assertThat(all.path("items")).hasSize(1);
        JsonNode item = all.path("items").path(0);
        assertThat(item.path("code").asText()).isEqualTo(pak.code().formatted());
        assertThat(item.path("accountId").asText()).isEqualTo(customer.id());
        assertThat(item.path("unitsLeft").asInt()).isEqualTo(1);
        assertThat(item.path("self").asText()).isEqualTo("/api/v1/paks/" + pak.code().formatted());
        List<String> lines = new ArrayList<>();
        item.path("lines").forEach(l -> lines.add(l.path("sku").asText() + " " + l.path("quantity").asInt() + "/" + l.path("consumed").asInt()
                + "/" + l.path("remaining").asInt()));
        assertThat(lines).containsExactly("FL-ISR4300-SEC-K9 2/1/1", "EVAL-ISR4300-SEC 1/1/0", "SUB-ISR4300-AES-1Y 1/1/0",
                "FL-C1111-SEC-K9 1/1/0");

        String typed = pak.code().formatted().substring(0, 6).toLowerCase().replace('0', 'o');
        assertThat(codes(list("/api/v1/paks?q=" + enc(typed), customer))).containsExactly(pak.code().formatted());
        assertThat(codes(list("/api/v1/paks?sku=SUB-ISR4300-AES-1Y", customer))).containsExactly(pak.code().formatted());
        assertThat(codes(list("/api/v1/paks?sku=FL-C8300-SEC-K9", customer))).isEmpty();
        assertThat(codes(list("/api/v1/paks?hasUnitsLeft=true", customer))).containsExactly(pak.code().formatted());
        assertThat(codes(list("/api/v1/paks?hasUnitsLeft=false", customer))).isEmpty();
        assertThat(codes(list("/api/v1/paks?sku=SUB-ISR4300-AES-1Y&hasUnitsLeft=false", customer))).containsExactly(pak.code().formatted());
        assertThat(codes(list("/api/v1/paks?sku=SUB-ISR4300-AES-1Y&hasUnitsLeft=true", customer))).isEmpty();
        // The other account's PAK is used up; the customer never sees it.
        assertThat(codes(list("/api/v1/paks?hasUnitsLeft=false&accountId=" + other.id(), operator))).hasSize(1);
        // The existing look-up of one PAK still answers.
        assertThat(get("/api/v1/paks/" + pak.code().formatted(), customer.token()).status()).isEqualTo(200);
    }

    @Test
    void requestsOfEveryFlowAreListedAloneAndTogether() {
        JsonNode fulfillments = list("/api/v1/fulfillments", customer);
        assertThat(fulfillments.path("items")).hasSize(4);
        assertNewestFirst(fulfillments, "createdAt", "id");
        JsonNode f = fulfillments.path("items").path(0);
        assertThat(f.path("status").asText()).isEqualTo("ISSUED");
        assertThat(f.path("pakCode").asText()).isEqualTo(pak.code().formatted());
        assertThat(f.path("self").asText()).isEqualTo("/api/v1/fulfillments/" + f.path("id").asText());
        assertThat(f.has("completedAt")).isTrue();
        assertThat(get(f.path("self").asText(), customer.token()).status()).isEqualTo(200);
        assertThat(list("/api/v1/fulfillments?status=REJECTED", customer).path("items")).isEmpty();
        assertThat(list("/api/v1/fulfillments?status=ISSUED&udiPrefix=" + enc(isr), customer).path("items")).hasSize(3);
        assertThat(list("/api/v1/fulfillments?createdFrom=" + LocalDate.now(ZoneOffset.UTC).plusDays(1), customer).path("items")).isEmpty();
        assertThat(list("/api/v1/fulfillments?createdTo=" + LocalDate.now(ZoneOffset.UTC).plusDays(1) + "&createdFrom="
                + LocalDate.now(ZoneOffset.UTC).minusDays(1), customer).path("items")).hasSize(4);
        for (String flow : List.of("rmas", "rehosts", "extensions", "resends")) {
            assertThat(list("/api/v1/" + flow, customer).path("items")).as(flow).isEmpty();
        }

        JsonNode union = list("/api/v1/requests", customer);
        assertThat(union.path("items")).hasSize(4);
        JsonNode r = union.path("items").path(0);
        assertThat(r.path("kind").asText()).isEqualTo("fulfillment");
        assertThat(r.path("summary").asText()).startsWith("SKU ").contains(pak.code().formatted());
        assertThat(r.path("self").asText()).isEqualTo("/api/v1/fulfillments/" + r.path("id").asText());
        assertThat(list("/api/v1/requests?kind=rma,resend", customer).path("items")).isEmpty();
        assertThat(list("/api/v1/requests?kind=fulfillment&status=issued&udiPrefix=" + enc(c1111), customer).path("items")).hasSize(1);
        // AWAITING_TAC is an extension's status only: the other flows are left out, not refused.
        assertThat(list("/api/v1/requests?status=AWAITING_TAC", customer).path("items")).isEmpty();

        // Paged through with limit 1: the same four, no repeat.
        List<String> walked = new ArrayList<>();
        String path = "/api/v1/requests?limit=1";
        for (int i = 0; i < 10 && path != null; i++) {
            JsonNode page = list(path, customer);
            page.path("items").forEach(item -> walked.add(item.path("id").asText()));
            path = page.path("next").isNull() ? null : "/api/v1/requests?limit=1&cursor=" + enc(page.path("next").asText());
        }
        List<String> all = new ArrayList<>();
        union.path("items").forEach(item -> all.add(item.path("id").asText()));
        assertThat(walked).containsExactlyElementsOf(all);
    }

    @Test
    void badFiltersCursorsAndLimitsAreRefusedNamingTheParameter() {
        assertInvalid("/api/v1/devices?limit=0", "limit");
        assertInvalid("/api/v1/devices?limit=201", "limit");
        assertInvalid("/api/v1/devices?limit=abc", "limit");
        assertInvalid("/api/v1/devices?cursor=garbage!", "cursor");
        assertInvalid("/api/v1/devices?cursor=" + enc(new Keyset(Instant.now(), "x").encode("licenses")), "cursor");
        assertInvalid("/api/v1/fulfillments?cursor=" + enc(new Keyset(Instant.now(), "not-a-uuid").encode("fulfillments")), "cursor");
        assertInvalid("/api/v1/devices?locked=yes", "locked");
        assertInvalid("/api/v1/devices?stauts=ACTIVE", "stauts");
        assertInvalid("/api/v1/devices?product=a&product=b", "product");
        assertInvalid("/api/v1/devices?udiPrefix=pid:c1111", "udiPrefix");
        assertInvalid("/api/v1/licenses?status=GONE", "status");
        assertInvalid("/api/v1/licenses?type=perpetual", "type");
        assertInvalid("/api/v1/licenses?expiresBefore=next-week", "expiresBefore");
        assertInvalid("/api/v1/licenses?expiresAfter=2027-01-02&expiresBefore=2027-01-01", "expiresBefore");
        assertInvalid("/api/v1/licenses?issuedFrom=2027-01-01&issuedTo=2027-01-01", "issuedTo");
        assertInvalid("/api/v1/paks?q=U", "q");
        assertInvalid("/api/v1/paks?hasUnitsLeft=1", "hasUnitsLeft");
        assertInvalid("/api/v1/requests?kind=order", "kind");
        assertInvalid("/api/v1/rmas?status=AWAITING_TAC", "status");
        assertInvalid("/api/v1/resends?createdFrom=yesterday", "createdFrom");
        assertInvalid("/api/v1/devices/not-a-udi", "udi");

        // A customer names only its own account; an operator any.
        Response foreignAccount = get("/api/v1/devices?accountId=" + other.id(), customer.token());
        assertThat(foreignAccount.status()).isEqualTo(403);
        assertThat(foreignAccount.body().path("type").asText()).endsWith("/forbidden");
        assertThat(get("/api/v1/devices?accountId=no-such-account", customer.token()).status()).isEqualTo(403);
        assertThat(get("/api/v1/devices?accountId=" + customer.id(), customer.token()).status()).isEqualTo(200);
        assertThat(get("/api/v1/accounts", customer.token()).status()).isEqualTo(403);
        assertThat(get("/api/v1/devices", null).status()).isEqualTo(401);
    }

    @Test
    void aCustomerSeesOnlyItsOwnAccountAndAnOperatorSeesAll() {
        for (String path : List.of("/api/v1/devices", "/api/v1/licenses", "/api/v1/paks", "/api/v1/fulfillments", "/api/v1/requests")) {
            JsonNode page = list(path + "?limit=200", customer);
            assertThat(page.path("items")).as(path).isNotEmpty();
            page.path("items").forEach(i -> assertThat(i.path("accountId").asText()).as(path).isEqualTo(customer.id()));
        }
        String foreignPath = "/api/v1/devices/" + foreign.substring(4).replace(",SN:", "_");
        Response hidden = get(foreignPath, customer.token());
        Response unknown = get("/api/v1/devices/C1111-4P_NEVERSEEN1", customer.token());
        assertThat(hidden.status()).isEqualTo(404);
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(hidden.body().path("detail").asText().replace(foreign, "X"))
                .isEqualTo(unknown.body().path("detail").asText().replace("PID:C1111-4P,SN:NEVERSEEN1", "X"));
        assertThat(get(foreignPath, operator.token()).status()).isEqualTo(200);

        // The device by its UDI, URL-encoded (a PID's / written ~: an encoded / is refused before the service sees it), and
        // by its path form.
        assertThat(get("/api/v1/devices/" + enc(isr), customer.token()).status()).isEqualTo(400);
        Response own = get("/api/v1/devices/" + enc(isr.replace('/', '~')), customer.token());
        assertThat(own.status()).as(own.raw()).isEqualTo(200);
        assertThat(own.body().path("udi").asText()).isEqualTo(isr);
        assertThat(own.body().path("licenses")).hasSize(3);
        assertThat(get("/api/v1/devices/" + enc(isr.replace('/', '~') + ",VID:V01"), customer.token()).body().path("udi").asText()).isEqualTo(isr);
        assertThat(get(byUdi(list("/api/v1/devices", customer), isr).path("self").asText(), customer.token()).body()).isEqualTo(own.body());

        JsonNode accounts = list("/api/v1/accounts?limit=200", operator);
        List<String> ids = new ArrayList<>();
        accounts.path("items").forEach(a -> ids.add(a.path("id").asText()));
        assertThat(ids).contains(customer.id(), other.id(), operator.id());
        assertNewestFirst(accounts, "createdAt", "id");
        assertThat(accounts.path("items").path(0).has("email")).isTrue();
    }

    @Test
    void answersCarryAWeakETagAndAnUnchangedOneIs304UntilAStatusChanges() throws Exception {
        String path = "/api/v1/devices/" + enc(isr.replace('/', '~'));
        Response first = get(path, customer.token());
        String etag = first.headers().firstValue("ETag").orElseThrow();
        assertThat(etag).startsWith("W/\"");
        assertThat(first.headers().firstValue("Cache-Control").orElseThrow()).contains("no-cache").contains("private");
        Response again = conditional(path, customer, etag);
        assertThat(again.status()).isEqualTo(304);
        assertThat(again.raw()).isEmpty();
        assertThat(again.headers().firstValue("ETag")).contains(etag);
        assertThat(conditional(path, customer, "\"other\", " + etag.substring(2)).status()).as("a strong copy in a list matches").isEqualTo(304);
        assertThat(conditional(path, customer, "*").status()).isEqualTo(304);
        assertThat(conditional(path, customer, "W/\"other\"").status()).isEqualTo(200);

        String licenses = "/api/v1/licenses?udiPrefix=" + enc(isr);
        String listTag = get(licenses, customer.token()).headers().firstValue("ETag").orElseThrow();
        assertThat(conditional(licenses, customer, listTag).status()).isEqualTo(304);

        // An operator releases the device to another account: its licenses are revoked, and both answers change.
        Response released = post("/api/v1/devices/release", operator.token(), """
                {"udi":"%s","toAccountId":"%s","reason":"shipped to the other account"}""".formatted(isr, other.id()));
        assertThat(released.status()).as(released.raw()).isEqualTo(200);
        Response changed = conditional(licenses, customer, listTag);
        assertThat(changed.status()).isEqualTo(200);
        assertThat(changed.headers().firstValue("ETag").orElseThrow()).isNotEqualTo(listTag);
        changed.body().path("items").forEach(i -> assertThat(i.path("status").asText()).isEqualTo("REVOKED"));
        // The device is the other account's now: the customer no longer finds it, its new holder does.
        assertThat(conditional(path, customer, etag).status()).isEqualTo(404);
        JsonNode moved = get(path, other.token()).body();
        assertThat(moved.path("licenses")).as("the claimer's licenses are not the new holder's to see").isEmpty();
        assertThat(moved.path("history").path(0).path("kind").asText()).isEqualTo("release");
        assertThat(moved.path("history").path(0).path("summary").asText()).doesNotContain(customer.id());
        assertThat(get(path, operator.token()).body().path("history").path(0).path("summary").asText()).contains(customer.id());
    }

    private Response conditional(String path, TestAccount caller, String ifNoneMatch) {
        return send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).header("Authorization", "Bearer " + caller.token())
                .header("If-None-Match", ifNoneMatch).GET().build());
    }

    private void assertInvalid(String path, String field) {
        Response response = get(path, customer.token());
        assertThat(response.status()).as(path + ": " + response.raw()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/problem+json");
        assertThat(response.body().path("errors").path(0).path("field").asText()).as(path + ": " + response.raw()).isEqualTo(field);
    }

    private JsonNode list(String path, TestAccount caller) {
        Response response = get(path, caller.token());
        assertThat(response.status()).as(path + ": " + response.raw()).isEqualTo(200);
        assertThat(response.body().has("next")).as(path).isTrue();
        return response.body();
    }

    static void assertNewestFirst(JsonNode page, String at, String id) {
        JsonNode previous = null;
        for (JsonNode item : page.path("items")) {
            if (previous != null) {
                int byTime = Instant.parse(previous.path(at).asText()).compareTo(Instant.parse(item.path(at).asText()));
                assertThat(byTime > 0 || (byTime == 0 && previous.path(id).asText().compareTo(item.path(id).asText()) > 0))
                        .as("%s before %s", previous, item).isTrue();
            }
            previous = item;
        }
    }

    private static JsonNode item(JsonNode page, String id) {
        for (JsonNode item : page.path("items")) {
            if (item.path("id").asText().equals(id)) {
                return item;
            }
        }
        throw new AssertionError(id + " not in " + page);
    }

    private static JsonNode byUdi(JsonNode page, String udi) {
        for (JsonNode item : page.path("items")) {
            if (item.path("udi").asText().equals(udi)) {
                return item;
            }
        }
        throw new AssertionError(udi + " not in " + page);
    }

    private static List<String> ids(JsonNode page) {
        List<String> ids = new ArrayList<>();
        page.path("items").forEach(i -> ids.add(i.path("id").asText()));
        return ids;
    }

    private static List<String> udis(JsonNode page) {
        List<String> udis = new ArrayList<>();
        page.path("items").forEach(i -> udis.add(i.path("udi").asText()));
        return udis;
    }

    private static List<String> codes(JsonNode page) {
        List<String> codes = new ArrayList<>();
        page.path("items").forEach(i -> codes.add(i.path("code").asText()));
        return codes;
    }

    static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
