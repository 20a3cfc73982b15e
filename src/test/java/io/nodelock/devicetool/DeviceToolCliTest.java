package io.nodelock.devicetool;

import static io.nodelock.devicetool.Cli.DEV1;
import static org.assertj.core.api.Assertions.assertThat;

import io.nodelock.devicetool.command.DeviceToolCommand;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The command line itself: help, version and where the state folder is when {@code -d} is not given. */
class DeviceToolCliTest {

    @TempDir
    Path tmp;
    Cli cli;

    @BeforeEach
    void setUp() {
        cli = new Cli(tmp);
    }

    @Test
    void topLevelHelpAndVersionPrintAndExitZero() {
        for (String help : List.of("--help", "-h")) {
            Cli.Result r = cli.run(help);
            assertThat(r.exit()).as(r.toString()).isZero();
            assertThat(r.out()).contains("Usage: nodelock-device", "--device", DeviceToolCommand.DIR_ENV);
            assertThat(r.err()).isEmpty();
        }
        for (String version : List.of("--version", "-V")) {
            Cli.Result r = cli.run(version);
            assertThat(r.exit()).as(r.toString()).isZero();
            assertThat(r.out()).startsWith("nodelock-device ");
        }
    }

    @Test
    void everyCommandAndSubcommandHasHelp() {
        List<List<String>> paths = new ArrayList<>();
        collect(DeviceToolCommand.commandLine(Clock.systemUTC(), Map.of()), new ArrayList<>(), paths);
        // The whole tree: device (4), show (6), license (10 with comment add and save credential), trust (4).
        assertThat(paths).hasSizeGreaterThanOrEqualTo(20);
        for (List<String> path : paths) {
            List<String> args = new ArrayList<>(path);
            args.add("--help");
            Cli.Result r = cli.run(args.toArray(String[]::new));
            assertThat(r.exit()).as(String.join(" ", args) + "\n" + r).isZero();
            assertThat(r.out()).as(String.join(" ", args))
                    .contains("Usage: nodelock-device " + String.join(" ", path)).contains("--help");
        }
    }

    private static void collect(CommandLine cl, List<String> prefix, List<List<String>> out) {
        cl.getSubcommands().forEach((name, sub) -> {
            List<String> path = new ArrayList<>(prefix);
            path.add(name);
            out.add(path);
            collect(sub, path, out);
        });
    }

    @Test
    void withoutDeviceOptionTheStateFolderComesFromTheEnvironment() {
        Path dir = tmp.resolve("from-env");
        Map<String, String> env = Map.of(DeviceToolCommand.DIR_ENV, dir.toString());
        Cli.Result init = cli.runWithEnv(env, "device", "init", "--pid", DEV1.productId(), "--sn",
                DEV1.serialNumber());
        assertThat(init.exit()).as(init.toString()).isZero();
        assertThat(dir.resolve(SimulatedDevice.PROPERTIES)).exists();
        Cli.Result show = cli.runWithEnv(env, "show", "license", "feature");
        assertThat(show.exit()).as(show.toString()).isZero();
        assertThat(show.out()).contains("Image level: ipbase");
        // -d wins over the environment.
        Cli.Result other = cli.runWithEnv(env, "-d", tmp.resolve("elsewhere").toString(), "show", "license");
        assertThat(other.err()).contains("no device in " + tmp.resolve("elsewhere"));
    }

    @Test
    void withoutDeviceOptionOrEnvironmentTheDefaultFolderIsNotASubcommandName() {
        assertThat(Files.exists(Path.of(DeviceToolCommand.DEFAULT_DIR))).as("test needs a clean working dir")
                .isFalse();
        Cli.Result r = cli.run("show", "license");
        // A refused operation (no device there), not a usage error about the option's value.
        assertThat(r.exit()).as(r.toString()).isEqualTo(1);
        assertThat(r.err()).contains("no device in " + DeviceToolCommand.DEFAULT_DIR);
        assertThat(DeviceToolCommand.commandLine(Clock.systemUTC(), Map.of()).getSubcommands())
                .doesNotContainKey(DeviceToolCommand.DEFAULT_DIR);
    }
}
