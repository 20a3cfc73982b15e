package io.nodelock.device;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.nodelock.account.Role;
import io.nodelock.licensefile.CertificateVerification;
import io.nodelock.licensefile.DeviceCredential;
import io.nodelock.licensefile.ManufacturingBundle;
import io.nodelock.licensefile.PublicKeyInfo;
import io.nodelock.licensefile.TicketSigner;
import io.nodelock.licensefile.Udi;
import io.nodelock.support.ServiceIT;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;

/** POST /api/v1/devices/bundles: certified devices made by the service's manufacturing authority. */
class DeviceBundleIT extends ServiceIT {

    @Test
    void anOperatorGetsABundleWhoseCertifiedDeviceBelongsToTheAccount() {
        TestAccount operator = newAccount(EnumSet.of(Role.OPERATOR));
        TestAccount customer = newCustomer();
        String udi = "PID:C1111-4P,SN:" + randomSerial() + ",VID:V01";

        Response answer = post("/api/v1/devices/bundles", operator.token(), bundleJson(customer.id(), udi, "order 4711"));
        assertThat(answer.status()).as(answer.raw()).isEqualTo(200);
        assertThat(answer.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/plain");
        assertThat(answer.headers().firstValue("Cache-Control").orElseThrow()).contains("no-store");
        ManufacturingBundle bundle = ManufacturingBundle.parse(answer.raw());
        assertThat(bundle.udi()).isEqualTo(Udi.parse(udi));
        CertificateVerification check = bundle.check(Instant.now());
        assertThat(check.ok()).as(check.message()).isTrue();
        assertThat(check.certifiedKey()).isEqualTo(bundle.deviceKey().publicKey());

        // Its authority is the service's published one, and the device is the account's with the certified key.
        Response authorities = get("/api/v1/keys/authorities", null);
        assertThat(authorities.status()).isEqualTo(200);
        String issuing = authorities.body().path("issuingKeyId").asText();
        assertThat(bundle.authorities()).extracting(PublicKeyInfo::keyId).containsExactly(issuing);
        assertThat(bundle.certificate().issuerKeyId()).isEqualTo(issuing);
        assertThat(authorities.body().path("keys").get(0).path("pem").asText()).isEqualTo(bundle.authorities().get(0).toPem());
        String binding = Udi.parse(udi).binding();
        assertThat(jdbc.queryForObject("select account_id from device where udi = ?", String.class, binding)).isEqualTo(customer.id());
        assertThat(jdbc.queryForObject("select registered_by from device where udi = ?", String.class, binding)).isEqualTo("shipment");
        assertThat(jdbc.queryForObject("select key_id from device_key where udi = ?", String.class, binding))
                .isEqualTo(bundle.deviceKey().keyId());
        assertThat(jdbc.queryForObject("select certificate_serial from device_key where udi = ?", String.class, binding))
                .isEqualTo(bundle.certificate().serial());

        // Audited without the private key.
        String detail = jdbc.queryForObject("select detail from audit_event where action = 'device.bundle-issued' and subject = ?",
                String.class, "device:" + binding);
        assertThat(detail).contains(bundle.deviceKey().keyId(), bundle.certificate().serial(), customer.id());
        String privateKeyBase64 = bundle.deviceKey().toPkcs8Pem().lines().filter(l -> !l.startsWith("-----")).findFirst().orElseThrow();
        assertThat(jdbc.queryForObject("select count(*) from audit_event where detail like ?", Integer.class,
                "%" + privateKeyBase64 + "%")).isZero();

        // The device's credential, with the certificate 'license save credential' adds, is trusted by the rehost flow.
        DeviceCredential credential = new TicketSigner(bundle.deviceKey()).sign(DeviceCredential.of(bundle.udi(),
                bundle.deviceKey().publicKey(), Instant.now().truncatedTo(ChronoUnit.SECONDS))).withCertificate(bundle.certificate());
        Response transferable = post("/api/v1/rehosts/transferable-licenses", customer.token(), JsonNodeFactory.instance.objectNode()
                .put("credential", credential.toFile()).toString());
        assertThat(transferable.status()).as(transferable.raw()).isEqualTo(200);

        // A second bundle would make a device with another key, which the service would refuse.
        Response again = post("/api/v1/devices/bundles", operator.token(), bundleJson(customer.id(), udi, "order 4712"));
        assertProblem(again, 409, "device-already-certified");
        assertThat(jdbc.queryForObject("select key_id from device_key where udi = ?", String.class, binding))
                .isEqualTo(bundle.deviceKey().keyId());
    }

    @Test
    void anotherAccountsDeviceIsRefusedAndNothingIsRecorded() {
        TestAccount operator = newAccount(EnumSet.of(Role.OPERATOR));
        TestAccount owner = newCustomer();
        TestAccount customer = newCustomer();
        String udi = "PID:C1111-4P,SN:" + randomSerial();
        ship(owner, udi);

        assertProblem(post("/api/v1/devices/bundles", operator.token(), bundleJson(customer.id(), udi, "order 1")), 409,
                "device-of-another-account");
        assertThat(jdbc.queryForObject("select account_id from device where udi = ?", String.class, udi)).isEqualTo(owner.id());
        assertThat(jdbc.queryForObject("select count(*) from device_key where udi = ?", Integer.class, udi)).isZero();
        assertThat(jdbc.queryForObject("select count(*) from audit_event where action = 'device.bundle-issued' and subject = ?",
                Integer.class, "device:" + udi)).isZero();

        // The owner's own device is fine: a shipping record that exists already is the account's.
        assertThat(post("/api/v1/devices/bundles", operator.token(), bundleJson(owner.id(), udi, "order 2")).status()).isEqualTo(200);
    }

    @Test
    void onlyOperatorsMakeBundlesAndBadInputIsAProblem() {
        TestAccount operator = newAccount(EnumSet.of(Role.OPERATOR));
        TestAccount customer = newCustomer();
        String udi = "PID:C1111-4P,SN:" + randomSerial();

        assertThat(post("/api/v1/devices/bundles", customer.token(), bundleJson(customer.id(), udi, "mine")).status()).isEqualTo(403);
        assertThat(post("/api/v1/devices/bundles", null, bundleJson(customer.id(), udi, "mine")).status()).isEqualTo(401);
        assertThat(jdbc.queryForObject("select count(*) from device where udi = ?", Integer.class, udi)).isZero();

        assertProblem(post("/api/v1/devices/bundles", operator.token(), bundleJson(customer.id(), "not a udi", "x")), 400, "invalid-request");
        assertProblem(post("/api/v1/devices/bundles", operator.token(), bundleJson("no-such-account", udi, "x")), 400, "invalid-request");
        assertProblem(post("/api/v1/devices/bundles", operator.token(), bundleJson(customer.id(), udi, " ")), 400, "invalid-request");
        assertProblem(post("/api/v1/devices/bundles", operator.token(), "{\"accountId\":\"" + customer.id() + "\"}"), 400, "invalid-request");
        assertThat(jdbc.queryForObject("select count(*) from device where udi = ?", Integer.class, udi)).isZero();
    }

    private static String bundleJson(String accountId, String udi, String reference) {
        return JsonNodeFactory.instance.objectNode().put("accountId", accountId).put("udi", udi).put("reference", reference).toString();
    }

    private static void assertProblem(Response response, int status, String type) {
        assertThat(response.status()).as(response.raw()).isEqualTo(status);
        assertThat(response.body().path("type").asText()).as(response.raw()).endsWith(type);
    }
}
