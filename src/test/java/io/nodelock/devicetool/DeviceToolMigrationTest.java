package io.nodelock.devicetool;

import static io.nodelock.devicetool.Cli.DEV1;
import static org.assertj.core.api.Assertions.assertThat;

import io.nodelock.licensefile.LicenseType;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a device does with the line of a license migration (docs/migration.md): it keeps the old line, and the new one
 * is what provides the feature. No device code is specific to migrations; these pin the choice it relies on.
 */
class DeviceToolMigrationTest {

    @TempDir
    Path tmp;
    Cli cli;

    @BeforeEach
    void setUp() {
        cli = new Cli(tmp);
        assertThat(cli.init("dev1", DEV1).exit()).isZero();
    }

    private Snapshot snap() {
        return SimulatedDevice.open(tmp.resolve("dev1"), cli.clock).snapshot();
    }

    private void install(String name, io.nodelock.licensefile.LicenseLine line) {
        Cli.Result r = cli.on("dev1", "license", "install", cli.file(name, line).toString());
        assertThat(r.exit()).as(r.toString()).isZero();
    }

    @Test
    void anUpgradedLevelLineProvidesTheHigherLevelAndTheLevelsBelowIt() {
        var advanced = cli.permanent("advipservices", DEV1);
        install("ais.lic", advanced);
        assertThat(snap().feature("advipservices").orElseThrow().providedBy()).isEqualTo(advanced.licenseId());

        var enterprise = cli.permanent("adventerprise", DEV1);
        install("aes.lic", enterprise);
        Snapshot s = snap();
        assertThat(s.imageLevel()).isEqualTo("adventerprise");
        for (String level : UniversalImage.LEVELS) {
            assertThat(s.feature(level).orElseThrow().providedBy()).as(level).isEqualTo(enterprise.licenseId());
        }
        assertThat(s.feature("advipservices").orElseThrow().via()).isEqualTo("included in adventerprise");
        assertThat(s.license(advanced.licenseId()).orElseThrow().inUse()).isFalse();
        assertThat(s.license(advanced.licenseId()).orElseThrow().state()).isEqualTo(LicenseStatus.State.ACTIVE);
    }

    @Test
    void aPermanentLineTakesAFeatureOverFromItsEvaluationWhichStopsCounting() {
        cli.on("dev1", "license", "accept", "end", "user", "agreement");
        var evaluation = cli.sign(cli.line("securityk9", DEV1, LicenseType.EVALUATION));
        install("eval.lic", evaluation);
        assertThat(snap().feature("securityk9").orElseThrow().providedBy()).isEqualTo(evaluation.licenseId());
        int usedBefore = snap().license(evaluation.licenseId()).orElseThrow().usedDays();

        var permanent = cli.permanent("securityk9", DEV1);
        install("perm.lic", permanent);
        cli.clock.advance(java.time.Duration.ofDays(3));
        Snapshot s = snap();
        assertThat(s.feature("securityk9").orElseThrow().providedBy()).isEqualTo(permanent.licenseId());
        assertThat(s.license(evaluation.licenseId()).orElseThrow().inUse()).isFalse();
        assertThat(s.license(evaluation.licenseId()).orElseThrow().usedDays()).isEqualTo(usedBefore);
    }
}
