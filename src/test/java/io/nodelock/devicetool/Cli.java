package io.nodelock.devicetool;

import io.nodelock.devicetool.command.DeviceToolCommand;
import io.nodelock.licensefile.LicenseFile;
import io.nodelock.licensefile.LicenseLine;
import io.nodelock.licensefile.LicenseSigner;
import io.nodelock.licensefile.LicenseType;
import io.nodelock.licensefile.SigningKey;
import io.nodelock.licensefile.Udi;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;

/** Drives the device tool in-process against a temp folder with a controllable clock and a test service key. */
final class Cli {

    static final Udi DEV1 = Udi.parse("PID:C1111-4P,SN:FGL2231AB1C");
    static final Udi DEV2 = Udi.parse("PID:C1111-4P,SN:FGL2231AB2D");
    static final SigningKey SERVICE = SigningKey.generate();

    final Path dir;
    final MutableClock clock = new MutableClock(Instant.parse("2027-01-01T09:00:00Z"));
    final Path serviceKeyPem;
    private int ids;

    record Result(int exit, String out, String err) {
        @Override
        public String toString() {
            return "exit=" + exit + "\nout=" + out + "\nerr=" + err;
        }
    }

    Cli(Path dir) {
        this.dir = dir;
        serviceKeyPem = write("service-key.pem", SERVICE.publicKey().toPem());
    }

    Result run(String... args) {
        return runWithEnv(Map.of(), args);
    }

    /** Runs with {@code env} as the process environment the tool sees. */
    Result runWithEnv(Map<String, String> env, String... args) {
        CommandLine cl = DeviceToolCommand.commandLine(clock, env);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute(args);
        return new Result(exit, out.toString(), err.toString());
    }

    /** Runs against the device in {@code dir/<name>}. */
    Result on(String name, String... args) {
        List<String> all = new ArrayList<>(List.of("--device", dir.resolve(name).toString()));
        all.addAll(List.of(args));
        return run(all.toArray(String[]::new));
    }

    Result init(String name, Udi udi) {
        return on(name, "device", "init", "--pid", udi.productId(), "--sn", udi.serialNumber(), "--trust",
                serviceKeyPem.toString());
    }

    Path write(String name, String text) {
        try {
            Path p = dir.resolve(name);
            Files.writeString(p, text);
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    LicenseLine.Builder line(String feature, Udi udi, LicenseType type) {
        LicenseLine.Builder b = LicenseLine.builder().licenseId("NL-T-" + (++ids)).feature(feature).udi(udi)
                .type(type).issuedAt(Instant.parse("2026-12-01T00:00:00Z"));
        if (type == LicenseType.EVALUATION || type == LicenseType.EXTENSION) {
            b.usageDays(60);
        }
        return b;
    }

    LicenseLine sign(LicenseLine.Builder b) {
        return new LicenseSigner(SERVICE).sign(b.build());
    }

    LicenseLine permanent(String feature, Udi udi) {
        return sign(line(feature, udi, LicenseType.PERMANENT));
    }

    Path file(String name, LicenseLine... lines) {
        return write(name, LicenseFile.format(List.of(lines)));
    }

    /** A clock tests move by hand. */
    static final class MutableClock extends Clock {
        private Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void set(Instant t) {
            now = t;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
