package io.nodelock.devicetool;

import static io.nodelock.devicetool.Cli.DEV1;
import static io.nodelock.devicetool.Cli.DEV2;
import static org.assertj.core.api.Assertions.assertThat;

import io.nodelock.devicetool.LicenseStatus.State;
import io.nodelock.licensefile.DeviceCredential;
import io.nodelock.licensefile.LicenseFile;
import io.nodelock.licensefile.LicenseLine;
import io.nodelock.licensefile.LicenseSigner;
import io.nodelock.licensefile.LicenseType;
import io.nodelock.licensefile.PermissionTicket;
import io.nodelock.licensefile.RehostTicket;
import io.nodelock.licensefile.SigningKey;
import io.nodelock.licensefile.TicketSigner;
import io.nodelock.licensefile.TicketVerifier;
import io.nodelock.licensefile.Udi;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeviceToolTest {

    @TempDir
    Path tmp;
    Cli cli;

    @BeforeEach
    void setUp() {
        cli = new Cli(tmp);
    }

    private Snapshot snap(String device) {
        return SimulatedDevice.open(tmp.resolve(device), cli.clock).snapshot();
    }

    private Cli.Result ok(Cli.Result r) {
        assertThat(r.exit()).as(r.toString()).isZero();
        return r;
    }

    private Cli.Result fails(Cli.Result r, String message) {
        assertThat(r.exit()).as(r.toString()).isNotZero();
        assertThat(r.err().strip()).as(r.toString()).startsWith("error: ").contains(message);
        return r;
    }

    private static int errorLines(Cli.Result r) {
        return (int) r.err().lines().filter(l -> !l.isBlank()).count();
    }

    @Test
    void initCreatesTheDeviceAndItsStorages() throws IOException {
        ok(cli.init("dev1", DEV1));
        Path d = tmp.resolve("dev1");
        assertThat(d.resolve(SimulatedDevice.KEY_FILE)).exists();
        assertThat(Files.readString(d.resolve(SimulatedDevice.KEY_FILE))).startsWith("-----BEGIN PRIVATE KEY-----");
        assertThat(d.resolve(SimulatedDevice.STORAGE)).exists();
        assertThat(d.resolve(PersistenceStorage.FILE)).exists();
        assertThat(d.resolve(UniversalImage.FILE)).exists();
        assertThat(d.resolve("trust").resolve(Cli.SERVICE.keyId() + ".pem")).exists();

        Cli.Result udi = ok(cli.on("dev1", "show", "license", "udi", "--json"));
        assertThat(udi.out()).contains("\"udi\": \"PID:C1111-4P,SN:FGL2231AB1C\"", "\"deviceKeyId\": \"nl1-");
        assertThat(ok(cli.on("dev1", "show", "license", "udi")).out()).contains("FGL2231AB1C");

        Snapshot s = snap("dev1");
        assertThat(s.imageLevel()).isEqualTo("ipbase");
        assertThat(s.license("BUILTIN-IPBASE").orElseThrow().inUse()).isTrue();
        assertThat(s.license("BUILTIN-EVAL-SECURITYK9").orElseThrow().state()).isEqualTo(State.EULA_NOT_ACCEPTED);
        assertThat(s.enabled("securityk9")).isFalse();

        fails(cli.init("dev1", DEV1), "already holds a device");
        fails(cli.on("dev3", "device", "init", "--pid", "c1111-4p", "--sn", "X"), "invalid UDI: PID has bad character 'c'");
        fails(cli.on("nowhere", "show", "license"), "no device in");
    }

    @Test
    void installActivatesTheFeatureAndRaisesTheLevelAndIsIdempotent() throws IOException {
        ok(cli.init("dev1", DEV1));
        Path lic = cli.file("license.lic", cli.permanent("securityk9", DEV1), cli.permanent("advipservices", DEV1));
        Cli.Result r = ok(cli.on("dev1", "license", "install", lic.toString()));
        assertThat(r.out()).contains("installed NL-T-1 (securityk9, permanent)", "image level advipservices");

        Snapshot s = snap("dev1");
        assertThat(s.enabled("securityk9")).isTrue();
        assertThat(s.imageLevel()).isEqualTo("advipservices");
        assertThat(s.feature("ipservices").orElseThrow().via()).isEqualTo("included in advipservices");
        assertThat(s.enabled("adventerprise")).isFalse();
        assertThat(ok(cli.on("dev1", "show", "license", "feature")).out())
                .contains("Image level: advipservices").containsPattern("securityk9\\s+addon\\s+yes\\s+NL-T-1");
        assertThat(ok(cli.on("dev1", "show", "license", "feature", "--json")).out())
                .contains("\"imageLevel\": \"advipservices\"");

        byte[] storage = Files.readAllBytes(tmp.resolve("dev1").resolve(SimulatedDevice.STORAGE));
        Cli.Result again = ok(cli.on("dev1", "license", "install", lic.toString()));
        assertThat(again.out()).contains("already installed");
        assertThat(Files.readAllBytes(tmp.resolve("dev1").resolve(SimulatedDevice.STORAGE))).isEqualTo(storage);
        assertThat(snap("dev1").licenses()).hasSize(s.licenses().size());
    }

    @Test
    void everyBadInputIsOneLineAndNonZero() throws IOException {
        ok(cli.init("dev1", DEV1));
        ok(cli.init("dev2", DEV2));
        LicenseLine good = cli.permanent("securityk9", DEV1);
        Path lic = cli.file("license.lic", good);

        fails(cli.on("dev2", "license", "install", lic.toString()), "UDI mismatch");

        String text = good.toText();
        int at = text.indexOf("feature=") + 8;
        Path changed = cli.write("changed.lic", text.substring(0, at) + "t" + text.substring(at + 1) + "\n");
        fails(cli.on("dev1", "license", "install", changed.toString()), "bad signature");

        String sig = text.substring(text.indexOf(" sig=") + 5);
        String forgedSig = (sig.charAt(0) == 'A' ? 'B' : 'A') + sig.substring(1);
        Path forged = cli.write("forged.lic", text.replace(sig, forgedSig) + "\n");
        fails(cli.on("dev1", "license", "install", forged.toString()), "bad signature");
        Path truncated = cli.write("truncated.lic", text.substring(0, text.length() - 10) + "\n");
        fails(cli.on("dev1", "license", "install", truncated.toString()), "malformed line");

        LicenseLine otherKey = new LicenseSigner(SigningKey.generate()).sign(cli.line("securityk9", DEV1,
                LicenseType.PERMANENT).build());
        fails(cli.on("dev1", "license", "install", cli.file("otherkey.lic", otherKey).toString()), "not trusted");

        LicenseLine expired = cli.sign(cli.line("securityk9", DEV1, LicenseType.SUBSCRIPTION)
                .notBefore(Instant.parse("2026-01-01T00:00:00Z")).notAfter(Instant.parse("2026-12-31T00:00:00Z")));
        fails(cli.on("dev1", "license", "install", cli.file("expired.lic", expired).toString()), "expired at");
        LicenseLine future = cli.sign(cli.line("securityk9", DEV1, LicenseType.SUBSCRIPTION)
                .notBefore(Instant.parse("2027-06-01T00:00:00Z")).notAfter(Instant.parse("2028-06-01T00:00:00Z")));
        fails(cli.on("dev1", "license", "install", cli.file("future.lic", future).toString()), "not valid before");

        fails(cli.on("dev1", "license", "install", tmp.resolve("missing.lic").toString()), "no such file");
        Path binary = tmp.resolve("binary.lic");
        Files.write(binary, new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1, 2});
        fails(cli.on("dev1", "license", "install", binary.toString()), "is corrupt");
        fails(cli.on("dev1", "license", "install", cli.write("empty.lic", "# nothing\n").toString()),
                "holds no license lines");
        fails(cli.on("dev1", "license", "revoke", cli.write("bad.ticket", "garbage\n").toString()), "wrong ticket");
        fails(cli.on("dev1", "license", "boot", "level", "turbo"), "unknown level");
        fails(cli.on("dev1", "license", "accept", "the", "terms", "now"), "license accept end user agreement");
        fails(cli.on("dev1", "--now", "yesterday", "show", "license"), "not an ISO-8601 instant");
        Cli.Result usage = cli.on("dev1", "license", "install");
        assertThat(usage.exit()).isEqualTo(2);
        assertThat(errorLines(usage)).isEqualTo(1);

        for (String f : List.of("changed.lic", "forged.lic", "otherkey.lic", "expired.lic", "future.lic")) {
            assertThat(errorLines(cli.on("dev1", "license", "install", tmp.resolve(f).toString()))).as(f)
                    .isEqualTo(1);
        }
        assertThat(snap("dev1").enabled("securityk9")).isFalse();
        assertThat(snap("dev2").licenses()).allMatch(l -> l.origin() == LicenseStatus.Origin.BUILT_IN);
    }

    @Test
    void aMixedFileInstallsTheGoodLinesAndReportsEachBadOne() {
        ok(cli.init("dev1", DEV1));
        Path lic = cli.file("mixed.lic", cli.permanent("securityk9", DEV1), cli.permanent("uck9", DEV2));
        Cli.Result r = cli.on("dev1", "license", "install", lic.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("error: line 3: UDI mismatch");
        assertThat(r.out()).contains("line 2: installed NL-T-1");
        assertThat(snap("dev1").enabled("securityk9")).isTrue();
        assertThat(snap("dev1").enabled("uck9")).isFalse();
    }

    @Test
    void aCommentThatIsNotUtf8DoesNotRefuseTheFile() throws IOException {
        ok(cli.init("dev1", DEV1));
        LicenseLine good = cli.permanent("securityk9", DEV1);
        Path lic = tmp.resolve("latin1.lic");
        byte[] comment = "# for M\u00fcller GmbH\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        Files.write(lic, comment);
        Files.writeString(lic, good.toText() + "\n", java.nio.file.StandardOpenOption.APPEND);
        Cli.Result r = ok(cli.on("dev1", "license", "install", lic.toString()));
        assertThat(r.out()).contains("line 2: installed " + good.licenseId());
        assertThat(snap("dev1").enabled("securityk9")).isTrue();
    }

    @Test
    void evaluationNeedsTheEulaAndCountsDaysOfUseNotCalendarDays() {
        ok(cli.init("dev1", DEV1));
        LicenseLine eval = cli.sign(cli.line("uck9", DEV1, LicenseType.EVALUATION));
        ok(cli.on("dev1", "license", "install", cli.file("eval.lic", eval).toString()));
        Snapshot before = snap("dev1");
        assertThat(before.license(eval.licenseId()).orElseThrow().state()).isEqualTo(State.EULA_NOT_ACCEPTED);
        assertThat(before.enabled("uck9")).isFalse();

        // Days without the EULA do not count.
        cli.clock.advance(Duration.ofDays(5));
        assertThat(snap("dev1").license(eval.licenseId()).orElseThrow().usedDays()).isZero();

        ok(cli.on("dev1", "license", "accept", "end", "user", "agreement"));
        Snapshot after = snap("dev1");
        LicenseStatus st = after.license(eval.licenseId()).orElseThrow();
        assertThat(st.state()).isEqualTo(State.ACTIVE);
        assertThat(st.inUse()).isTrue();
        assertThat(after.enabled("uck9")).isTrue();
        assertThat(after.feature("uck9").orElseThrow().providedBy()).isEqualTo(eval.licenseId());
        assertThat(st.usedDays()).isEqualTo(1);

        // Several commands on one day count once; a 30-day calendar gap with no use counts one more day only.
        ok(cli.on("dev1", "show", "license"));
        cli.clock.advance(Duration.ofHours(3));
        ok(cli.on("dev1", "show", "license"));
        assertThat(snap("dev1").license(eval.licenseId()).orElseThrow().usedDays()).isEqualTo(1);
        cli.clock.advance(Duration.ofDays(30));
        assertThat(snap("dev1").license(eval.licenseId()).orElseThrow().usedDays()).isEqualTo(2);

        ok(cli.on("dev1", "device", "run", "--days", "57"));
        LicenseStatus last = snap("dev1").license(eval.licenseId()).orElseThrow();
        assertThat(last.usedDays()).isEqualTo(59);
        assertThat(last.daysLeft()).isEqualTo(1);
        assertThat(ok(cli.on("dev1", "show", "license", "detail", "uck9")).out())
                .contains("1 of 60 days of use left");
        ok(cli.on("dev1", "device", "run", "--days", "5"));
        Snapshot done = snap("dev1");
        LicenseStatus used = done.license(eval.licenseId()).orElseThrow();
        assertThat(used.state()).isEqualTo(State.EXPIRED);
        assertThat(used.usedDays()).isEqualTo(60);
        // The image's emergency license was never asked for, so it neither took over nor counted a day.
        assertThat(done.enabled("uck9")).isFalse();
        assertThat(done.license("BUILTIN-EVAL-UCK9").orElseThrow().usedDays()).isZero();

        // Asked for, it runs from the next reload on: today counts once it is in use.
        ok(cli.on("dev1", "license", "boot", "level", "uck9"));
        assertThat(snap("dev1").enabled("uck9")).isFalse();
        ok(cli.on("dev1", "device", "reload"));
        Snapshot emergency = snap("dev1");
        assertThat(emergency.feature("uck9").orElseThrow().providedBy()).isEqualTo("BUILTIN-EVAL-UCK9");
        assertThat(emergency.license("BUILTIN-EVAL-UCK9").orElseThrow().usedDays()).isEqualTo(1);
    }

    @Test
    void acceptingTheEulaStartsNoCountdownAndBootLevelStartsOnlyTheFeatureAskedForAtTheNextReload() {
        ok(cli.init("dev1", DEV1));
        ok(cli.on("dev1", "license", "accept", "end", "user", "agreement"));
        ok(cli.on("dev1", "device", "run", "--days", "10"));
        Snapshot s = snap("dev1");
        for (String f : List.of("securityk9", "uck9", "datak9", "ipservices", "advipservices", "adventerprise")) {
            assertThat(s.enabled(f)).as(f).isFalse();
            assertThat(s.license(UniversalImage.builtInId(f)).orElseThrow().usedDays()).as(f).isZero();
        }
        assertThat(ok(cli.on("dev1", "show", "license", "detail", "datak9")).out())
                .contains("activate with: license boot level datak9, then device reload");

        Cli.Result boot = ok(cli.on("dev1", "license", "boot", "level", "securityk9"));
        assertThat(boot.out()).contains("takes effect at the next reload");
        assertThat(snap("dev1").enabled("securityk9")).isFalse();
        assertThat(ok(cli.on("dev1", "show", "license", "feature")).out())
                .contains("Next reload boots with level auto, add-ons securityk9");
        ok(cli.on("dev1", "device", "reload"));
        ok(cli.on("dev1", "device", "run", "--days", "5"));
        Snapshot after = snap("dev1");
        assertThat(after.enabled("securityk9")).isTrue();
        assertThat(after.license("BUILTIN-EVAL-SECURITYK9").orElseThrow().usedDays()).isEqualTo(6);
        for (String f : List.of("uck9", "datak9", "ipservices", "advipservices", "adventerprise")) {
            assertThat(after.enabled(f)).as(f).isFalse();
            assertThat(after.license(UniversalImage.builtInId(f)).orElseThrow().usedDays()).as(f).isZero();
        }
        assertThat(ok(cli.on("dev1", "show", "license", "feature")).out())
                .contains("boot add-ons: securityk9").doesNotContain("Next reload");
    }

    @Test
    void emergencyLevelsNeedBootLevelAndEulaAndPermanentLinesNeverExpire() {
        ok(cli.init("dev1", DEV1));
        ok(cli.on("dev1", "license", "boot", "level", "adventerprise"));
        ok(cli.on("dev1", "license", "accept", "end", "user", "agreement"));
        // The boot level takes effect at the next reload, not before.
        assertThat(snap("dev1").imageLevel()).isEqualTo("ipbase");
        ok(cli.on("dev1", "device", "reload"));
        assertThat(snap("dev1").imageLevel()).isEqualTo("adventerprise");
        assertThat(snap("dev1").feature("adventerprise").orElseThrow().providedBy())
                .isEqualTo("BUILTIN-EVAL-ADVENTERPRISE");
        ok(cli.on("dev1", "license", "install", cli.file("p.lic", cli.permanent("advipservices", DEV1)).toString()));
        ok(cli.on("dev1", "device", "run", "--days", "60"));
        Snapshot s = snap("dev1");
        assertThat(s.license("BUILTIN-EVAL-ADVENTERPRISE").orElseThrow().state()).isEqualTo(State.EXPIRED);
        assertThat(s.imageLevel()).isEqualTo("advipservices");
        // Ten calendar years later a permanent line is still active.
        cli.clock.advance(Duration.ofDays(3650));
        assertThat(snap("dev1").imageLevel()).isEqualTo("advipservices");
        ok(cli.on("dev1", "license", "boot", "level", "ipservices"));
        assertThat(snap("dev1").imageLevel()).isEqualTo("advipservices");
        ok(cli.on("dev1", "device", "reload"));
        assertThat(snap("dev1").imageLevel()).isEqualTo("ipservices");
        ok(cli.on("dev1", "license", "boot", "level", "auto"));
        ok(cli.on("dev1", "device", "reload"));
        assertThat(snap("dev1").imageLevel()).isEqualTo("advipservices");
    }

    @Test
    void subscriptionsRunOnCalendarDates() {
        ok(cli.init("dev1", DEV1));
        LicenseLine sub = cli.sign(cli.line("datak9", DEV1, LicenseType.SUBSCRIPTION)
                .notBefore(Instant.parse("2026-12-01T00:00:00Z")).notAfter(Instant.parse("2027-02-01T00:00:00Z")));
        ok(cli.on("dev1", "license", "install", cli.file("sub.lic", sub).toString()));
        assertThat(snap("dev1").enabled("datak9")).isTrue();
        cli.clock.set(Instant.parse("2027-02-01T00:00:00Z"));
        Snapshot s = snap("dev1");
        assertThat(s.license(sub.licenseId()).orElseThrow().state()).isEqualTo(State.EXPIRED);
        assertThat(s.enabled("datak9")).isFalse();
        ok(cli.on("dev1", "license", "clear", "datak9"));
        assertThat(snap("dev1").license(sub.licenseId())).isEmpty();
    }

    @Test
    void revokeInstallsGraceAndWritesAVerifiableRehostTicket() throws IOException {
        ok(cli.init("dev1", DEV1));
        LicenseLine sec = cli.permanent("securityk9", DEV1);
        LicenseLine ais = cli.permanent("advipservices", DEV1);
        ok(cli.on("dev1", "license", "install", cli.file("l.lic", sec, ais).toString()));
        Path credFile = tmp.resolve("cred.txt");
        ok(cli.on("dev1", "license", "save", "credential", credFile.toString()));
        DeviceCredential cred = DeviceCredential.parseFile(Files.readString(credFile));
        assertThat(TicketVerifier.verifyCredential(cred).ok()).isTrue();
        assertThat(cred.udi()).isEqualTo(DEV1);

        Instant now = cli.clock.instant();
        PermissionTicket pt = new TicketSigner(Cli.SERVICE).sign(PermissionTicket.of("PT-1", DEV1,
                List.of(sec.licenseId(), ais.licenseId()), now.minusSeconds(60), now.plus(Duration.ofDays(7))));
        Path ptFile = cli.write("pt.txt", pt.toFile());
        Path rehostFile = tmp.resolve("rehost.txt");

        // Wrong tickets first: another device's, forged, expired, unknown key.
        PermissionTicket other = new TicketSigner(Cli.SERVICE).sign(PermissionTicket.of("PT-2", DEV2,
                List.of(sec.licenseId()), now.minusSeconds(60), now.plus(Duration.ofDays(7))));
        fails(cli.on("dev1", "license", "revoke", cli.write("pt2.txt", other.toFile()).toString()), "UDI mismatch");
        String forged = pt.toText().replace("PT-1", "PT-7");
        fails(cli.on("dev1", "license", "revoke", cli.write("pt3.txt", forged).toString()), "bad signature");
        PermissionTicket byOther = new TicketSigner(SigningKey.generate()).sign(PermissionTicket.of("PT-4", DEV1,
                List.of(sec.licenseId()), now.minusSeconds(60), now.plus(Duration.ofDays(7))));
        fails(cli.on("dev1", "license", "revoke", cli.write("pt4.txt", byOther.toFile()).toString()), "not trusted");
        PermissionTicket notInstalled = new TicketSigner(Cli.SERVICE).sign(PermissionTicket.of("PT-5", DEV1,
                List.of("NL-NOPE"), now.minusSeconds(60), now.plus(Duration.ofDays(7))));
        fails(cli.on("dev1", "license", "revoke", cli.write("pt5.txt", notInstalled.toFile()).toString()),
                "not installed");
        PermissionTicket expired = new TicketSigner(Cli.SERVICE).sign(PermissionTicket.of("PT-6", DEV1,
                List.of(sec.licenseId()), now.minus(Duration.ofDays(9)), now.minus(Duration.ofDays(2))));
        fails(cli.on("dev1", "license", "revoke", cli.write("pt6.txt", expired.toFile()).toString()), "expired");

        ok(cli.on("dev1", "license", "revoke", ptFile.toString(), rehostFile.toString()));
        RehostTicket rehost = RehostTicket.parseFile(Files.readString(rehostFile));
        assertThat(TicketVerifier.verifyRehostFor(rehost, pt, cred.deviceKey()).ok()).isTrue();

        Snapshot s = snap("dev1");
        assertThat(s.license(sec.licenseId()).orElseThrow().state()).isEqualTo(State.REVOKED);
        LicenseStatus grace = s.license("GRACE-" + sec.licenseId()).orElseThrow();
        assertThat(grace.origin()).isEqualTo(LicenseStatus.Origin.GRACE);
        assertThat(grace.inUse()).isTrue();
        assertThat(grace.line().usageDays()).isEqualTo(60);
        // Exactly the grace line docs/license-file-format.md specifies, signed with the device key.
        SigningKey deviceKey = SigningKey.fromPkcs8Pem(Files.readString(tmp.resolve("dev1").resolve(SimulatedDevice.KEY_FILE)));
        assertThat(grace.line()).isEqualTo(new LicenseSigner(deviceKey).sign(LicenseLine.builder()
                .licenseId("GRACE-" + sec.licenseId()).feature("securityk9").udi(DEV1).type(LicenseType.EVALUATION)
                .count(sec.count()).usageDays(60).issuedAt(now).build()));
        assertThat(s.enabled("securityk9")).isTrue();
        assertThat(s.imageLevel()).isEqualTo("advipservices");

        fails(cli.on("dev1", "license", "revoke", ptFile.toString(), rehostFile.toString()), "already");
        fails(cli.on("dev1", "license", "install", tmp.resolve("l.lic").toString()), "was revoked");

        ok(cli.on("dev1", "device", "run", "--days", "60"));
        Snapshot later = snap("dev1");
        assertThat(later.enabled("securityk9")).isFalse();
        assertThat(later.imageLevel()).isEqualTo("ipbase");
    }

    @Test
    void historySurvivesAWipedLicenseStorage() throws IOException {
        ok(cli.init("dev1", DEV1));
        LicenseLine eval = cli.sign(cli.line("uck9", DEV1, LicenseType.EVALUATION));
        Path lic = cli.file("eval.lic", eval);
        ok(cli.on("dev1", "license", "install", lic.toString()));
        ok(cli.on("dev1", "license", "accept", "end", "user", "agreement"));
        ok(cli.on("dev1", "license", "comment", "add", "uck9", "lab", "router", "3"));
        ok(cli.on("dev1", "device", "run", "--days", "20"));
        Path backup = tmp.resolve("backup.lic");
        ok(cli.on("dev1", "license", "save", backup.toString()));
        assertThat(Files.readString(backup)).contains(eval.toText(), "lab router 3");

        Files.delete(tmp.resolve("dev1").resolve(SimulatedDevice.STORAGE));
        assertThat(snap("dev1").license(eval.licenseId())).isEmpty();
        Cli.Result history = ok(cli.on("dev1", "show", "license", "history"));
        assertThat(history.out()).contains("device-init", "install", eval.licenseId(), "eula-accept",
                "lab router 3");
        assertThat(ok(cli.on("dev1", "show", "license", "history", "--json")).out()).contains("\"event\": \"use\"");

        // Reinstalling from the backup does not reset the days of use.
        ok(cli.on("dev1", "license", "install", backup.toString()));
        LicenseStatus st = snap("dev1").license(eval.licenseId()).orElseThrow();
        assertThat(st.usedDays()).isEqualTo(21);
        assertThat(st.comments()).singleElement().asString().contains("lab router 3");
    }

    @Test
    void persistenceStorageIsAppendOnlyAndTamperEvident() throws IOException {
        ok(cli.init("dev1", DEV1));
        ok(cli.on("dev1", "license", "accept", "end", "user", "agreement"));
        Path log = tmp.resolve("dev1").resolve(PersistenceStorage.FILE);
        List<String> before = Files.readAllLines(log);
        ok(cli.on("dev1", "license", "boot", "level", "ipservices"));
        List<String> after = Files.readAllLines(log);
        assertThat(after.subList(0, before.size())).isEqualTo(before);

        Files.writeString(log, String.join("\n", after).replace("eula-accept", "eula-accept x=1") + "\n");
        fails(cli.on("dev1", "show", "license"), "persistence storage");
    }

    @Test
    void clockRollbackMakesTimeLimitedLicensesSuspectUntilTheTimeIsSane() {
        ok(cli.init("dev1", DEV1));
        LicenseLine eval = cli.sign(cli.line("uck9", DEV1, LicenseType.EVALUATION));
        LicenseLine perm = cli.permanent("securityk9", DEV1);
        ok(cli.on("dev1", "license", "install", cli.file("l.lic", eval, perm).toString()));
        ok(cli.on("dev1", "license", "accept", "end", "user", "agreement"));
        cli.clock.advance(Duration.ofDays(10));
        ok(cli.on("dev1", "show", "license"));

        cli.clock.advance(Duration.ofMinutes(-50));
        assertThat(snap("dev1").clockSuspect()).isFalse();
        cli.clock.advance(Duration.ofDays(-3));
        Snapshot s = snap("dev1");
        assertThat(s.clockSuspect()).isTrue();
        assertThat(s.license(eval.licenseId()).orElseThrow().state()).isEqualTo(State.SUSPECT);
        assertThat(s.enabled("uck9")).isFalse();
        assertThat(s.enabled("securityk9")).isTrue();
        assertThat(ok(cli.on("dev1", "show", "license")).out()).contains("WARNING: the clock went back");

        cli.clock.advance(Duration.ofDays(3));
        Snapshot sane = snap("dev1");
        assertThat(sane.clockSuspect()).isFalse();
        assertThat(sane.enabled("uck9")).isTrue();
        assertThat(SimulatedDevice.open(tmp.resolve("dev1"), cli.clock).history().stream().map(e -> e.event()))
                .contains("clock-rollback", "clock-sane");
    }

    @Test
    void trustStoreRotation() {
        ok(cli.init("dev1", DEV1));
        SigningKey next = SigningKey.generate();
        LicenseLine byNext = new LicenseSigner(next).sign(cli.line("uck9", DEV1, LicenseType.PERMANENT).build());
        Path lic = cli.file("next.lic", byNext);
        fails(cli.on("dev1", "license", "install", lic.toString()), "not trusted");

        Path pem = cli.write("next.pem", "junk before\n" + next.publicKey().toPem() + Cli.SERVICE.publicKey().toPem());
        Cli.Result add = ok(cli.on("dev1", "trust", "add", pem.toString()));
        assertThat(add.out()).contains("Trusted " + next.keyId(), "Already trusted " + Cli.SERVICE.keyId());
        ok(cli.on("dev1", "license", "install", lic.toString()));
        ok(cli.on("dev1", "license", "install", cli.file("old.lic", cli.permanent("datak9", DEV1)).toString()));
        assertThat(ok(cli.on("dev1", "trust", "list")).out()).contains(next.keyId(), Cli.SERVICE.keyId());

        ok(cli.on("dev1", "trust", "remove", Cli.SERVICE.keyId()));
        Snapshot s = snap("dev1");
        assertThat(s.enabled("uck9")).isTrue();
        assertThat(s.enabled("datak9")).isFalse();
        assertThat(s.licensesOf("datak9").stream().filter(l -> l.origin() == LicenseStatus.Origin.INSTALLED))
                .singleElement().extracting(LicenseStatus::state).isEqualTo(State.INVALID);
        fails(cli.on("dev1", "trust", "remove", "nl1-0000000000000000"), "not in the trust store");
        fails(cli.on("dev1", "trust", "add", cli.write("nokey.pem", "hello").toString()), "no Ed25519 PUBLIC KEY");
    }

    @Test
    void trustAddReadsTheDocumentedKeysJson() throws IOException {
        ok(cli.init("dev1", DEV1));
        String doc = Files.readString(Path.of("docs", "license-file-format.md"));
        String json = doc.substring(doc.indexOf("```json", doc.indexOf("## Publishing keys")) + 7);
        Path keys = cli.write("keys.json", json.substring(0, json.indexOf("```")));
        Cli.Result r = ok(cli.on("dev1", "trust", "add", keys.toString()));
        assertThat(r.out()).contains("Trusted nl1-21fe31dfa154a261");
    }

    @Test
    void clearRemovesOnlyUnusedLinesAndSupersedingReplacesOlderLines() {
        ok(cli.init("dev1", DEV1));
        LicenseLine.Builder b = cli.line("securityk9", DEV1, LicenseType.PERMANENT);
        LicenseLine v1 = cli.sign(b);
        LicenseLine v2 = cli.sign(b.issuedAt(Instant.parse("2026-12-15T00:00:00Z")));
        ok(cli.on("dev1", "license", "install", cli.file("v2.lic", v2).toString()));
        fails(cli.on("dev1", "license", "install", cli.file("v1.lic", v1).toString()), "superseded");
        fails(cli.on("dev1", "license", "clear", "securityk9"), "in use");
        fails(cli.on("dev1", "license", "clear", "ipbase"), "built-in");

        LicenseLine eval = cli.sign(cli.line("securityk9", DEV1, LicenseType.EVALUATION));
        ok(cli.on("dev1", "license", "install", cli.file("e.lic", eval).toString()));
        Cli.Result r = ok(cli.on("dev1", "license", "clear", "securityk9"));
        assertThat(r.out()).contains(eval.licenseId()).doesNotContain(v2.licenseId());
        assertThat(snap("dev1").enabled("securityk9")).isTrue();
    }

    @Test
    void imageIsReadOnly() throws IOException {
        ok(cli.init("dev1", DEV1));
        Path image = tmp.resolve("dev1").resolve(UniversalImage.FILE);
        Files.writeString(image, Files.readString(image).replace("usagedays=60", "usagedays=600"));
        fails(cli.on("dev1", "show", "license"), "was altered");
    }

    @Test
    void imageLevelsMatchTheCatalogue() throws IOException {
        String catalogue = Files.readString(Path.of("src/main/resources/catalogue/catalogue.yml"));
        assertThat(catalogue).contains("universal-k9: [" + String.join(", ", UniversalImage.LEVELS) + "]");
        for (String f : UniversalImage.ADD_ONS) {
            assertThat(catalogue).contains("- name: " + f);
        }
    }

    @Test
    void backupFileIsALicenseFile() throws IOException {
        ok(cli.init("dev1", DEV1));
        LicenseLine p = cli.permanent("securityk9", DEV1);
        ok(cli.on("dev1", "license", "install", cli.file("l.lic", p).toString()));
        Path backup = tmp.resolve("b.lic");
        ok(cli.on("dev1", "license", "save", backup.toString()));
        assertThat(LicenseFile.parse(Files.readString(backup)).lines()).containsExactly(p);
        Udi u = Udi.parse("PID:C1111-4P,SN:FGL2231AB1C,VID:V02");
        assertThat(u.sameDevice(DEV1)).isTrue();
    }
}
