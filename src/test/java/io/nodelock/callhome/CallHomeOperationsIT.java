package io.nodelock.callhome;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nodelock.account.Role;
import io.nodelock.license.SigningKeys;
import io.nodelock.licensefile.CallHomeRequest;
import io.nodelock.licensefile.CallHomeResponse;
import io.nodelock.licensefile.LicenseFile;
import io.nodelock.licensefile.LicenseLine;
import io.nodelock.licensefile.ManufacturingBundle;
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
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * A certified device installs a PAK license and transfers licenses by Call Home: each through the same flow as the
 * customer's request (pak-fulfillment, license-rehost), every answer signed for its own request, and the refusals a
 * device must get before anything moves.
 */
class CallHomeOperationsIT extends ServiceIT {

    private static final String SKU = "FL-C1111-SEC-K9";

    @Autowired
    SigningKeys serviceKeys;

    record CertifiedDevice(Udi udi, SigningKey key) {
    }

    @Test
    void aDeviceInstallsAPakLicenseThroughTheFulfillmentFlowAndARetryWithItsRequestIdFindsTheSameInstall() {
        TestAccount customer = newCustomer();
        CertifiedDevice device = certified(customer);
        Pak pak = newPak(customer, new NewLine(SKU, 2));
        ObjectNode args = JsonNodeFactory.instance.objectNode().put("pak", pak.code().formatted()).put("sku", SKU)
                .put("requestId", "install-0001");
        JsonNode started = ask(device, "install", args);
        String fulfillmentId = started.path("fulfillmentId").asText();
        assertThat(started.path("status").asText()).isEqualTo("SUBMITTED");
        // The answer was lost and the device asks again, with a new nonce and the same request id: one fulfillment.
        assertThat(ask(device, "install", args).path("fulfillmentId").asText()).isEqualTo(fulfillmentId);

        JsonNode issued = awaitStatus(device, "install-status", fulfillmentId, "ISSUED");
        List<LicenseLine> lines = LicenseFile.parse(issued.path("licenseFile").asText()).lines();
        assertThat(lines).hasSize(1);
        assertThat(lines.get(0).udi().binding()).isEqualTo(device.udi().binding());
        assertThat(issued.path("licenseIds").asText()).isEqualTo(lines.get(0).licenseId());
        assertThat(jdbc.queryForObject("select consumed from pak_line where id = ?", Integer.class, pak.lines().get(0).id()))
                .isEqualTo(1);
        // The customer sees it like any other fulfillment; its mail went to the account's registered address.
        JsonNode asSeen = awaitMailSent("/api/v1/fulfillments/" + fulfillmentId, customer.token());
        assertThat(asSeen.path("mail").path("recipient").asText()).isEqualTo(customer.email());
        assertThat(jdbc.queryForObject("select count(*) from audit_event where actor = ? and action = 'call-home.install'",
                Integer.class, "device:" + device.udi().binding())).isEqualTo(2);
    }

    @Test
    void anInstallTheFlowRefusesAndOneTheIntakeRefusesAreSignedRefusalsAndNoDeviceSeesAnotherDevicesInstall() {
        TestAccount customer = newCustomer();
        CertifiedDevice device = certified(customer);
        CertifiedDevice other = certified(customer);
        Pak pak = newPak(customer, new NewLine(SKU, 1));

        JsonNode invalid = ask(device, "install", JsonNodeFactory.instance.objectNode().put("pak", "not a pak").put("sku", SKU));
        assertThat(invalid.path("refused").asBoolean()).isTrue();
        assertThat(invalid.path("code").asText()).isEqualTo("INVALID_REQUEST");
        assertThat(ask(device, "install", JsonNodeFactory.instance.objectNode().put("pak", pak.code().formatted()).put("sku", SKU)
                .put("requestId", "x")).path("code").asText()).isEqualTo("INVALID_REQUEST");

        String first = ask(device, "install", JsonNodeFactory.instance.objectNode().put("pak", pak.code().formatted()).put("sku", SKU))
                .path("fulfillmentId").asText();
        awaitStatus(device, "install-status", first, "ISSUED");
        // The PAK's only unit is gone: the flow rejects the second install, and the device is told why.
        String second = ask(other, "install", JsonNodeFactory.instance.objectNode().put("pak", pak.code().formatted()).put("sku", SKU))
                .path("fulfillmentId").asText();
        JsonNode rejected = awaitStatus(other, "install-status", second, "REJECTED");
        assertThat(rejected.path("code").asText()).isEqualTo("PAK_EXHAUSTED");
        assertThat(rejected.has("licenseFile")).isFalse();

        assertThat(ask(other, "install-status", JsonNodeFactory.instance.objectNode().put("id", first)).path("code").asText())
                .isEqualTo("UNKNOWN_FULFILLMENT");
    }

