package io.nodelock.portal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.nodelock.account.EngineIdentity;
import io.nodelock.account.Role;
import io.nodelock.eula.EulaConsents;
import io.nodelock.pak.Pak;
import io.nodelock.pak.PakService.NewLine;
import io.nodelock.support.PortalBrowser;
import io.nodelock.support.ServiceIT;
import io.nodelock.support.TasklistBrowser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The customer portal in headless Chromium (Debian's chromium and chromium-driver; these tests fail, never skip,
 * without them), used as a customer does: sign in, fill in the Camunda Forms of forms/ rendered by form-js, follow
 * each request to its result, download the files; and a TAC approver deciding in the real Tasklist page what the
 * customer asked for in the portal.
 */
class PortalBrowserIT extends ServiceIT {

    private static final String SEC = "FL-C1111-SEC-K9";

    @RegisterExtension
    final PortalBrowser browser = new PortalBrowser(this::baseUrl);
    @RegisterExtension
    final TasklistBrowser tasklist = new TasklistBrowser();

    @Autowired
    EngineIdentity engineIdentity;
    @Autowired
    EulaConsents eulas;

    @Test
    void aUserSignsInRegistersAPakThroughItsFormDownloadsTheLicenseFileAndSignsOut() throws Exception {
        TestAccount account = newCustomer();
        PortalUser user = newPortalUser(account, "ACCOUNT_USER");
        Pak pak = newPak(account, new NewLine(SEC, 2));
        String udi = "PID:C1111-4P,SN:" + randomSerial();

        browser.signIn(user.email(), user.password());
        assertThat(browser.text()).contains("Dashboard");

        browser.openForm("pak-registration", Map.of());
        assertThat(browser.fieldLabels()).containsExactly("PAK", "Device UDI", "SKU", "Email for the license file",
                "I accept the end-user license agreement (required for evaluation, extension and subscription licenses)");
        assertThat(browser.fieldValue("Email for the license file")).as("the user's address to start with").isEqualTo(user.email());
        browser.type("PAK", pak.code().formatted()).type("Device UDI", udi).type("SKU", SEC).submitAccepted();

        browser.awaitStatus("ISSUED");
        JsonNode fulfillment = get("/api/v1/fulfillments/" + browser.requestId(), account.token()).body();
        assertThat(fulfillment.path("status").asText()).isEqualTo("ISSUED");
        assertThat(fulfillment.path("udi").asText()).isEqualTo(udi);
        String licenseId = fulfillment.path("licenseIds").get(0).asText();
        assertThat(browser.text()).contains(licenseId).contains(pak.code().formatted());

        Path file = browser.download("download-license-file");
        String content = Files.readString(file);
        assertThat(content).contains("id=" + licenseId).contains(udi.substring(udi.indexOf("SN:") + 3));
        assertThat(content).isEqualTo(get("/api/v1/fulfillments/" + fulfillment.path("id").asText() + "/license-file", account.token()).raw());

        browser.signOut();
        assertThat(browser.currentUrl()).contains("/portal/login");
        browser.open("requests.html");
        assertThat(browser.currentUrl()).as("after signing out the pages ask for a sign-in again").contains("/portal/login");
    }

    @Test
    void aPakWithATypoIsRefusedByTheIntakeAndTheErrorShowsOnThePakField() {
        TestAccount account = newCustomer();
        PortalUser user = newPortalUser(account, "ACCOUNT_USER");
        browser.signIn(user.email(), user.password());

        // Well-formed for the form (16 characters), but its check character is wrong: only the intake can tell.
        browser.openForm("pak-registration", Map.of())
                .type("PAK", "DEM0-C111-1000-0016")
                .type("Device UDI", "PID:C1111-4P,SN:" + randomSerial())
                .type("SKU", SEC);
        assertThat(browser.submitForm()).as("accepted").isFalse();
        assertThat(browser.fieldError("PAK")).contains("PAK check character does not match");
        assertThat(browser.fieldError("Device UDI")).isEmpty();
        assertThat(browser.fieldError("SKU")).isEmpty();
        assertThat(jdbc.queryForObject("select count(*) from fulfillment where account_id = ?", Integer.class, account.id())).isZero();
        browser.screenshot("form-field-error");
    }

