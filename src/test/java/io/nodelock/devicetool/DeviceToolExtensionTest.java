package io.nodelock.devicetool;

import static io.nodelock.devicetool.Cli.DEV1;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nodelock.devicetool.LicenseStatus.State;
import io.nodelock.devicetool.SimulatedDevice.InstallResult;
import io.nodelock.licensefile.LicenseLine;
import io.nodelock.licensefile.LicenseType;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The customer story "evaluation, then a TAC-approved extension" on the device: securityk9 runs on an evaluation
 * line until its days of use are used, stops, and runs again on an extension line for exactly the extension's days
 * of use. Also the order of a feature's countdown lines when the extension arrives while the evaluation still has
 * days left. Through the API (calendar days and {@code run}) and through the command line ({@code --now},
 * {@code device run}).
 */
class DeviceToolExtensionTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant DAY_1 = Instant.parse("2027-01-01T09:00:00Z");
    private static final String FEATURE = "securityk9";

    @TempDir
    Path tmp;
    Cli cli;
    Path dev;
    LicenseLine eval;
    LicenseLine ext;

    @BeforeEach
    void setUp() {
        cli = new Cli(tmp);
        dev = tmp.resolve("dev1");
        eval = cli.sign(cli.line(FEATURE, DEV1, LicenseType.EVALUATION).usageDays(3));
        ext = cli.sign(cli.line(FEATURE, DEV1, LicenseType.EXTENSION).usageDays(5)
                .issuedAt(Instant.parse("2026-12-20T00:00:00Z")));
    }

    // ------------------------------------------------------------------ API

    /** Opens the device at 09:00 UTC of the given day of the story (day 1 = 2027-01-01). */
    private SimulatedDevice day(int n) {
        cli.clock.set(DAY_1.plus(Duration.ofDays(n - 1)));
        return SimulatedDevice.open(dev, cli.clock);
    }

    private void initDevice() {
        cli.clock.set(DAY_1);
        SimulatedDevice.init(dev, DEV1, cli.clock, List.of(Cli.SERVICE.publicKey()));
    }

    private static void installed(List<InstallResult> results) {
        assertThat(results).as(results.toString()).isNotEmpty().noneMatch(InstallResult::rejected);
    }

    private static LicenseStatus line(Snapshot s, LicenseLine l) {
        return s.license(l.licenseId()).orElseThrow();
    }

    private static String providedBy(Snapshot s) {
        return s.feature(FEATURE).orElseThrow().providedBy();
    }

    private long daysCounted(SimulatedDevice d, LicenseLine l) {
        return d.history().stream().filter(e -> e.event().equals("use"))
                .filter(e -> l.licenseId().equals(e.get("license"))).count();
    }

    @Test
    void evaluationUsedUpThenTheExtensionRunsForExactlyItsDaysOfUse() {
        initDevice();
        Path evalFile = cli.file("eval.lic", eval);
        installed(day(1).install(evalFile));
        assertThat(day(1).acceptEula()).isTrue();

        // Days 1-3: the evaluation, one day of use each, in use the whole of each day (day 3 too).
        for (int n = 1; n <= 3; n++) {
            Snapshot s = day(n).snapshot();
            assertThat(s.enabled(FEATURE)).as("day " + n).isTrue();
            assertThat(providedBy(s)).as("day " + n).isEqualTo(eval.licenseId());
            assertThat(line(s, eval).state()).as("day " + n).isEqualTo(State.ACTIVE);
            assertThat(line(s, eval).usedDays()).as("day " + n).isEqualTo(n);
        }
        cli.clock.set(Instant.parse("2027-01-03T23:59:59Z"));
        Snapshot lastMoment = SimulatedDevice.open(dev, cli.clock).snapshot();
        assertThat(lastMoment.enabled(FEATURE)).as("the last second of the last day of use").isTrue();
        assertThat(line(lastMoment, eval).daysLeft()).isZero();

        // Day 4: used up, the feature stops, and show says why.
        Snapshot stopped = day(4).snapshot();
        assertThat(stopped.enabled(FEATURE)).isFalse();
        assertThat(providedBy(stopped)).isNull();
        LicenseStatus usedUp = line(stopped, eval);
        assertThat(usedUp.state()).isEqualTo(State.EXPIRED);
        assertThat(usedUp.inUse()).isFalse();
        assertThat(usedUp.usedDays()).isEqualTo(3);
        assertThat(usedUp.reason()).isEqualTo("all 3 days of use are used");
        // The image's emergency license was never asked for (license boot level securityk9), so it does not step in.
        assertThat(stopped.license(UniversalImage.builtInId(FEATURE)).orElseThrow().usedDays()).isZero();

        // Day 4: TAC's extension arrives; its countdown starts now, at its first day in use.
        SimulatedDevice d4 = day(4);
        installed(d4.install(cli.file("ext.lic", ext)));
        Snapshot extended = d4.snapshot();
        assertThat(extended.enabled(FEATURE)).isTrue();
        assertThat(providedBy(extended)).isEqualTo(ext.licenseId());
        assertThat(line(extended, ext).usedDays()).isEqualTo(1);
        assertThat(line(extended, eval).state()).isEqualTo(State.EXPIRED);

        // Days 5-8: the extension's days 2-5; the used-up evaluation is not revived and counts nothing.
        for (int n = 5; n <= 8; n++) {
            Snapshot s = day(n).snapshot();
            assertThat(s.enabled(FEATURE)).as("day " + n).isTrue();
            assertThat(providedBy(s)).as("day " + n).isEqualTo(ext.licenseId());
            assertThat(line(s, ext).usedDays()).as("day " + n).isEqualTo(n - 3);
            assertThat(line(s, eval).state()).as("day " + n).isEqualTo(State.EXPIRED);
            assertThat(line(s, eval).usedDays()).as("day " + n).isEqualTo(3);
        }

        // Day 9: the extension is used up too; the feature stops again.
        SimulatedDevice d9 = day(9);
        Snapshot end = d9.snapshot();
        assertThat(end.enabled(FEATURE)).isFalse();
        assertThat(line(end, ext).state()).isEqualTo(State.EXPIRED);
        assertThat(line(end, ext).reason()).isEqualTo("all 5 days of use are used");
        assertThat(line(end, ext).usedDays()).isEqualTo(5);
        assertThat(daysCounted(d9, eval)).isEqualTo(3);
        assertThat(daysCounted(d9, ext)).isEqualTo(5);

        // Neither reinstalling nor clearing and reinstalling revives the evaluation: its days are in the history.
        assertThat(d9.install(evalFile)).singleElement().extracting(InstallResult::outcome)
                .isEqualTo(InstallResult.Outcome.ALREADY_INSTALLED);
        assertThat(d9.clear(FEATURE)).containsExactlyInAnyOrder(eval.licenseId(), ext.licenseId());
        installed(day(10).install(evalFile));
        Snapshot after = day(10).snapshot();
        assertThat(line(after, eval).state()).isEqualTo(State.EXPIRED);
        assertThat(line(after, eval).usedDays()).isEqualTo(3);
        assertThat(after.enabled(FEATURE)).isFalse();
    }

    @Test
    void anExtensionInstalledWhileTheEvaluationHasDaysLeftStartsWhenTheEvaluationIsUsedUp() {
        initDevice();
        installed(day(1).install(cli.file("eval.lic", eval)));
        day(1).acceptEula();

        SimulatedDevice d2 = day(2);
        installed(d2.install(cli.file("ext.lic", ext)));
        Snapshot waiting = d2.snapshot();
        assertThat(providedBy(waiting)).isEqualTo(eval.licenseId());
        LicenseStatus extWaiting = line(waiting, ext);
        assertThat(extWaiting.state()).isEqualTo(State.ACTIVE);
        assertThat(extWaiting.inUse()).isFalse();
        assertThat(extWaiting.usedDays()).isZero();
        assertThat(extWaiting.reason()).contains("waits", eval.licenseId());

        Snapshot d3 = day(3).snapshot();
        assertThat(providedBy(d3)).isEqualTo(eval.licenseId());
        assertThat(line(d3, eval).usedDays()).isEqualTo(3);
        assertThat(line(d3, ext).usedDays()).isZero();

        for (int n = 4; n <= 8; n++) {
            Snapshot s = day(n).snapshot();
            assertThat(providedBy(s)).as("day " + n).isEqualTo(ext.licenseId());
            assertThat(line(s, ext).usedDays()).as("day " + n).isEqualTo(n - 3);
            assertThat(line(s, eval).state()).as("day " + n).isEqualTo(State.EXPIRED);
        }
        SimulatedDevice d9 = day(9);
        assertThat(d9.snapshot().enabled(FEATURE)).isFalse();
        // Eight days of use in all, none counted twice.
        assertThat(daysCounted(d9, eval)).isEqualTo(3);
        assertThat(daysCounted(d9, ext)).isEqualTo(5);
    }

    @Test
    void theLineWithFewerDaysLeftGoesFirstWhateverTheOrderInTheFile() {
        initDevice();
        // The extension comes first in the file (and in the license storage); the evaluation still goes first.
        SimulatedDevice d = day(1);
        installed(d.install(cli.file("both.lic", ext, eval)));
        d.acceptEula();
        Snapshot s = day(1).snapshot();
        assertThat(providedBy(s)).isEqualTo(eval.licenseId());
        assertThat(line(s, ext).usedDays()).isZero();

        // One device run hands over from the used-up evaluation to the extension on the next day of uptime.
        SimulatedDevice run = day(1);
        run.run(2);
        Snapshot evalDone = run.snapshot();
        assertThat(line(evalDone, eval).state()).isEqualTo(State.EXPIRED);
        assertThat(providedBy(evalDone)).isEqualTo(ext.licenseId());
        run.run(6);
        Snapshot done = run.snapshot();
        assertThat(done.enabled(FEATURE)).isFalse();
        assertThat(line(done, eval).usedDays()).isEqualTo(3);
        assertThat(line(done, ext).usedDays()).isEqualTo(5);
        assertThat(line(done, ext).state()).isEqualTo(State.EXPIRED);
    }

    @Test
    void aShorterLineInstalledLaterRunsFromTheNextDayAndTheLongerOneResumesAfterIt() {
        initDevice();
        LicenseLine longEval = cli.sign(cli.line(FEATURE, DEV1, LicenseType.EVALUATION).usageDays(30));
        installed(day(1).install(cli.file("long.lic", longEval)));
        day(1).acceptEula();

        // Day 2: the evaluation has counted today, so it keeps today; the 5-day extension starts tomorrow.
        SimulatedDevice d2 = day(2);
        installed(d2.install(cli.file("ext.lic", ext)));
        assertThat(providedBy(d2.snapshot())).isEqualTo(longEval.licenseId());
        assertThat(line(d2.snapshot(), ext).usedDays()).isZero();

        // Days 3-7: 5 days left is fewer than 28, so the extension runs and the evaluation waits, keeping its days.
        for (int n = 3; n <= 7; n++) {
            Snapshot s = day(n).snapshot();
            assertThat(providedBy(s)).as("day " + n).isEqualTo(ext.licenseId());
            LicenseStatus paused = line(s, longEval);
            assertThat(paused.state()).as("day " + n).isEqualTo(State.ACTIVE);
            assertThat(paused.inUse()).as("day " + n).isFalse();
            assertThat(paused.usedDays()).as("day " + n).isEqualTo(2);
        }
        Snapshot d8 = day(8).snapshot();
        assertThat(providedBy(d8)).isEqualTo(longEval.licenseId());
        assertThat(line(d8, longEval).usedDays()).isEqualTo(3);
        assertThat(line(d8, ext).state()).isEqualTo(State.EXPIRED);
    }

    // ------------------------------------------------------------------ command line

    private Cli.Result ok(Cli.Result r) {
        assertThat(r.exit()).as(r.toString()).isZero();
        return r;
    }

    /** Runs a command on dev1 at 09:00 UTC of the given day, the clock set with the tool's own --now. */
    private Cli.Result onDay(int n, String... args) {
        String[] all = new String[args.length + 2];
        all[0] = "--now";
        all[1] = DAY_1.plus(Duration.ofDays(n - 1)).toString();
        System.arraycopy(args, 0, all, 2, args.length);
        return ok(cli.on("dev1", all));
    }

    /** The block {@code show license} prints for one license id, from its "Index" row to the next. */
    private static String block(String showLicense, String licenseId) {
        String[] blocks = showLicense.split("(?m)^(?=Index )");
        for (String b : blocks) {
            if (b.contains("License Id: " + licenseId + "\n")) {
                return b;
            }
        }
        throw new AssertionError("no " + licenseId + " in\n" + showLicense);
    }

    private static JsonNode json(Cli.Result r, String licenseId) throws Exception {
        for (JsonNode l : JSON.readTree(r.out()).path("licenses")) {
            if (l.path("licenseId").asText().equals(licenseId)) {
                return l;
            }
        }
        throw new AssertionError("no " + licenseId + " in\n" + r.out());
    }

    private static JsonNode feature(Cli.Result r) throws Exception {
        for (JsonNode f : JSON.readTree(r.out()).path("features")) {
            if (f.path("feature").asText().equals(FEATURE)) {
                return f;
            }
        }
        throw new AssertionError("no " + FEATURE + " in\n" + r.out());
    }

    @Test
    void theStoryOnTheCommandLine() throws Exception {
        ok(cli.init("dev1", DEV1));
        Path evalFile = cli.file("eval.lic", eval);
        Path extFile = cli.file("ext.lic", ext);
        assertThat(onDay(1, "license", "install", evalFile.toString()).out())
                .contains("installed " + eval.licenseId() + " (securityk9, evaluation)");
        onDay(1, "license", "accept", "end", "user", "agreement");
        onDay(2, "show", "license");

        String lastDay = block(onDay(3, "show", "license").out(), eval.licenseId());
        assertThat(lastDay).contains("License Type: Evaluation", "License State: Active, In Use (last day of use",
                "Period left: 0 of 3 days of use left");

        // Day 4: used up; the feature is off and show says why.
        String usedUp = block(onDay(4, "show", "license").out(), eval.licenseId());
        assertThat(usedUp).contains("License State: Expired (all 3 days of use are used)",
                "Period left: 0 of 3 days of use left");
        assertThat(onDay(4, "show", "license", "feature").out()).containsPattern("securityk9\\s+addon\\s+no\\s+-");
        JsonNode off = feature(onDay(4, "show", "license", "feature", "--json"));
        assertThat(off.path("enabled").asBoolean()).isFalse();

        // The extension, installed on day 4, runs from day 4 on.
        assertThat(onDay(4, "license", "install", extFile.toString()).out())
                .contains("installed " + ext.licenseId() + " (securityk9, extension)");
        Cli.Result show = onDay(4, "show", "license");
        assertThat(block(show.out(), ext.licenseId())).contains("License Type: Extension",
                "License State: Active, In Use", "Period left: 4 of 5 days of use left");
        assertThat(block(show.out(), eval.licenseId())).contains("License State: Expired (all 3 days of use are used)");
        assertThat(onDay(4, "show", "license", "feature").out())
                .containsPattern("securityk9\\s+addon\\s+yes\\s+" + ext.licenseId());
        JsonNode extJson = json(onDay(4, "show", "license", "--json"), ext.licenseId());
        assertThat(extJson.path("state").asText()).isEqualTo("ACTIVE");
        assertThat(extJson.path("inUse").asBoolean()).isTrue();
        assertThat(extJson.path("usedDays").asInt()).isEqualTo(1);
        assertThat(extJson.path("daysLeft").asInt()).isEqualTo(4);

        // Four more days of uptime use the extension up; the evaluation stays used up throughout.
        onDay(4, "device", "run", "--days", "3");
        assertThat(block(onDay(4, "show", "license").out(), ext.licenseId()))
                .contains("License State: Active, In Use", "Period left: 1 of 5 days of use left");
        onDay(4, "device", "run", "--days", "1");
        Cli.Result end = onDay(4, "show", "license", "detail", FEATURE);
        assertThat(end.out()).contains("Feature: securityk9, not enabled");
        assertThat(block(end.out(), ext.licenseId())).contains("License State: Expired (all 5 days of use are used)",
                "Days of use: 5 used of 5");
        assertThat(block(end.out(), eval.licenseId())).contains("License State: Expired (all 3 days of use are used)",
                "Days of use: 3 used of 3");
        assertThat(feature(onDay(5, "show", "license", "feature", "--json")).path("enabled").asBoolean()).isFalse();
        assertThat(json(onDay(5, "show", "license", "--json"), eval.licenseId()).path("usedDays").asInt())
                .isEqualTo(3);
    }

    @Test
    void anExtensionInstalledEarlyWaitsOnTheCommandLine() throws Exception {
        ok(cli.init("dev1", DEV1));
        onDay(1, "license", "install", cli.file("eval.lic", eval).toString());
        onDay(1, "license", "accept", "end", "user", "agreement");
        onDay(2, "license", "install", cli.file("ext.lic", ext).toString());

        Cli.Result show = onDay(2, "show", "license");
        assertThat(block(show.out(), eval.licenseId())).contains("License State: Active, In Use",
                "Period left: 1 of 3 days of use left");
        assertThat(block(show.out(), ext.licenseId())).contains(
                "License State: Active, Not in Use (waits: " + eval.licenseId(), "Period left: 5 of 5 days of use left");

        // Seven days of uptime: the evaluation's last day, then the extension's five; one more day finds nothing.
        onDay(2, "device", "run", "--days", "7");
        JsonNode f = feature(onDay(2, "show", "license", "feature", "--json"));
        assertThat(f.path("enabled").asBoolean()).as(f.toString()).isFalse();
        Cli.Result json = onDay(2, "show", "license", "--json");
        assertThat(json(json, eval.licenseId()).path("usedDays").asInt()).isEqualTo(3);
        assertThat(json(json, ext.licenseId()).path("usedDays").asInt()).isEqualTo(5);
        assertThat(json(json, ext.licenseId()).path("state").asText()).isEqualTo("EXPIRED");
    }
}
