package io.nodelock.devicetool;

import static org.assertj.core.api.Assertions.assertThat;

import io.nodelock.licensefile.LicenseFile;
import io.nodelock.licensefile.LicenseLine;
import io.nodelock.licensefile.LicenseSigner;
import io.nodelock.licensefile.LicenseType;
import io.nodelock.licensefile.PublicKeyInfo;
import io.nodelock.licensefile.SigningKey;
import io.nodelock.licensefile.Udi;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Generates license files that are valid for a device and mutates them (bit flips, swapped fields, another device's
 * UDI, an unknown key id, truncation); the device never installs a mutated line.
 */
class MutatedLicenseFilePropertyTest {

    static final Udi DEVICE = Udi.parse("PID:C1111-4P,SN:FGL2231AB1C");
    static final Udi OTHER = Udi.parse("PID:C1111-4P,SN:FGL2231AB2D");
    static final SigningKey SERVICE = SigningKey.generate();
    static final SigningKey STRANGER = SigningKey.generate();
    static final Clock CLOCK = Clock.fixed(Instant.parse("2027-01-01T09:00:00Z"), ZoneOffset.UTC);
    static Path dir;
    static Path deviceDir;

    @BeforeContainer
    static void createDevice() throws IOException {
        dir = Files.createTempDirectory("nodelock-prop");
        deviceDir = dir.resolve("dev");
        SimulatedDevice.init(deviceDir, DEVICE, CLOCK, List.<PublicKeyInfo>of(SERVICE.publicKey()));
        // The unmutated lines are accepted, so a rejection below is the mutation's doing.
        LicenseLine sample = new LicenseSigner(SERVICE).sign(base("NL-SAMPLE", "securityk9", LicenseType.PERMANENT,
                DEVICE));
        Path f = write(LicenseFile.format(List.of(sample)));
        assertThat(SimulatedDevice.open(deviceDir, CLOCK).install(f)).allMatch(r -> !r.rejected());
        Files.delete(deviceDir.resolve(SimulatedDevice.STORAGE));
    }

