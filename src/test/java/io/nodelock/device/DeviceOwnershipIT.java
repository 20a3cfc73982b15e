package io.nodelock.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.nodelock.account.Role;
import io.nodelock.pak.Pak;
import io.nodelock.pak.PakService.NewLine;
import io.nodelock.support.ServiceIT;
import java.time.Duration;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;

/** Who a device belongs to: shipping records, RMA replacements that are never claimed, and an operator's release. */
class DeviceOwnershipIT extends ServiceIT {

    @Test
    void anRmaReplacementIsNeverClaimedByNamingIt() {
        TestAccount customer = newCustomer();
        TestAccount other = newCustomer();
        Pak pak = newPak(customer, new NewLine("FL-C1111-SEC-K9", 1));
        String failed = "PID:C1111-4P,SN:" + randomSerial();
        fulfil(customer, pak, "FL-C1111-SEC-K9", failed);

        // Someone else's next device, named as a replacement: refused, nothing locked, nothing recorded.
        String othersNext = "PID:C1111-4P,SN:" + randomSerial();
        Response squat = post("/api/v1/rmas", customer.token(), rmaJson(failed, othersNext, customer));
        assertThat(squat.status()).as(squat.raw()).isEqualTo(422);
        assertThat(squat.body().path("code").asText()).isEqualTo("REPLACEMENT_NOT_SHIPPED");
        assertThat(jdbc.queryForObject("select count(*) from device where udi = ?", Integer.class, othersNext)).isZero();
        assertThat(jdbc.queryForObject("select locked_at is null from device where udi = ?", Boolean.class, failed)).isTrue();

        // Shipped to the other account, it stays theirs.
        ship(other, othersNext);
        Response foreign = post("/api/v1/rmas", customer.token(), rmaJson(failed, othersNext, customer));
        assertThat(foreign.body().path("code").asText()).isEqualTo("DEVICE_OF_ANOTHER_ACCOUNT");

        // Shipped to the customer, the RMA goes through.
        String replacement = "PID:C1111-4P,SN:" + randomSerial();
        TestAccount operator = newAccount(EnumSet.of(Role.OPERATOR));
        Response shipped = post("/api/v1/devices/shipments", operator.token(), """
                {"accountId":"%s","reference":"RMA shipment 4711","udis":["%s"]}""".formatted(customer.id(), replacement));
        assertThat(shipped.status()).as(shipped.raw()).isEqualTo(200);
        Response rma = post("/api/v1/rmas", customer.token(), rmaJson(failed, replacement, customer));
        assertThat(rma.status()).as(rma.raw()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(30)).until(() -> "ISSUED".equals(get(rma.headers().firstValue("Location").orElseThrow(),
                customer.token()).body().path("status").asText()));
    }

    @Test
    void aShippedDeviceCannotBeTakenByAnotherAccountsFulfillment() {
        TestAccount owner = newCustomer();
        TestAccount squatter = newCustomer();
        String udi = "PID:ISR4331/K9,SN:" + randomSerial();
        ship(owner, udi);
        Pak pak = newPak(squatter, new NewLine("FL-ISR4300-SEC-K9", 1));
        Response accepted = post("/api/v1/fulfillments", squatter.token(), fulfillmentJson(pak.code().formatted(),
                "FL-ISR4300-SEC-K9", udi, squatter.email(), false));
        JsonNode refused = awaitOutcome(accepted.headers().firstValue("Location").orElseThrow(), squatter.token());
        assertThat(refused.path("status").asText()).isEqualTo("REJECTED");
        assertThat(refused.path("rejection").path("code").asText()).isEqualTo("DEVICE_OF_ANOTHER_ACCOUNT");
        assertThat(get("/api/v1/paks/" + pak.code().formatted(), squatter.token()).body().path("lines").get(0)
                .path("remaining").asInt()).isEqualTo(1);

        Pak own = newPak(owner, new NewLine("FL-ISR4300-SEC-K9", 1));
        assertThat(fulfil(owner, own, "FL-ISR4300-SEC-K9", udi).path("status").asText()).isEqualTo("ISSUED");
    }

    @Test
    void aProductRegisteredByRecordIsNeverClaimedByAFulfillment() {
        TestAccount customer = newCustomer();
        Pak pak = newPak(customer, new NewLine("FL-C8300-SEC-K9", 1));
        String udi = "PID:C8300-1N1S-4T2X,SN:" + randomSerial();
        JsonNode refused = fulfil(customer, pak, "FL-C8300-SEC-K9", udi);
        assertThat(refused.path("status").asText()).isEqualTo("REJECTED");
        assertThat(refused.path("rejection").path("code").asText()).isEqualTo("DEVICE_NOT_RECORDED");
        assertThat(jdbc.queryForObject("select count(*) from device where udi = ?", Integer.class, udi)).isZero();
        assertThat(get("/api/v1/paks/" + pak.code().formatted(), customer.token()).body().path("lines").get(0)
                .path("remaining").asInt()).as("no unit used").isEqualTo(1);

        ship(customer, udi);
        assertThat(fulfil(customer, pak, "FL-C8300-SEC-K9", udi).path("status").asText()).isEqualTo("ISSUED");
    }

