package io.nodelock.portal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.nodelock.eula.EulaConsents;
import io.nodelock.pak.Pak;
import io.nodelock.pak.PakService.NewLine;
import io.nodelock.support.PortalBrowser;
import io.nodelock.support.ServiceIT;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The portal's license inventory and reports pages in headless Chromium (see {@link PortalBrowserIT}), over licenses
 * the real flows issued: PAK fulfillments and a self-serve evaluation, asked for through the API as a script with a
 * token would. The search narrows the list to exactly the expected licenses, is kept in the page's address, "More"
 * pages through without a duplicate, a viewer reads both pages, and another account's licenses never show.
 */
class PortalLicensesBrowserIT extends ServiceIT {

    private static final String ISR_SEC = "FL-ISR4300-SEC-K9";
    private static final String ISR_UC = "FL-ISR4300-UCK9";
    private static final String C1111_SEC = "FL-C1111-SEC-K9";
    private static final String SUB = "SUB-ISR4300-AES-1Y";

    @RegisterExtension
    final PortalBrowser browser = new PortalBrowser(this::baseUrl);

    @Autowired
    EulaConsents eulas;

    /** Made once for the class: the tests only read it. */
    private static Holdings holdings;

    /**
     * One account: isr1 with a permanent security license and an Advanced Enterprise subscription (ends in 365 days);
     * isr2 with a permanent UC license and a securityk9 evaluation (60 days of use); three C1111s with a permanent
     * security license each. Another account holds a security license on a C1111 of its own.
     */
    private record Holdings(TestAccount account, Pak pak, String isr1, String isr2, List<String> c1111s, String isr1Sec, String sub,
                            String isr2Uc, String eval, List<String> c1111Sec, TestAccount other, String foreignUdi, String foreign) {

        List<String> all() {
            List<String> all = new ArrayList<>(List.of(isr1Sec, sub, isr2Uc, eval));
            all.addAll(c1111Sec);
            return all;
        }
    }

    @BeforeEach
    void holdings() {
        if (holdings != null) {
            return;
        }
        TestAccount account = newCustomer();
        Pak pak = newPak(account, new NewLine(ISR_SEC, 1), new NewLine(C1111_SEC, 4), new NewLine(SUB, 1), new NewLine(ISR_UC, 2));
        String isr1 = "PID:ISR4331/K9,SN:" + randomSerial();
        String isr2 = "PID:ISR4331/K9,SN:" + randomSerial();
        List<String> c1111s = List.of("PID:C1111-4P,SN:" + randomSerial(), "PID:C1111-4P,SN:" + randomSerial(),
                "PID:C1111-4P,SN:" + randomSerial());
        String isr1Sec = issueLicenses(account, pak, ISR_SEC, isr1).get(0);
        String sub = issueLicenses(account, pak, SUB, isr1).get(0);
        String isr2Uc = issueLicenses(account, pak, ISR_UC, isr2).get(0);
        Response evaluation = post("/api/v1/evaluations", account.token(), """
                {"udi":"%s","feature":"securityk9","email":"%s","eulaVersion":"%s","eulaAccepted":true}"""
                .formatted(isr2, account.email(), eulas.current().version()));
        assertThat(evaluation.status()).as(evaluation.raw()).isEqualTo(201);
        String eval = evaluation.body().path("licenseIds").get(0).asText();
        List<String> c1111Sec = c1111s.stream().map(udi -> issueLicenses(account, pak, C1111_SEC, udi).get(0)).toList();

        TestAccount other = newCustomer();
        String foreignUdi = "PID:C1111-4P,SN:" + randomSerial();
        String foreign = issueLicenses(other, newPak(other, new NewLine(C1111_SEC, 1)), C1111_SEC, foreignUdi).get(0);
        holdings = new Holdings(account, pak, isr1, isr2, c1111s, isr1Sec, sub, isr2Uc, eval, c1111Sec, other, foreignUdi, foreign);
    }

