package io.nodelock.devicetool;

import static io.nodelock.devicetool.Cli.DEV1;
import static org.assertj.core.api.Assertions.assertThat;

import io.nodelock.devicetool.LicenseStatus.State;
import io.nodelock.licensefile.LicenseLine;
import io.nodelock.licensefile.LicenseType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sealed persistence storage: what a software-only device detects, and the limit it documents. */
class DeviceToolTamperTest {

    @TempDir
    Path tmp;
    Cli cli;
    Path dev;
    LicenseLine eval;
    LicenseLine perm;

    @BeforeEach
    void setUp() {
        cli = new Cli(tmp);
        dev = tmp.resolve("dev1");
        ok(cli.init("dev1", DEV1));
        eval = cli.sign(cli.line("uck9", DEV1, LicenseType.EVALUATION));
        perm = cli.permanent("securityk9", DEV1);
        ok(cli.on("dev1", "license", "install", cli.file("l.lic", eval, perm).toString()));
        ok(cli.on("dev1", "license", "accept", "end", "user", "agreement"));
        ok(cli.on("dev1", "device", "run", "--days", "20"));
        assertThat(snap().license(eval.licenseId()).orElseThrow().usedDays()).isEqualTo(21);
    }

    private Snapshot snap() {
        return SimulatedDevice.open(dev, cli.clock).snapshot();
    }

    private static Cli.Result ok(Cli.Result r) {
        assertThat(r.exit()).as(r.toString()).isZero();
        return r;
    }

    private Cli.Result tampered(Cli.Result r, String detail) {
        assertThat(r.exit()).as(r.toString()).isEqualTo(1);
        assertThat(r.err()).as(r.toString()).contains("error: persistence storage tampered", detail);
        return r;
    }

    /** After tampering: history-dependent lines are off for good, the image's ipbase stays, changes are refused. */
    private void assertTamperedMode() {
        Snapshot s = snap();
        assertThat(s.tampered()).isNotNull();
        assertThat(s.license(eval.licenseId()).orElseThrow().state()).isEqualTo(State.TAMPERED);
        assertThat(s.license(perm.licenseId()).orElseThrow().state()).isEqualTo(State.TAMPERED);
        assertThat(s.enabled("uck9")).isFalse();
        assertThat(s.enabled("securityk9")).isFalse();
        assertThat(s.enabled("ipbase")).isTrue();
        Cli.Result show = tampered(cli.on("dev1", "show", "license"), "detected");
        assertThat(show.out()).contains("WARNING: persistence storage tampered", "Disabled, persistence storage");
        tampered(cli.on("dev1", "license", "install", tmp.resolve("l.lic").toString()), "refuses license changes");
        tampered(cli.on("dev1", "device", "run", "--days", "1"), "refuses license changes");
        assertThat(ok2(cli.on("dev1", "show", "license", "history")).out()).contains("tamper");
    }

    private static Cli.Result ok2(Cli.Result r) {
        // Read-only commands still print their answer before the tamper error.
        assertThat(r.out()).isNotEmpty();
        return r;
    }

    @Test
    void droppingTheTailOfTheLogIsDetectedAndStaysDetected() throws IOException {
        Path log = dev.resolve(PersistenceStorage.FILE);
        List<String> rows = Files.readAllLines(log);
        // Roll back the days of use: keep everything before the first "use" entry of the run.
        int firstRunUse = rows.indexOf(rows.stream().filter(r -> r.contains(" run ")).findFirst().orElseThrow());
        Files.write(log, rows.subList(0, firstRunUse));

        tampered(cli.on("dev1", "show", "license", "feature"), "entries were removed");
        assertTamperedMode();
        // Sticky: the next commands are still in tampered mode, though the log and seal now agree again.
        cli.clock.advance(Duration.ofDays(1));
        tampered(cli.on("dev1", "show", "license", "udi"), "entries were removed");
        assertTamperedMode();
    }

    @Test
    void deletingTheClockFileIsDetected() throws IOException {
        Files.delete(dev.resolve(SimulatedDevice.CLOCK));
        tampered(cli.on("dev1", "show", "license"), SimulatedDevice.CLOCK + " is missing");
        assertTamperedMode();
    }

    @Test
    void editingTheClockFileBackIsDetectedAndDoesNotHideARollback() throws IOException {
        Path clock = dev.resolve(SimulatedDevice.CLOCK);
        Files.writeString(clock, "last-seen=2026-01-01T00:00:00Z\n");
        cli.clock.advance(Duration.ofDays(-30));
        tampered(cli.on("dev1", "show", "license"), "the seal says");
        // The sealed last-seen time still counts: the clock went back.
        assertThat(snap().clockSuspect()).isTrue();
        assertTamperedMode();
    }

    @Test
    void deletingOrForgingTheSealIsDetected() throws IOException {
        Path seal = dev.resolve(Seal.FILE);
        String text = Files.readString(seal);
        Files.writeString(seal, text.replaceFirst("entries=[0-9]+", "entries=3"));
        tampered(cli.on("dev1", "show", "license"), "not signed by this device's key");
        assertTamperedMode();

        Files.delete(seal);
        tampered(cli.on("dev1", "show", "license"), Seal.FILE + " is missing");
        assertTamperedMode();
    }

    @Test
    void anUntouchedDeviceIsNeverReportedTampered() {
        cli.clock.advance(Duration.ofDays(2));
        for (int i = 0; i < 3; i++) {
            ok(cli.on("dev1", "show", "license"));
            ok(cli.on("dev1", "license", "comment", "add", "uck9", "note", String.valueOf(i)));
        }
        assertThat(snap().tampered()).isNull();
        assertThat(snap().enabled("uck9")).isTrue();
    }

    /**
     * The documented limit: whoever copies the whole state folder (device key included) and puts it back later
     * rolls back to that snapshot undetected. This test pins the limit so docs/device-tool.md stays true.
     */
    @Test
    void restoringACompleteOlderCopyOfTheFolderIsNotDetectable() throws IOException {
        Path copy = tmp.resolve("copy");
        copyTree(dev, copy);
        ok(cli.on("dev1", "device", "run", "--days", "30"));
        assertThat(snap().license(eval.licenseId()).orElseThrow().usedDays()).isEqualTo(51);
        deleteTree(dev);
        copyTree(copy, dev);
        ok(cli.on("dev1", "show", "license"));
        assertThat(snap().license(eval.licenseId()).orElseThrow().usedDays()).isEqualTo(21);
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> all = Files.walk(from)) {
            for (Path p : all.toList()) {
                Files.copy(p, to.resolve(from.relativize(p).toString()));
            }
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
