package io.nodelock.portal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.nodelock.licensefile.FileVerification;
import io.nodelock.licensefile.LicenseFile;
import io.nodelock.licensefile.LicenseVerifier;
import io.nodelock.licensefile.PublicKeyInfo;
import io.nodelock.licensefile.Udi;
import io.nodelock.pak.Pak;
import io.nodelock.pak.PakService.NewLine;
import io.nodelock.support.PortalBrowser;
import io.nodelock.support.ServiceIT;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The portal's bulk fulfillment in headless Chromium, as a customer uses it: upload a CSV of devices, have a bad
 * upload refused with its line named and nothing of the form lost, then watch the progress bar of the accepted bulk
 * climb to 100 % while bad rows are refused on their own, and download the archive of license files.
 */
class PortalBulkBrowserIT extends ServiceIT {

    private static final String SEC = "FL-C1111-SEC-K9";
    /**
     * Good rows of the bulk. Enough that it runs for several seconds (batches of nodelock.bulk.batch-size, 100, each
     * moving the bar once) while the page asks once a second: the test must see the bar between 0 and 100. Setting a
     * smaller batch size would need an application context, and so an engine, of this class's own in the shared test
     * JVM, which the engine's REST API does not allow (see pom.xml, execution own-engine).
     */
    private static final int GOOD = 2400;

    @RegisterExtension
    final PortalBrowser browser = new PortalBrowser(this::baseUrl);

    @TempDir
    Path files;

    @Test
    void aBulkUploadedInThePortalRunsWithALiveProgressBarAndItsArchiveHoldsASignedFilePerGoodDevice() throws Exception {
        TestAccount account = newCustomer();
        TestAccount other = newCustomer();
        PortalUser user = newPortalUser(account, "ACCOUNT_USER");
        Pak pak = newPak(account, new NewLine(SEC, GOOD + 10));

        // Good rows, and three bad ones among them that only the run can refuse, each on its own.
        List<String> good = new ArrayList<>();
        Map<Integer, String> bad = new LinkedHashMap<>();
        String unknownProduct = "PID:NOPE-9000,SN:" + randomSerial();
        String otherProduct = "PID:ISR4331/K9,SN:" + randomSerial();
        String theirs = "PID:C1111-4P,SN:" + randomSerial();
        ship(other, theirs);
        StringBuilder csv = new StringBuilder("udi,sku\n");
        int line = 1;
        for (int i = 0; i < GOOD; i++) {
            String badUdi = i == 3 ? unknownProduct : i == GOOD / 2 ? otherProduct : i == GOOD - 5 ? theirs : null;
            if (badUdi != null) {
                bad.put(++line, badUdi);
                csv.append('"').append(badUdi).append("\",").append(SEC).append('\n');
            }
            String udi = "PID:C1111-4P,SN:" + randomSerial();
            good.add(udi);
            // Quoted and unquoted UDIs, as spreadsheets write them.
            csv.append(i % 2 == 0 ? "\"" + udi + "\"" : udi).append(',').append(SEC).append('\n');
            line++;
        }
        int total = GOOD + bad.size();
        Path upload = Files.writeString(files.resolve("devices.csv"), csv);
        // The same file with its fourth line broken (a UDI without a serial number): refused whole, naming the line.
        List<String> lines = new ArrayList<>(csv.toString().lines().toList());
        lines.set(3, "PID:C1111-4P,SN:," + SEC);
        Path broken = Files.writeString(files.resolve("devices-broken.csv"), String.join("\n", lines) + "\n");

        browser.signIn(user.email(), user.password());
        assertThat(browser.navigation()).contains("Bulk");
        browser.open("bulk.html");
        assertThat(browser.inputValue("bulk-email")).as("the person's address to start with").isEqualTo(user.email());
        browser.typeInto("bulk-pak", pak.code().formatted()).attach("bulk-file", broken).click("bulk-eula").click("bulk-submit");
        String refusal = browser.awaitAlert();
        assertThat(refusal).contains("Not started").contains("line 4");
        browser.screenshot("bulk-upload-refused");
        assertThat(browser.currentUrl()).contains("bulk.html");
        assertThat(browser.inputValue("bulk-pak")).as("nothing of the form is lost").isEqualTo(pak.code().formatted());
        assertThat(browser.inputValue("bulk-email")).isEqualTo(user.email());
        assertThat(browser.inputValue("bulk-file")).endsWith("devices-broken.csv");
        assertThat(jdbc.queryForObject("select count(*) from bulk_fulfillment where account_id = ?", Integer.class, account.id())).isZero();

        // The corrected file, and the bulk runs.
        browser.attach("bulk-file", upload).click("bulk-submit");
        await().atMost(Duration.ofSeconds(30)).until(() -> browser.currentUrl().contains("bulk-run.html?id="));
        String bulkId = browser.currentUrl().replaceAll(".*[?&]id=([0-9a-f-]{36}).*", "$1");

        // Watch the bar: every value it shows, from the page's first answer (before it, the bar has no value) until 100.
        List<Integer> seen = new ArrayList<>();
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(50)).until(() -> {
            String now = browser.attribute("#progress", "aria-valuenow");
            if (now == null || !"progressbar".equals(browser.attribute("#progress", "role"))) {
                return false;
            }
            int value = Integer.parseInt(now);
            if (seen.isEmpty() || seen.get(seen.size() - 1) != value) {
                seen.add(value);
                if (value > 0 && value < 100 && seen.stream().noneMatch(v -> v > 0 && v < value)) {
                    browser.screenshot("bulk-running");
                }
            }
            return value == 100 && "COMPLETED".equals(browser.shownStatus());
        });
        System.out.println("PortalBulkBrowserIT: the progress bar showed " + seen + " (" + total + " rows)");
        assertThat(seen).as("never goes back").isSortedAccordingTo(Integer::compare);
        assertThat(seen.get(0)).as("the first value seen, before the end").isLessThan(100);
        assertThat(seen).as("a value on the way").anySatisfy(v -> assertThat(v).isStrictlyBetween(0, 100));
        assertThat(seen.get(seen.size() - 1)).isEqualTo(100);
        assertThat(browser.attribute("#progress", "aria-valuemin")).isEqualTo("0");
        assertThat(browser.attribute("#progress", "aria-valuemax")).isEqualTo("100");
        browser.awaitStatus("COMPLETED");
        browser.screenshot("bulk-completed");
        assertThat(browser.text()).contains("%,d of %,d rows (100 %%)".formatted(total, total)).contains("rows/s").contains("complete");