    @Test
    void theSearchNarrowsTheListToExactlyTheMatchingLicensesAndIsKeptInThePagesAddress() {
        Holdings my = holdings;
        signIn(newPortalUser(my.account(), "ACCOUNT_USER"));
        browser.open("licenses.html");
        assertThat(ids()).containsExactlyInAnyOrderElementsOf(my.all()).doesNotContain(my.foreign());
        List<String> sub = row(my.sub());
        assertThat(sub).containsSubsequence(my.sub(), "adventerprise", SUB, "Subscription", "ACTIVE", my.isr1());
        assertThat(sub.get(7)).as("a subscription's end is shown").isNotBlank().isNotEqualTo("never");
        assertThat(row(my.isr1Sec()).get(7)).isEqualTo("never");
        assertThat(row(my.eval())).containsSubsequence(my.eval(), "securityk9", "", "Evaluation", "ACTIVE", my.isr2(), "days of use");

        // Feature and UDI prefix (the device path form), through the form: exactly the three C1111 licenses.
        browser.typeInto("feature", "securityk9").typeInto("udiPrefix", "C1111-4P").click("Search");
        awaitIds(my.c1111Sec());
        assertThat(browser.currentUrl()).contains("feature=securityk9").contains("udiPrefix=C1111-4P").doesNotContain("limit=");
        // The product instead: the ISR's security licenses, the permanent one and the evaluation.
        browser.typeInto("udiPrefix", "").typeInto("product", "ISR4331/K9").click("Search");
        awaitIds(List.of(my.isr1Sec(), my.eval()));
        // Product and the start of one ISR's serial number: the narrower of the two.
        browser.typeInto("feature", "").typeInto("udiPrefix", my.isr2().substring(0, my.isr2().length() - 2)).click("Search");
        awaitIds(List.of(my.isr2Uc(), my.eval()));
        // Ends within N days: only the subscription has an end date the service knows (365 days from now).
        browser.typeInto("udiPrefix", "").typeInto("product", "").typeInto("within", "366").click("Search");
        awaitIds(List.of(my.sub()));
        browser.typeInto("within", "364").click("Search");
        awaitIds(List.of());
        assertThat(browser.currentUrl()).contains("within=364");
        browser.typeInto("within", "").typeInto("feature", "securityk9").typeInto("product", "C1111-4P").click("Search");
        awaitIds(my.c1111Sec());
        browser.screenshot("licenses-search");

        // The address alone runs a search again (a bookmark), the form showing it.
        browser.open("licenses.html?feature=securityk9&udiPrefix=C1111-4P");
        assertThat(ids()).containsExactlyInAnyOrderElementsOf(my.c1111Sec());
        assertThat(browser.inputValue("feature")).isEqualTo("securityk9");
        assertThat(browser.inputValue("udiPrefix")).isEqualTo("C1111-4P");
        browser.open("licenses.html?within=366&feature=adventerprise");
        assertThat(ids()).containsExactly(my.sub());
        browser.open("licenses.html?type=subscription");
        assertThat(ids()).containsExactly(my.sub());
        browser.open("licenses.html?status=ACTIVE&sku=" + C1111_SEC);
        assertThat(ids()).containsExactlyInAnyOrderElementsOf(my.c1111Sec());
        browser.open("licenses.html?status=REVOKED");
        assertThat(ids()).isEmpty();
        String tomorrow = LocalDate.now(ZoneOffset.UTC).plusDays(1).toString();
        browser.open("licenses.html?issuedFrom=" + tomorrow);
        assertThat(ids()).isEmpty();
        browser.open("licenses.html?issuedTo=" + tomorrow + "&sku=" + ISR_UC);
        assertThat(ids()).containsExactly(my.isr2Uc());

        // Another account's license is not found even by its device.
        browser.open("licenses.html?udiPrefix=" + enc(my.foreignUdi()));
        assertThat(ids()).isEmpty();

        // The device column opens the device's page, an ISR (whose PID holds a /) too.
        browser.open("licenses.html?type=subscription").click(my.isr1());
        assertThat(browser.fact("Product")).isEqualTo("ISR4331/K9");
        assertThat(browser.text()).contains(my.sub());
    }

    @Test
    void moreShowsTheNextPagesOfTheSameSearchWithoutDuplicates() {
        Holdings my = holdings;
        signIn(newPortalUser(my.account(), "ACCOUNT_VIEWER"));
        assertThat(browser.navigation()).as("a viewer reads every list").containsExactly("Dashboard", "PAKs", "Devices", "Licenses",
                "Requests", "Bulk", "Reports");

        browser.open("licenses.html?limit=2&feature=securityk9");
        List<String> expected = new ArrayList<>(my.c1111Sec());
        expected.addAll(List.of(my.isr1Sec(), my.eval()));
        assertThat(ids()).hasSize(2);
        for (int shown : new int[] {4, 5}) {
            browser.click("More");
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(ids()).hasSize(shown));
        }
        browser.awaitText("5 shown");
        assertThat(browser.text()).doesNotContain("more available");
        List<String> ids = ids();
        assertThat(new LinkedHashSet<>(ids)).as("no license twice").hasSameSizeAs(ids);
        assertThat(ids).containsExactlyInAnyOrderElementsOf(expected);