    @Test
    void anInstallOfASkuUnderTheEulaNeedsTheDevicesConsentWhichIsRecordedAsGivenByCallHome() {
        TestAccount customer = newCustomer();
        CertifiedDevice device = certified(customer, "ISR4331/K9");
        Pak pak = newPak(customer, new NewLine("EVAL-ISR4300-SEC", 1));
        ObjectNode args = JsonNodeFactory.instance.objectNode().put("pak", pak.code().formatted()).put("sku", "EVAL-ISR4300-SEC");
        JsonNode withoutConsent = ask(device, "install", args);
        assertThat(withoutConsent.path("code").asText()).isEqualTo("INVALID_REQUEST");
        assertThat(withoutConsent.path("message").asText()).contains("accept the end-user license agreement");

        String id = ask(device, "install", args.put("eulaAccepted", true)).path("fulfillmentId").asText();
        LicenseLine line = LicenseFile.parse(awaitStatus(device, "install-status", id, "ISSUED").path("licenseFile").asText()).lines().get(0);
        assertThat(line.eulaVersion()).isNotNull();
        assertThat(jdbc.queryForMap("select accepted_by, origin_channel, eula_version from eula_consent where subject = ?",
                "fulfillment:" + id)).containsEntry("accepted_by", "device:" + device.udi().binding())
                .containsEntry("origin_channel", "call-home").containsEntry("eula_version", line.eulaVersion());
    }

    @Test
    void aDeviceTransfersItsLicenseToAnotherCertifiedDeviceWithoutAnyoneCopyingATicket() {
        TestAccount customer = newCustomer();
        CertifiedDevice source = certified(customer);
        CertifiedDevice destination = certified(customer);
        String licenseId = installed(customer, source);

        JsonNode started = ask(source, "transfer", JsonNodeFactory.instance.objectNode().put("destination", destination.udi().binding()));
        String rehostId = started.path("rehostId").asText();
        assertThat(started.path("licenseIds").asText()).as("no ids named: every license that can move").isEqualTo(licenseId);
        JsonNode permitted = awaitStatus(source, "transfer-status", rehostId, "AWAITING_REHOST_TICKET");
        PermissionTicket permission = PermissionTicket.parseFile(permitted.path("permissionTicket").asText());
        assertThat(permission.udi().binding()).isEqualTo(source.udi().binding());
        assertThat(permission.licenseIds()).containsExactly(licenseId);

        // The device revokes what the permission names and signs its rehost ticket; another device's ticket is refused.
        RehostTicket forged = revoke(new CertifiedDevice(destination.udi(), destination.key()), permission);
        assertThat(ask(destination, "revoke", rehostTicketArgs(forged, destination)).path("code").asText()).isEqualTo("UNKNOWN_TRANSFER");
        RehostTicket ticket = revoke(source, permission);
        JsonNode redeemed = ask(source, "revoke", rehostTicketArgs(ticket, destination));
        assertThat(redeemed.path("status").asText()).as(redeemed.toString()).isEqualTo("REHOST_TICKET_RECEIVED");
        assertThat(ask(source, "revoke", rehostTicketArgs(ticket, destination)).path("code").asText()).isEqualTo("ALREADY_REDEEMED");
        JsonNode done = awaitStatus(source, "transfer-status", rehostId, "ISSUED");
        assertThat(done.path("destination").asText()).isEqualTo(destination.udi().binding());

        // The destination gets the license by its own Call Home resend; the source's next file no longer holds it.
        List<LicenseLine> received = resend(destination);
        assertThat(received).extracting(l -> l.udi().binding()).containsOnly(destination.udi().binding());
        assertThat(received).extracting(LicenseLine::feature).containsExactly("securityk9");
        assertThat(ask(source, "resend", null).path("code").asText()).isEqualTo("NO_ACTIVE_LICENSES");
        assertThat(jdbc.queryForObject("select status from license where id = ?", String.class, licenseId)).isEqualTo("TRANSFERRED");
    }

