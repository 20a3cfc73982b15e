package io.nodelock.portal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.nodelock.account.Account;
import io.nodelock.account.AccountUserRole;
import io.nodelock.account.Role;
import io.nodelock.eula.EulaConsents;
import io.nodelock.pak.Pak;
import io.nodelock.pak.PakService.NewLine;
import io.nodelock.support.PortalBrowser;
import io.nodelock.support.ServiceIT;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The portal's main pages as a customer sees them, on an account with PAKs, devices and requests in several states,
 * saved as 1280x800 PNGs. By default into {@code target/portal-screenshots/pages/}; to renew the README's pictures:
 * {@code ./mvnw verify -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=PortalScreenshotsIT
 * -Dportal.screenshots=docs/images}.
 */
class PortalScreenshotsIT extends ServiceIT {

    private static final Path OUT = Path.of(System.getProperty("portal.screenshots", "target/portal-screenshots/pages"));

    @RegisterExtension
    final PortalBrowser browser = new PortalBrowser(() -> "http://localhost:" + port);

    @Autowired
    EulaConsents eulas;

    @Test
    void theMainPages() throws Exception {
        String id = "acme-" + UUID.randomUUID().toString().substring(0, 6);
        accounts.create(new Account(id, "Acme Networks", "netops@acme.example", EnumSet.of(Role.CUSTOMER), Instant.now()));
        TestAccount acme = new TestAccount(id, "netops@acme.example", tokens.issue(id, "screenshots"));
        // A person with a name, as the pictures show them (newPortalUser's are test persons).
        PortalUser user = new PortalUser("ann.lee@" + id + ".example", "pw-" + UUID.randomUUID());
        administration.ensureActiveUser(id, user.email(), "Ann Lee", AccountUserRole.ACCOUNT_ADMIN, user.password(), "screenshots");

        Pak c1111 = newPak(acme, new NewLine("FL-C1111-SEC-K9", 10), new NewLine("SL-1100-AIS-K9", 5));
        newPak(acme, new NewLine("FL-ISR4300-UCK9", 4));
        String first = "PID:C1111-4P,SN:" + randomSerial();
        String second = "PID:C1111-4P,SN:" + randomSerial();
        String third = "PID:C1111-4P,SN:" + randomSerial();
        fulfil(acme, c1111, "FL-C1111-SEC-K9", first);
        fulfil(acme, c1111, "SL-1100-AIS-K9", first);
        fulfil(acme, c1111, "FL-C1111-SEC-K9", second);
        Response evaluation = post("/api/v1/evaluations", acme.token(), """
                {"udi":"%s","feature":"securityk9","email":"netops@acme.example","eulaVersion":"%s","eulaAccepted":true}"""
                .formatted(first, eulas.current().version()));
        assertThat(evaluation.status()).isIn(201, 409);
        ship(acme, third);
        Response rma = post("/api/v1/rmas", acme.token(), """
                {"failedUdi":"%s","replacementUdi":"%s","rmaNumber":"RMA-%s","email":"netops@acme.example"}"""
                .formatted(second, third, randomSerial()));
        assertThat(rma.status()).as(rma.raw()).isEqualTo(202);
        Response resend = post("/api/v1/resends", acme.token(), "{\"udi\":\"%s\"}".formatted(first));
        assertThat(resend.status()).as(resend.raw()).isEqualTo(202);
        awaitOutcome(rma.headers().firstValue("Location").orElseThrow(), acme.token());
        awaitOutcome(resend.headers().firstValue("Location").orElseThrow(), acme.token());

        browser.signIn(user.email(), user.password());
        browser.awaitText(c1111.code().formatted());
        shot("portal-dashboard");

        browser.open("paks.html");
        browser.rows("paks");
        shot("portal-paks");

        browser.open("devices.html");
        browser.rows("devices");
        shot("portal-devices");

        browser.open("device.html?udi=" + URLEncoder.encode(first, StandardCharsets.UTF_8));
        browser.rows("history");
        shot("portal-device");

        browser.open("requests.html");
        browser.rows("requests");
        shot("portal-requests");

        browser.openForm("pak-registration", Map.of("udi", first, "sku", "FL-C1111-SEC-K9"))
                .type("PAK", "DEM0-C111-1000-0016");
        assertThat(browser.submitForm()).isFalse();
        assertThat(browser.fieldError("PAK")).isNotEmpty();
        shot("portal-form-error");

        browser.open("tokens.html");
        browser.typeInto("token-name", "inventory sync").click("Create token").awaitText("shown only this once");
        shot("portal-tokens");

        // A bulk fulfillment at 100 %, two of its rows refused (made last: its PAK is not in the pictures above).
        Pak bulkPak = newPak(acme, new NewLine("FL-C1111-SEC-K9", 250));
        StringBuilder csv = new StringBuilder("udi,sku\n");
        for (int i = 0; i < 240; i++) {
            csv.append(i == 17 ? "\"PID:ISR4331/K9,SN:" : "\"PID:C1111-4P,SN:").append(randomSerial()).append("\",FL-C1111-SEC-K9\n");
        }
        String theirs = "PID:C1111-4P,SN:" + randomSerial();
        ship(newCustomer(), theirs);
        csv.append('"').append(theirs).append("\",FL-C1111-SEC-K9\n");
        Response bulk = send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://localhost:" + port
                        + "/api/v1/bulk-fulfillments?pakCode=" + bulkPak.code().formatted()))
                .header("Authorization", "Bearer " + acme.token()).header("Content-Type", "text/csv")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(csv.toString())).build());
        assertThat(bulk.status()).as(bulk.raw()).isEqualTo(202);
        browser.open("bulk-run.html?id=" + bulk.body().path("id").asText()).awaitStatus("COMPLETED");
        browser.rows("refused");
        shot("portal-bulk");
    }

    private void shot(String name) {
        browser.screenshotTo(OUT.resolve(name + ".png"));
    }

    private JsonNode fulfil(TestAccount account, Pak pak, String sku, String udi) {
        Response accepted = post("/api/v1/fulfillments", account.token(), fulfillmentJson(pak.code().formatted(), sku, udi, account.email(), false));
        assertThat(accepted.status()).as(accepted.raw()).isEqualTo(202);
        JsonNode outcome = awaitOutcome(accepted.headers().firstValue("Location").orElseThrow(), account.token());
        assertThat(outcome.path("status").asText()).as(outcome.toString()).isEqualTo("ISSUED");
        return outcome;
    }
}