        browser.open("licenses.html?limit=3");
        browser.click("More");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(ids()).hasSize(6));
        browser.click("More");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(ids()).hasSize(7));
        assertThat(ids()).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(my.all());
    }

    @Test
    void theReportsPageDownloadsTheAccountsCsvReports() throws Exception {
        Holdings my = holdings;
        String id = my.account().id();
        signIn(newPortalUser(my.account(), "ACCOUNT_VIEWER"));
        browser.open("reports.html");
        assertThat(browser.text()).contains("Licenses by feature", "Licenses by device", "Licenses by expiry", "PAK consumption");
        browser.screenshot("reports");

        Path byFeature = browser.download("download-licenses-by-feature");
        assertThat(byFeature.getFileName().toString()).startsWith("licenses-by-feature-" + id).endsWith(".csv");
        assertThat(Files.readString(byFeature)).isEqualTo(
                "account_id,feature,type,active,active_counted_units,transferred,replaced,revoked,superseded,total\r\n"
                + id + ",adventerprise,subscription,1,0,0,0,0,0,1\r\n"
                + id + ",securityk9,evaluation,1,0,0,0,0,0,1\r\n"
                + id + ",securityk9,permanent,4,0,0,0,0,0,4\r\n"
                + id + ",uck9,permanent,1,0,0,0,0,0,1\r\n");

        // Within 61 days: the evaluation (60 days of use at the earliest), not the subscription (365 days).
        browser.typeInto("withinDays", "61");
        List<String> soon = Files.readString(browser.download("download-licenses-by-expiry")).lines().toList();
        assertThat(soon.get(0)).isEqualTo("license_id,account_id,udi,feature,sku,type,issued_at,ends_at,days_left");
        assertThat(soon).hasSize(2);
        assertThat(soon.get(1)).startsWith(my.eval() + "," + id + ",\"" + my.isr2() + "\",securityk9,,evaluation,").endsWith(",59");
        browser.typeInto("withinDays", "400");
        List<String> year = Files.readString(browser.download("download-licenses-by-expiry")).lines().toList();
        assertThat(year).hasSize(3);
        assertThat(year.get(1)).startsWith(my.eval() + ",");
        assertThat(year.get(2)).startsWith(my.sub() + "," + id + ",\"" + my.isr1() + "\",adventerprise," + SUB + ",subscription,")
                .endsWith(",364");
        // Left empty: every license that can end.
        browser.typeInto("withinDays", "");
        assertThat(Files.readString(browser.download("download-licenses-by-expiry")).lines().toList()).isEqualTo(year);

        List<String> consumption = Files.readString(browser.download("download-pak-consumption")).lines().toList();
        assertThat(consumption).hasSize(5);
        assertThat(consumption.get(0)).isEqualTo("account_id,pak_code,created_at,line_no,sku,quantity,consumed,remaining,percent_consumed");
        assertThat(consumption.subList(1, 5)).allSatisfy(line -> assertThat(line).startsWith(id + "," + my.pak().code().value() + ","));
        // After account_id, pak_code and created_at: line_no, sku, quantity, consumed, remaining, percent_consumed.
        assertThat(consumption.subList(1, 5).stream().map(line -> String.join(",", List.of(line.split(",")).subList(3, 9))))
                .containsExactly("1," + ISR_SEC + ",1,1,0,100", "2," + C1111_SEC + ",4,3,1,75", "3," + SUB + ",1,1,0,100",
                        "4," + ISR_UC + ",2,1,1,50");

        List<String> byDevice = Files.readString(browser.download("download-licenses-by-device")).lines().toList();
        assertThat(byDevice).hasSize(6).anySatisfy(line -> assertThat(line).startsWith(id + ",\"" + my.isr1() + "\",ISR4331/K9,")
                .contains(",no,2,adventerprise securityk9,"));
        assertThat(String.join("\n", byDevice)).doesNotContain(my.foreignUdi());
    }

    @Test
    void aPersonOfAnotherAccountSeesOnlyItsOwnLicensesAndReports() throws Exception {
        Holdings my = holdings;
        signIn(newPortalUser(my.other(), "ACCOUNT_ADMIN"));
        browser.open("licenses.html");
        assertThat(ids()).containsExactly(my.foreign());
        browser.open("licenses.html?udiPrefix=" + enc(my.c1111s().get(0)));
        assertThat(ids()).isEmpty();
        browser.open("licenses.html?feature=adventerprise");
        assertThat(ids()).isEmpty();
        browser.open("reports.html");
        String csv = Files.readString(browser.download("download-licenses-by-feature"));
        assertThat(csv).contains(my.other().id()).doesNotContain(my.account().id());
    }

    // ---- helpers ----

    private void signIn(PortalUser user) {
        browser.signIn(user.email(), user.password());
    }

    private List<String> ids() {
        return browser.rows("licenses").stream().map(row -> row.get(0)).toList();
    }

    private List<String> row(String licenseId) {
        return browser.rows("licenses").stream().filter(row -> row.get(0).equals(licenseId)).findFirst()
                .orElseThrow(() -> new AssertionError("no row for " + licenseId));
    }

    /** Waits until the table shows exactly these licenses (a search loads after the click). */
    private void awaitIds(List<String> expected) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> assertThat(ids()).containsExactlyInAnyOrderElementsOf(expected));
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private String baseUrl() {
        return "http://localhost:" + port;
    }
}