    @Test
    void aTransferIsRefusedBeforeAnythingMovesWhenItsDestinationOrLicensesCannotTakeIt() {
        TestAccount customer = newCustomer();
        TestAccount stranger = newCustomer();
        CertifiedDevice source = certified(customer);
        CertifiedDevice strangers = certified(stranger);
        assertThat(ask(source, "transfer", JsonNodeFactory.instance.objectNode().put("destination", strangers.udi().binding())).path("code")
                .asText()).isEqualTo("DEVICE_OF_ANOTHER_ACCOUNT");
        CertifiedDevice destination = certified(customer);
        assertThat(ask(source, "transfer", JsonNodeFactory.instance.objectNode().put("destination", destination.udi().binding()))
                .path("code").asText()).as("nothing to move yet").isEqualTo("LICENSE_NOT_TRANSFERABLE");
        String licenseId = installed(customer, source);
        assertThat(ask(source, "transfer", JsonNodeFactory.instance.objectNode().put("destination", source.udi().binding()))
                .path("code").asText()).isEqualTo("DESTINATION_NOT_ALLOWED");
        assertThat(ask(source, "transfer", JsonNodeFactory.instance.objectNode().put("destination", "PID:ISR4331/K9,SN:" + randomSerial()))
                .path("code").asText()).isEqualTo("DESTINATION_NOT_ALLOWED");
        ObjectNode someoneElses = JsonNodeFactory.instance.objectNode().put("destination", destination.udi().binding());
        someoneElses.putArray("licenseIds").add("LIC-NOT-HERE");
        assertThat(ask(source, "transfer", someoneElses).path("code").asText()).isEqualTo("LICENSE_NOT_TRANSFERABLE");
        assertThat(jdbc.queryForObject("select count(*) from rehost where source_udi = ?", Integer.class, source.udi().binding())).isZero();
        assertThat(jdbc.queryForObject("select status from license where id = ?", String.class, licenseId)).isEqualTo("ACTIVE");
        // Another device cannot ask about this device's transfers.
        String rehostId = ask(source, "transfer", JsonNodeFactory.instance.objectNode().put("destination", destination.udi().binding()))
                .path("rehostId").asText();
        assertThat(ask(destination, "transfer-status", JsonNodeFactory.instance.objectNode().put("id", rehostId)).path("code").asText())
                .isEqualTo("UNKNOWN_TRANSFER");
    }

    // ---- a device, seen from the service ----

    private String installed(TestAccount customer, CertifiedDevice device) {
        Pak pak = newPak(customer, new NewLine(SKU, 1));
        String id = ask(device, "install", JsonNodeFactory.instance.objectNode().put("pak", pak.code().formatted()).put("sku", SKU))
                .path("fulfillmentId").asText();
        return awaitStatus(device, "install-status", id, "ISSUED").path("licenseIds").asText();
    }

    private List<LicenseLine> resend(CertifiedDevice device) {
        String id = ask(device, "resend", null).path("resendId").asText();
        return LicenseFile.parse(awaitStatus(device, "resend-status", id, "ISSUED").path("licenseFile").asText()).lines();
    }

    private static RehostTicket revoke(CertifiedDevice device, PermissionTicket permission) {
        return new TicketSigner(device.key()).sign(RehostTicket.of(permission.ticketId(), device.udi(), permission.licenseIds(),
                Instant.now().truncatedTo(ChronoUnit.SECONDS), device.key().publicKey()));
    }

    private static ObjectNode rehostTicketArgs(RehostTicket ticket, CertifiedDevice destination) {
        return JsonNodeFactory.instance.objectNode().put("rehostTicket", ticket.toFile()).put("destination", destination.udi().binding());
    }

    private JsonNode awaitStatus(CertifiedDevice device, String op, String id, String wanted) {
        JsonNode[] last = new JsonNode[1];
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            last[0] = ask(device, op, JsonNodeFactory.instance.objectNode().put("id", id));
            assertThat(last[0].path("refused").asBoolean()).as(last[0].toString()).isFalse();
            assertThat(List.of("SUBMITTED", "AWAITING_REHOST_TICKET", "REHOST_TICKET_RECEIVED", wanted)).as(last[0].toString())
                    .contains(last[0].path("status").asText());
            return wanted.equals(last[0].path("status").asText());
        });
        return last[0];
    }

    private CertifiedDevice certified(TestAccount customer) {
        return certified(customer, "C1111-4P");
    }

    private CertifiedDevice certified(TestAccount customer, String productId) {
        TestAccount operator = newAccount(EnumSet.of(Role.OPERATOR));
        Udi udi = Udi.parse("PID:" + productId + ",SN:" + randomSerial());
        Response bundle = post("/api/v1/devices/bundles", operator.token(), """
                {"accountId":"%s","udi":"%s","reference":"call home test"}""".formatted(customer.id(), udi.binding()));
        assertThat(bundle.status()).as(bundle.raw()).isEqualTo(200);
        return new CertifiedDevice(udi, ManufacturingBundle.parse(bundle.raw()).deviceKey());
    }

    /** One signed request; the body of its answer, used only after the device's own check of the signature and nonce. */
    private JsonNode ask(CertifiedDevice device, String op, JsonNode args) {
        CallHomeRequest request = CallHomeRequest.create(op, device.udi(), args == null ? null : args.toString(),
                Instant.now().truncatedTo(ChronoUnit.SECONDS), device.key());
        Response answer = send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/v1/call-home"))
                .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString(request.toText() + "\n")).build());
        assertThat(answer.status()).as(answer.raw()).isEqualTo(200);
        CallHomeResponse response = CallHomeResponse.parse(answer.raw().strip());
        assertThat(response.check(request, serviceKeys.publishedKeys(), Instant.now().truncatedTo(ChronoUnit.SECONDS), CallHome.WINDOW))
                .isEqualTo(CallHomeResponse.Check.OK);
        try {
            return JSON.readTree(response.bodyJson());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