    @Test
    void anRmaRequestedInThePortalMovesTheLicensesToTheReplacement() throws Exception {
        TestAccount account = newCustomer();
        PortalUser user = newPortalUser(account, "ACCOUNT_USER");
        Pak pak = newPak(account, new NewLine(SEC, 1));
        String failed = "PID:C1111-4P,SN:" + randomSerial();
        String replacement = "PID:C1111-4P,SN:" + randomSerial();
        fulfil(account, pak, SEC, failed);
        ship(account, replacement);

        browser.signIn(user.email(), user.password());
        browser.openForm("rma-request", Map.of("failedUdi", failed))
                .type("Replacement device UDI", replacement)
                .type("RMA number", "RMA-" + randomSerial())
                .submitAccepted();
        browser.awaitStatus("ISSUED");
        assertThat(browser.text()).contains(failed).contains(replacement);
        String file = Files.readString(browser.download("download-license-file"));
        assertThat(file).contains(replacement.substring(replacement.indexOf("SN:") + 3));
        JsonNode rma = get("/api/v1/rmas/" + browser.requestId(), account.token()).body();
        assertThat(rma.path("status").asText()).isEqualTo("ISSUED");
        assertThat(rma.path("replacementUdi").asText()).isEqualTo(replacement);
    }

    @Test
    void anExtensionAskedForInThePortalIsDecidedByTacInTasklistAndThePortalShowsTheResult() {
        TestAccount account = newCustomer();
        PortalUser user = newPortalUser(account, "ACCOUNT_USER");
        Pak pak = newPak(account, new NewLine("FL-ISR4300-UCK9", 1));
        String udi = "PID:ISR4331/K9,SN:" + randomSerial();
        fulfil(account, pak, "FL-ISR4300-UCK9", udi);

        // The evaluation, through its form: granted at once.
        browser.signIn(user.email(), user.password());
        browser.openForm("evaluation-request", Map.of("udi", udi))
                .type("Feature", "securityk9")
                .tick("I accept the end-user license agreement of that version", true)
                .submitAccepted();
        browser.awaitStatus("ISSUED");
        assertThat(browser.fact("Feature")).isEqualTo("securityk9");

        // 45 days is more than policy approves at once: it waits for TAC.
        browser.openForm("extension-request", Map.of("udi", udi, "feature", "securityk9"))
                .type("Days of use wanted", "45")
                .type("Why you need more days", "The pilot runs six more weeks")
                .tick("I accept the end-user license agreement of that version", true)
                .submitAccepted();
        browser.awaitStatus("AWAITING_TAC");
        assertThat(browser.fact("EULA accepted")).isEqualTo(eulas.current().version());
        String extensionId = browser.requestId();

        String approver = "tl-portal-" + randomSerial().toLowerCase();
        engineIdentity.ensureUser(approver, "portal-pw", "Tara", "Approver", Role.TAC.engineGroup());
        tasklist.signIn(baseUrl(), approver, "portal-pw")
                .openTaskList()
                .openTask("Approve extension: securityk9 +45 days on " + udi, udi)
                .claim()
                .choose("Decision", "Approve")
                .type("Reason (sent to the customer; required to reject)", "Approved for the pilot")
                .complete();

        // The portal's page, still open, shows the decision without a reload.
        browser.awaitStatus("ISSUED");
        assertThat(browser.rows("decisions")).anySatisfy(row -> assertThat(row).contains(approver).contains("approve"));
        assertThat(browser.requestId()).isEqualTo(extensionId);
        assertThat(browser.text()).contains("Download the license file");

        // An ISR's product id holds a '/': its page opens from the devices list and from its full UDI alike.
        browser.open("devices.html").click(udi).awaitText("Device " + udi);
        assertThat(browser.alerts()).isEmpty();
        assertThat(browser.text()).contains("securityk9").contains("uck9");
        browser.open("device.html?udi=" + java.net.URLEncoder.encode(udi, java.nio.charset.StandardCharsets.UTF_8)).awaitText("Device " + udi);
        assertThat(browser.alerts()).isEmpty();
    }