        // The refused rows, with their lines and codes, and the good ones went on.
        List<List<String>> refused = browser.rows("refused");
        assertThat(refused).hasSize(3);
        List<Integer> badLines = new ArrayList<>(bad.keySet());
        assertThat(refused).extracting(r -> r.get(0)).containsExactly(badLines.stream().map(String::valueOf).toArray(String[]::new));
        assertThat(refused).extracting(r -> r.get(3))
                .containsExactly("UDI_NOT_VALID_FOR_SKU", "UDI_NOT_VALID_FOR_SKU", "DEVICE_OF_ANOTHER_ACCOUNT");
        assertThat(refused.get(0).get(1)).isEqualTo(unknownProduct);
        assertThat(refused.get(2).get(4)).contains("registered to another account");
        JsonNode view = get("/api/v1/bulk-fulfillments/" + bulkId, account.token()).body();
        assertThat(view.path("counts").toString())
                .isEqualTo("{\"total\":%d,\"issued\":%d,\"refused\":3,\"pending\":0}".formatted(total, GOOD));

        // The archive: one signed file per good device, and every row's outcome, the refused ones with their code.
        Map<String, byte[]> archive = unzip(Files.readAllBytes(browser.download("download-archive")));
        assertThat(archive).hasSize(GOOD + 1).containsKey("outcomes.csv");
        for (String udi : good) {
            assertThat(archive).containsKey(Udi.parse(udi).fileStem() + ".lic");
        }
        List<PublicKeyInfo> published = new ArrayList<>();
        get("/api/v1/keys", null).body().path("keys").forEach(k -> published.add(PublicKeyInfo.fromPem(k.path("pem").asText())));
        LicenseVerifier verifier = new LicenseVerifier(published);
        for (String udi : List.of(good.get(0), good.get(GOOD / 2), good.get(GOOD - 1))) {
            String file = new String(archive.get(Udi.parse(udi).fileStem() + ".lic"), StandardCharsets.UTF_8);
            FileVerification verification = verifier.verifyFile(file, Udi.parse(udi), Instant.now());
            assertThat(verification.allOk()).as(udi + ": " + verification).isTrue();
            assertThat(LicenseFile.parse(file).lines()).singleElement().satisfies(l -> {
                assertThat(l.feature()).isEqualTo("securityk9");
                assertThat(l.udi().binding()).isEqualTo(Udi.parse(udi).binding());
            });
        }
        String outcomes = new String(archive.get("outcomes.csv"), StandardCharsets.UTF_8);
        List<String> rows = outcomes.lines().toList();
        assertThat(rows).hasSize(total + 1);
        assertThat(rows.get(0)).isEqualTo("row,line,udi,sku,status,code,message,license_ids,file");
        assertThat(rows.stream().skip(1).filter(r -> r.contains(",ISSUED,"))).hasSize(GOOD);
        for (Map.Entry<Integer, String> b : bad.entrySet()) {
            assertThat(rows).anySatisfy(r -> assertThat(r).contains("," + b.getKey() + ",\"" + Udi.parse(b.getValue()).binding() + "\","
                    + SEC + ",REFUSED,"));
        }
        assertThat(rows).filteredOn(r -> r.contains(",REFUSED,")).extracting(r -> r.split(",REFUSED,")[1].split(",")[0])
                .containsExactly("UDI_NOT_VALID_FOR_SKU", "UDI_NOT_VALID_FOR_SKU", "DEVICE_OF_ANOTHER_ACCOUNT");
        assertThat(Files.readString(browser.download("download-outcomes"))).isEqualTo(outcomes);

        // The list shows the bulk complete; a viewer of the account reads it but is offered no upload.
        browser.open("bulk.html");
        assertThat(browser.rows("bulks")).singleElement().satisfies(r -> assertThat(r)
                .contains("Bulk " + bulkId.substring(0, 8), pak.code().formatted(), "COMPLETED", "%,d".formatted(total), "100 %"));
        PortalUser viewer = newPortalUser(account, "ACCOUNT_VIEWER");
        try (PortalBrowser viewing = new PortalBrowser(this::baseUrl)) {
            viewing.signIn(viewer.email(), viewer.password());
            assertThat(viewing.navigation()).contains("Bulk");
            viewing.open("bulk.html");
            assertThat(viewing.rows("bulks")).singleElement().satisfies(r -> assertThat(r).contains("COMPLETED"));
            assertThat(viewing.text()).doesNotContain("Start a bulk fulfillment");
            viewing.open("bulk-run.html?id=" + bulkId).awaitStatus("COMPLETED");
            assertThat(viewing.attribute("#progress", "aria-valuenow")).isEqualTo("100");
        }
    }

    private static Map<String, byte[]> unzip(byte[] zip) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                entries.put(entry.getName(), in.readAllBytes());
            }
        }
        return entries;
    }

    private String baseUrl() {
        return "http://localhost:" + port;
    }
}
