package io.nodelock.inventory;

import static io.nodelock.inventory.InventoryApiIT.enc;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nodelock.device.DeviceAuthority;
import io.nodelock.licensefile.DeviceCertificate;
import io.nodelock.licensefile.DeviceCredential;
import io.nodelock.licensefile.PermissionTicket;
import io.nodelock.licensefile.RehostTicket;
import io.nodelock.licensefile.SigningKey;
import io.nodelock.licensefile.TicketSigner;
import io.nodelock.licensefile.Udi;
import io.nodelock.pak.Pak;
import io.nodelock.pak.PakService.NewLine;
import io.nodelock.support.ServiceIT;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * A device's license history through the real flows: a license fulfilled on device A, rehosted to B, then B fails and
 * an RMA moves it to C. Each device tells its part, newest first; the license keeps the SKU it was bought as through
 * both reissues. The "my requests" list's ETag changes when the rehost's status does.
 */
class DeviceHistoryIT extends ServiceIT {

    @Autowired
    DeviceAuthority authority;

    @Test
    void eachDeviceTellsItsPartOfAFulfillmentARehostAndAnRma() {
        TestAccount customer = newCustomer();
        Pak pak = newPak(customer, new NewLine("FL-C1111-SEC-K9", 1));
        Udi a = Udi.parse("PID:C1111-4P,SN:" + randomSerial());
        SigningKey key = SigningKey.generate();
        DeviceCertificate certificate = authority.issue("T-" + randomSerial(), a, key.publicKey());
        String b = "PID:C1111-4P,SN:" + randomSerial();
        String c = "PID:C1111-4P,SN:" + randomSerial();

        Response fulfilled = post("/api/v1/fulfillments", customer.token(), fulfillmentJson(pak.code().formatted(), "FL-C1111-SEC-K9",
                a.binding(), customer.email(), false));
        JsonNode fulfillment = awaitOutcome(fulfilled.headers().firstValue("Location").orElseThrow(), customer.token());
        String license = fulfillment.path("licenseIds").path(0).asText();

        // Rehost A -> B: the permission ticket, A's revocation, the rehost ticket uploaded with B.
        ObjectNode rehostBody = JsonNodeFactory.instance.objectNode().put("credential", credential(a, key, certificate))
                .put("email", customer.email());
        rehostBody.putArray("licenseIds").add(license);
        Response started = post("/api/v1/rehosts", customer.token(), rehostBody.toString());
        assertThat(started.status()).as(started.raw()).isEqualTo(202);
        String rehost = started.headers().firstValue("Location").orElseThrow();
        awaitStatus(rehost, customer, "AWAITING_REHOST_TICKET");

        // While it waits, "my requests" does not change: 304. The upload moves it on, and the answer changes.
        Response waiting = get("/api/v1/requests", customer.token());
        String tag = waiting.headers().firstValue("ETag").orElseThrow();
        assertThat(waiting.body().path("items").path(0).path("status").asText()).isEqualTo("AWAITING_REHOST_TICKET");
        assertThat(ifNoneMatch("/api/v1/requests", customer, tag).status()).isEqualTo(304);

        PermissionTicket permission = PermissionTicket.parseFile(get(rehost + "/permission-ticket", customer.token()).raw());
        String ticket = new TicketSigner(key).sign(RehostTicket.of(permission.ticketId(), a, permission.licenseIds(),
                Instant.now().truncatedTo(ChronoUnit.SECONDS), key.publicKey())).toFile();
        Response uploaded = post(rehost + "/rehost-ticket", customer.token(), JsonNodeFactory.instance.objectNode()
                .put("rehostTicket", ticket).put("destinationUdi", b).toString());
        assertThat(uploaded.status()).as(uploaded.raw()).isEqualTo(202);
        awaitStatus(rehost, customer, "ISSUED");
        Response moved = ifNoneMatch("/api/v1/requests", customer, tag);
        assertThat(moved.status()).isEqualTo(200);
        assertThat(moved.headers().firstValue("ETag").orElseThrow()).isNotEqualTo(tag);
        assertThat(moved.body().path("items").path(0).path("status").asText()).isEqualTo("ISSUED");
        assertThat(moved.body().path("items").path(0).path("summary").asText()).isEqualTo("1 license from " + a.binding() + " to " + b);

        // B fails: an RMA moves its license to C (shipped to the account, as a replacement must be).
        ship(customer, c);
        Response rmaStarted = post("/api/v1/rmas", customer.token(), """
                {"failedUdi":"%s","replacementUdi":"%s","rmaNumber":"RMA-%s","email":"%s"}""".formatted(b, c, randomSerial(),
                customer.email()));
        assertThat(rmaStarted.status()).as(rmaStarted.raw()).isEqualTo(202);
        String rma = rmaStarted.headers().firstValue("Location").orElseThrow();
        awaitStatus(rma, customer, "ISSUED");

        JsonNode deviceA = device(a.binding(), customer);
        assertThat(kinds(deviceA)).containsExactly("rehost", "fulfillment");
        assertThat(deviceA.path("history").path(0).path("summary").asText()).isEqualTo("1 license moving from this device to " + b);
        assertThat(deviceA.path("history").path(0).path("self").asText()).isEqualTo(rehost);
        assertThat(deviceA.path("history").path(1).path("status").asText()).isEqualTo("ISSUED");
        assertThat(deviceA.path("history").path(1).path("summary").asText()).isEqualTo("SKU FL-C1111-SEC-K9 from PAK "
                + pak.code().formatted());
        assertThat(deviceA.path("certified").asBoolean()).as("its certified key was recorded by the rehost").isTrue();
        assertThat(deviceA.path("licenses").path(0).path("id").asText()).isEqualTo(license);
        assertThat(deviceA.path("licenses").path(0).path("status").asText()).isEqualTo("TRANSFERRED");

        JsonNode deviceB = device(b, customer);
        assertThat(kinds(deviceB)).containsExactly("rma", "rehost");
        assertThat(deviceB.path("history").path(0).path("summary").asText()).contains("this device failed; its licenses go to " + c);
        assertThat(deviceB.path("history").path(1).path("summary").asText()).isEqualTo("1 license moved here from " + a.binding());
        assertThat(deviceB.path("locked").asBoolean()).isTrue();
        assertThat(deviceB.path("licenses").path(0).path("status").asText()).isEqualTo("REPLACED");
        assertThat(deviceB.path("licenses").path(0).path("replaces").asText()).isEqualTo(license);

        JsonNode deviceC = device(c, customer);
        assertThat(kinds(deviceC)).containsExactly("rma", "shipment");
        assertThat(deviceC.path("history").path(0).path("summary").asText()).contains("replaces " + b);
        assertThat(deviceC.path("history").path(1).path("summary").asText()).contains("test shipment");
        JsonNode onC = deviceC.path("licenses").path(0);
        assertThat(onC.path("status").asText()).isEqualTo("ACTIVE");
        assertThat(onC.path("sku").asText()).as("the SKU it was bought as, through a rehost and an RMA").isEqualTo("FL-C1111-SEC-K9");
        assertThat(onC.path("feature").asText()).isEqualTo("securityk9");

        JsonNode bySku = get("/api/v1/licenses?sku=FL-C1111-SEC-K9", customer.token()).body();
        assertThat(bySku.path("items")).hasSize(3);
        JsonNode active = get("/api/v1/licenses?sku=FL-C1111-SEC-K9&status=ACTIVE", customer.token()).body();
        assertThat(active.path("items")).hasSize(1);
        assertThat(active.path("items").path(0).path("udi").asText()).isEqualTo(c);

        JsonNode rmas = get("/api/v1/rmas?udiPrefix=" + enc(c), customer.token()).body();
        assertThat(rmas.path("items")).hasSize(1);
        assertThat(rmas.path("items").path(0).path("failedUdi").asText()).isEqualTo(b);
        assertThat(rmas.path("items").path(0).path("self").asText()).isEqualTo(rma);
        JsonNode rehosts = get("/api/v1/rehosts?status=ISSUED", customer.token()).body();
        assertThat(rehosts.path("items").path(0).path("licenseIds").path(0).asText()).isEqualTo(license);
        assertThat(rehosts.path("items").path(0).path("destinationUdi").asText()).isEqualTo(b);
        List<String> kinds = new ArrayList<>();
        get("/api/v1/requests", customer.token()).body().path("items").forEach(i -> kinds.add(i.path("kind").asText()));
        assertThat(kinds).containsExactly("rma", "rehost", "fulfillment");

        // Another customer finds none of the three devices.
        TestAccount stranger = newCustomer();
        for (String udi : List.of(a.binding(), b, c)) {
            assertThat(get("/api/v1/devices/" + enc(udi), stranger.token()).status()).isEqualTo(404);
        }
    }

    private JsonNode device(String udi, TestAccount caller) {
        Response response = get("/api/v1/devices/" + enc(udi), caller.token());
        assertThat(response.status()).as(response.raw()).isEqualTo(200);
        return response.body();
    }

    private static List<String> kinds(JsonNode device) {
        List<String> kinds = new ArrayList<>();
        device.path("history").forEach(h -> kinds.add(h.path("kind").asText()));
        return kinds;
    }

    private static String credential(Udi udi, SigningKey key, DeviceCertificate certificate) {
        return new TicketSigner(key).sign(DeviceCredential.of(udi, key.publicKey(), Instant.now().truncatedTo(ChronoUnit.SECONDS)))
                .withCertificate(certificate).toFile();
    }

    private Response ifNoneMatch(String path, TestAccount caller, String tag) {
        return send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).header("Authorization", "Bearer " + caller.token())
                .header("If-None-Match", tag).GET().build());
    }

    private void awaitStatus(String location, TestAccount caller, String status) {
        await().atMost(Duration.ofSeconds(30)).until(() -> status.equals(get(location, caller.token()).body().path("status").asText()));
    }
}