    @Test
    void aUserOfAnotherAccountSeesNoneOfIt() {
        TestAccount account = newCustomer();
        Pak pak = newPak(account, new NewLine(SEC, 2));
        String udi = "PID:C1111-4P,SN:" + randomSerial();
        JsonNode fulfillment = fulfil(account, pak, SEC, udi);

        TestAccount other = newCustomer();
        PortalUser stranger = newPortalUser(other, "ACCOUNT_ADMIN");
        browser.signIn(stranger.email(), stranger.password());

        browser.open("paks.html");
        assertThat(browser.rows("paks")).isEmpty();
        browser.open("devices.html");
        assertThat(browser.rows("devices")).isEmpty();
        browser.open("requests.html");
        assertThat(browser.rows("requests")).isEmpty();
        // Not even by its address: the other account's request is "not found", as for the API.
        browser.open("request.html?kind=fulfillment&id=" + fulfillment.path("id").asText());
        assertThat(browser.awaitAlert()).contains("does not exist or is not visible to your account");
        assertThat(browser.text()).doesNotContain(udi).doesNotContain(pak.code().formatted());
        browser.open("device.html?udi=" + java.net.URLEncoder.encode(udi, java.nio.charset.StandardCharsets.UTF_8));
        assertThat(browser.awaitAlert()).isNotBlank();
        assertThat(browser.text()).doesNotContain("NL-");
        browser.open("paks.html?q=" + pak.code().formatted());
        assertThat(browser.rows("paks")).isEmpty();
    }

    @Test
    void aTokenIsShownOnceAndRevokedAndAViewerIsOfferedNothingToChange() {
        TestAccount account = newCustomer();
        PortalUser user = newPortalUser(account, "ACCOUNT_USER");
        browser.signIn(user.email(), user.password());
        browser.open("tokens.html").typeInto("token-name", "inventory sync").click("Create token").awaitText("shown only this once");
        String token = browser.inputValue("new-token");
        assertThat(token).startsWith("nlk_");
        assertThat(get("/api/v1/paks", token).status()).as("the new token works").isEqualTo(200);
        assertThat(browser.rows("tokens")).anySatisfy(row -> assertThat(row).contains("inventory sync", "read", "ACTIVE"));
        browser.open("tokens.html");
        assertThat(browser.text()).as("shown once").doesNotContain(token);
        browser.acceptConfirmations().click("Revoke the token inventory sync");
        browser.awaitGone("inventory sync");
        assertThat(get("/api/v1/paks", token).status()).as("the revoked token").isEqualTo(401);

        PortalUser viewer = newPortalUser(account, "ACCOUNT_VIEWER");
        PortalBrowser viewing = new PortalBrowser(this::baseUrl);
        try (viewing) {
            viewing.signIn(viewer.email(), viewer.password());
            assertThat(viewing.navigation()).containsExactly("Dashboard", "PAKs", "Devices", "Licenses", "Requests", "Bulk", "Reports");
            viewing.open("form.html?form=pak-registration");
            assertThat(viewing.text()).contains("not change anything");
            assertThat(viewing.fieldLabelsShown()).isZero();
        }
    }

    @Test
    void everyCustomerFormRendersWithTheFieldsOfItsFile() throws Exception {
        PortalUser user = newPortalUser(newCustomer(), "ACCOUNT_USER");
        browser.signIn(user.email(), user.password());
        for (String id : PortalForms.IDS) {
            browser.openForm(id, Map.of());
            List<String> labels = new ArrayList<>();
            JSON.readTree(Path.of("forms", id + ".form").toFile()).path("components").forEach(c -> {
                if (c.hasNonNull("label")) {
                    labels.add(c.path("label").asText());
                }
            });
            assertThat(browser.fieldLabels()).as(id).containsExactlyElementsOf(labels);
        }
    }

    // ---- set-up through the API, as a script with a token would ----

    private JsonNode fulfil(TestAccount account, Pak pak, String sku, String udi) {
        Response accepted = post("/api/v1/fulfillments", account.token(), fulfillmentJson(pak.code().formatted(), sku, udi, account.email(), false));
        assertThat(accepted.status()).as(accepted.raw()).isEqualTo(202);
        JsonNode outcome = awaitOutcome(accepted.headers().firstValue("Location").orElseThrow(), account.token());
        assertThat(outcome.path("status").asText()).as(outcome.toString()).isEqualTo("ISSUED");
        return outcome;
    }

    private String baseUrl() {
        return "http://localhost:" + port;
    }
}
