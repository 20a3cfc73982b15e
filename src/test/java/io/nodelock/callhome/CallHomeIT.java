package io.nodelock.callhome;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.nodelock.account.Role;
import io.nodelock.license.SigningKeys;
import io.nodelock.licensefile.CallHomeRequest;
import io.nodelock.licensefile.CallHomeResponse;
import io.nodelock.licensefile.LicenseFile;
import io.nodelock.licensefile.LicenseLine;
import io.nodelock.licensefile.ManufacturingBundle;
import io.nodelock.licensefile.SigningKey;
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

/** A certified device calls home for a resend: signed both ways, through the same resend flow as the customer's request. */
class CallHomeIT extends ServiceIT {

    @Autowired
    SigningKeys serviceKeys;

    record CertifiedDevice(Udi udi, SigningKey key) {
    }

    @Test
    void aCertifiedDeviceGetsItsLicensesAgainThroughTheResendFlowAndVerifiesEveryAnswer() throws Exception {
        TestAccount customer = newCustomer();
        CertifiedDevice device = certified(customer);
        Pak pak = newPak(customer, new NewLine("FL-C1111-SEC-K9", 1));
        Response accepted = post("/api/v1/fulfillments", customer.token(), fulfillmentJson(pak.code().formatted(), "FL-C1111-SEC-K9",
                device.udi().binding(), customer.email(), false));
        String licenseId = awaitOutcome(accepted.headers().firstValue("Location").orElseThrow(), customer.token())
                .path("licenseIds").get(0).asText();

        CallHomeRequest resend = request(device, "resend", null, now());
        JsonNode started = body(resend, call(resend.toText()));
        String resendId = started.path("resendId").asText();
        assertThat(jdbc.queryForObject("select channel from license_resend where id = ?::uuid", String.class, resendId)).isEqualTo("call-home");

        JsonNode[] status = new JsonNode[1];
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            CallHomeRequest poll = request(device, "resend-status", "{\"id\":\"" + resendId + "\"}", now());
            status[0] = body(poll, call(poll.toText()));
            return "ISSUED".equals(status[0].path("status").asText());
        });
        List<LicenseLine> lines = LicenseFile.parse(status[0].path("licenseFile").asText()).lines();
        assertThat(lines).extracting(LicenseLine::licenseId).containsExactly(licenseId);
        // The file goes to the account's registered address too, as for the customer's own request.
        await().atMost(Duration.ofSeconds(30)).until(() -> "SENT".equals(get("/api/v1/resends/" + resendId, customer.token()).body()
                .path("mail").path("status").asText()));
        assertThat(get("/api/v1/resends/" + resendId, customer.token()).body().path("mail").path("recipient").asText())
                .isEqualTo(customer.email());
    }

    @Test
    void replayedStaleForgedAndUncertifiedRequestsAreRefusedAndAnAnswerFitsOnlyItsOwnRequest() {
        TestAccount customer = newCustomer();
        CertifiedDevice device = certified(customer);
        CallHomeRequest first = request(device, "resend-status", "{\"id\":\"00000000-0000-0000-0000-000000000000\"}", now());
        Response answered = call(first.toText());
        assertThat(answered.status()).as(answered.raw()).isEqualTo(200);
        assertThat(body(first, answered).path("code").asText()).isEqualTo("UNKNOWN_RESEND");

        assertProblem(call(first.toText()), 409, "replayed-request");
        assertProblem(call(request(device, "resend", null, now().minus(Duration.ofMinutes(10))).toText()), 400, "stale-request");
        String forged = request(device, "resend", null, now()).toText().replace("op=resend", "op=resend-status");
        assertProblem(call(forged), 401, "bad-signature");
        CertifiedDevice impostor = new CertifiedDevice(device.udi(), SigningKey.generate());
        assertProblem(call(request(impostor, "resend", null, now()).toText()), 401, "bad-signature");
        CertifiedDevice uncertified = new CertifiedDevice(Udi.parse("PID:C1111-4P,SN:" + randomSerial()), SigningKey.generate());
        assertProblem(call(request(uncertified, "resend", null, now()).toText()), 403, "uncertified-device");
        assertProblem(call("hello"), 400, "malformed-request");

        // An answer to one request is refused by the device for any other (a replayed answer), and a changed one too.
        CallHomeResponse response = CallHomeResponse.parse(answered.raw().strip());
        CallHomeRequest second = request(device, "resend-status", null, now());
        assertThat(response.check(second, serviceKeys.publishedKeys(), now(), CallHome.WINDOW)).isEqualTo(CallHomeResponse.Check.NONCE_MISMATCH);
        CallHomeResponse changed = CallHomeResponse.parse(answered.raw().strip().replace("status=ok", "status=no"));
        assertThat(changed.check(first, serviceKeys.publishedKeys(), now(), CallHome.WINDOW)).isEqualTo(CallHomeResponse.Check.BAD_SIGNATURE);
        CallHomeRequest unknown = request(device, "format-disk", null, now());
        assertThat(body(unknown, call(unknown.toText())).path("code").asText()).isEqualTo("UNKNOWN_OPERATION");
    }

    private CertifiedDevice certified(TestAccount customer) {
        TestAccount operator = newAccount(EnumSet.of(Role.OPERATOR));
        Udi udi = Udi.parse("PID:C1111-4P,SN:" + randomSerial());
        Response bundle = post("/api/v1/devices/bundles", operator.token(), """
                {"accountId":"%s","udi":"%s","reference":"call home test"}""".formatted(customer.id(), udi.binding()));
        assertThat(bundle.status()).as(bundle.raw()).isEqualTo(200);
        return new CertifiedDevice(udi, ManufacturingBundle.parse(bundle.raw()).deviceKey());
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.SECONDS);
    }

    private static CallHomeRequest request(CertifiedDevice device, String op, String args, Instant at) {
        return CallHomeRequest.create(op, device.udi(), args, at, device.key());
    }

    private Response call(String requestText) {
        return send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/v1/call-home"))
                .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString(requestText + "\n")).build());
    }

    /** What the device does with an answer: uses its body only if the service signed it for this very request. */
    private JsonNode body(CallHomeRequest request, Response answer) {
        assertThat(answer.status()).as(answer.raw()).isEqualTo(200);
        CallHomeResponse response = CallHomeResponse.parse(answer.raw().strip());
        assertThat(response.check(request, serviceKeys.publishedKeys(), now(), CallHome.WINDOW)).isEqualTo(CallHomeResponse.Check.OK);
        try {
            return JSON.readTree(response.bodyJson());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void assertProblem(Response response, int status, String type) {
        assertThat(response.status()).as(response.raw()).isEqualTo(status);
        assertThat(response.body().path("type").asText()).endsWith("/" + type);
    }
}