    @AfterContainer
    static void cleanUp() throws IOException {
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    static LicenseLine base(String id, String feature, LicenseType type, Udi udi) {
        LicenseLine.Builder b = LicenseLine.builder().licenseId(id).feature(feature).udi(udi).type(type)
                .issuedAt(Instant.parse("2026-12-01T00:00:00Z"));
        if (type == LicenseType.EVALUATION || type == LicenseType.EXTENSION) {
            b.usageDays(60);
        }
        if (type == LicenseType.SUBSCRIPTION) {
            b.notBefore(Instant.parse("2026-12-01T00:00:00Z")).notAfter(Instant.parse("2028-01-01T00:00:00Z"));
        }
        return b.build();
    }

    @Provide
    Arbitrary<LicenseLine> validLines() {
        return Combinators.combine(
                Arbitraries.strings().withChars("ABCDEF0123456789-").ofMinLength(1).ofMaxLength(20),
                Arbitraries.of("ipservices", "advipservices", "securityk9", "uck9", "datak9", "ap-capacity"),
                Arbitraries.of(LicenseType.values()),
                Arbitraries.integers().between(0, 500))
                .as((id, feature, type, count) -> {
                    LicenseLine l = base("NL-" + id, feature, type, DEVICE);
                    return new LicenseSigner(SERVICE).sign(new LicenseLine(1, l.licenseId(), l.feature(), l.udi(),
                            l.type(), count, l.usageDays(), l.notBefore(), l.notAfter(), l.issuedAt(), null, null));
                });
    }

    static Path write(String text) {
        try {
            Path f = Files.createTempFile(dir, "m", ".lic");
            Files.writeString(f, text, StandardCharsets.UTF_8);
            return f;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path writeBytes(byte[] bytes) {
        try {
            Path f = Files.createTempFile(dir, "m", ".lic");
            Files.write(f, bytes);
            return f;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Installs and asserts that nothing was installed and nothing is in license storage. */
    static void neverAccepted(Path file) {
        SimulatedDevice d = SimulatedDevice.open(deviceDir, CLOCK);
        try {
            List<SimulatedDevice.InstallResult> results = d.install(file);
            assertThat(results).isNotEmpty().allMatch(SimulatedDevice.InstallResult::rejected);
        } catch (DeviceException e) {
            assertThat(e.getMessage()).isNotBlank(); // refused as a whole: corrupt or empty file
        }
        assertThat(SimulatedDevice.open(deviceDir, CLOCK).snapshot().licenses())
                .allMatch(l -> l.origin() == LicenseStatus.Origin.BUILT_IN);
    }

    @Property(tries = 300)
    void bitFlipsAreNeverAccepted(@ForAll("validLines") LicenseLine line, @ForAll("positions") double where,
            @ForAll("bits") int bit) {
        byte[] bytes = line.toText().getBytes(StandardCharsets.US_ASCII);
        int i = (int) (where * bytes.length);
        bytes[i] ^= (byte) (1 << bit);
        neverAccepted(writeBytes((LicenseFile.HEADER + "\n" + new String(bytes, StandardCharsets.ISO_8859_1) + "\n")
                .getBytes(StandardCharsets.ISO_8859_1)));
    }

    @Property(tries = 150)
    void swappedFieldsAreNeverAccepted(@ForAll("validLines") LicenseLine line, @ForAll("fieldIndex") int a,
            @ForAll("fieldIndex") int b, @ForAll boolean valuesOnly) {
        Assume.that(a != b);
        String[] parts = line.toText().split(" ");
        if (valuesOnly) {
            String va = parts[a].substring(parts[a].indexOf('=') + 1);
            String vb = parts[b].substring(parts[b].indexOf('=') + 1);
            parts[a] = parts[a].substring(0, parts[a].indexOf('=') + 1) + vb;
            parts[b] = parts[b].substring(0, parts[b].indexOf('=') + 1) + va;
        } else {
            String t = parts[a];
            parts[a] = parts[b];
            parts[b] = t;
        }
        String mutated = String.join(" ", parts);
        Assume.that(!mutated.equals(line.toText()));
        neverAccepted(write(LicenseFile.HEADER + "\n" + mutated + "\n"));
    }

    @Property(tries = 100)
    void anotherDevicesUdiIsNeverAccepted(@ForAll("validLines") LicenseLine line, @ForAll boolean resign) {
        LicenseLine forOther = new LicenseLine(1, line.licenseId(), line.feature(), OTHER, line.type(), line.count(),
                line.usageDays(), line.notBefore(), line.notAfter(), line.issuedAt(), null, null);
        String text = resign ? new LicenseSigner(SERVICE).sign(forOther).toText()
                : line.toText().replace("udi=" + DEVICE, "udi=" + OTHER);
        neverAccepted(write(LicenseFile.HEADER + "\n" + text + "\n"));
    }

    @Property(tries = 100)
    void unknownKeyIdsAreNeverAccepted(@ForAll("validLines") LicenseLine line, @ForAll boolean resign) {
        String text = resign ? new LicenseSigner(STRANGER).sign(line).toText()
                : line.toText().replace("keyid=" + SERVICE.keyId(), "keyid=" + STRANGER.keyId());
        neverAccepted(write(LicenseFile.HEADER + "\n" + text + "\n"));
    }

    @Property(tries = 150)
    void truncatedLinesAreNeverAccepted(@ForAll("validLines") LicenseLine line, @ForAll("positions") double where) {
        String text = line.toText();
        int cut = Math.max(1, (int) (where * text.length()));
        neverAccepted(write(LicenseFile.HEADER + "\n" + text.substring(0, cut) + "\n"));
    }

    @Provide
    Arbitrary<Double> positions() {
        return Arbitraries.doubles().between(0, 1).filter(d -> d < 1.0);
    }

    @Provide
    Arbitrary<Integer> bits() {
        return Arbitraries.integers().between(0, 7);
    }

    @Provide
    Arbitrary<Integer> fieldIndex() {
        return Arbitraries.integers().between(1, 11);
    }
}