    @Test
    void shippingRecordsAreForOperatorsAndAllOrNothing() {
        TestAccount customer = newCustomer();
        TestAccount other = newCustomer();
        TestAccount operator = newAccount(EnumSet.of(Role.OPERATOR));
        String mine = "PID:C1111-4P,SN:" + randomSerial();
        String theirs = "PID:C1111-4P,SN:" + randomSerial();
        ship(other, theirs);
        String record = """
                {"accountId":"%s","reference":"SO-1","udis":["%s","%s"]}""".formatted(customer.id(), mine, theirs);

        assertThat(post("/api/v1/devices/shipments", customer.token(), record).status()).isEqualTo(403);
        Response conflict = post("/api/v1/devices/shipments", operator.token(), record);
        assertThat(conflict.status()).as(conflict.raw()).isEqualTo(409);
        assertThat(conflict.body().path("conflicts").get(0).path("udi").asText()).isEqualTo(theirs);
        assertThat(jdbc.queryForObject("select count(*) from device where udi = ?", Integer.class, mine)).as("nothing stored").isZero();

        String twice = """
                {"accountId":"%s","reference":"SO-2","udis":["%s"]}""".formatted(customer.id(), mine);
        assertThat(post("/api/v1/devices/shipments", operator.token(), twice).body().path("registered").get(0).asText()).isEqualTo(mine);
        assertThat(post("/api/v1/devices/shipments", operator.token(), twice).body().path("alreadyTheAccounts").get(0).asText())
                .isEqualTo(mine);
        assertThat(post("/api/v1/devices/shipments", operator.token(), """
                {"accountId":"%s","reference":"SO-3","udis":["C1111 123"]}""".formatted(customer.id())).status()).isEqualTo(400);
        assertThat(post("/api/v1/devices/shipments", operator.token(), """
                {"accountId":"nobody","reference":"SO-4","udis":["%s"]}""".formatted(mine)).status()).isEqualTo(400);
        assertThat(jdbc.queryForObject("select count(*) from audit_event where action = 'device.shipped' and actor = ? and detail like ?",
                Integer.class, operator.id(), "%SO-2%")).isEqualTo(2);
    }

    @Test
    void anOperatorReleasesASquattedDeviceToItsOwnerAndTheSquattersLicensesAreRevoked() {
        TestAccount owner = newCustomer();
        TestAccount squatter = newCustomer();
        TestAccount operator = newAccount(EnumSet.of(Role.OPERATOR));
        String udi = "PID:ISR4331/K9,SN:" + randomSerial();
        Pak pak = newPak(squatter, new NewLine("FL-ISR4300-SEC-K9", 1));
        String squatted = fulfil(squatter, pak, "FL-ISR4300-SEC-K9", udi).path("licenseIds").get(0).asText();

        assertThat(post("/api/v1/devices/release", squatter.token(), releaseJson(udi, owner)).status()).isEqualTo(403);
        Response released = post("/api/v1/devices/release", operator.token(), releaseJson(udi, owner));
        assertThat(released.status()).as(released.raw()).isEqualTo(200);
        assertThat(released.body().path("revokedLicenses").get(0).asText()).isEqualTo(squatted);
        assertThat(jdbc.queryForObject("select status from license where id = ?", String.class, squatted)).isEqualTo("REVOKED");
        assertThat(jdbc.queryForObject("select account_id from device where udi = ?", String.class, udi)).isEqualTo(owner.id());
        assertThat(jdbc.queryForObject("select actor from audit_event where action = 'device.released' and subject = ?", String.class,
                "device:" + udi)).isEqualTo(operator.id());

        // The squatter no longer sees the device; the owner licenses it.
        assertThat(post("/api/v1/resends", squatter.token(), "{\"udi\":\"" + udi + "\"}").status()).isEqualTo(404);
        Pak own = newPak(owner, new NewLine("FL-ISR4300-SEC-K9", 1));
        assertThat(fulfil(owner, own, "FL-ISR4300-SEC-K9", udi).path("status").asText()).isEqualTo("ISSUED");
        assertThat(post("/api/v1/devices/release", operator.token(), releaseJson("PID:ISR4331/K9,SN:NEVERSEEN7", owner)).status())
                .isEqualTo(404);
    }

    private JsonNode fulfil(TestAccount customer, Pak pak, String sku, String udi) {
        Response accepted = post("/api/v1/fulfillments", customer.token(), fulfillmentJson(pak.code().formatted(), sku, udi,
                customer.email(), false));
        return awaitOutcome(accepted.headers().firstValue("Location").orElseThrow(), customer.token());
    }

    private static String rmaJson(String failed, String replacement, TestAccount customer) {
        return """
                {"failedUdi":"%s","replacementUdi":"%s","rmaNumber":"RMA-%s","email":"%s"}""".formatted(failed, replacement,
                randomSerial(), customer.email());
    }

    private static String releaseJson(String udi, TestAccount to) {
        return """
                {"udi":"%s","toAccountId":"%s","reason":"shipping record SO-9 names %s"}""".formatted(udi, to.id(), to.id());
    }
}
