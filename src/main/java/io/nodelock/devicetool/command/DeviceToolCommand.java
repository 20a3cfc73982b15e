package io.nodelock.devicetool.command;

import io.nodelock.devicetool.SimulatedDevice;
import io.nodelock.devicetool.DeviceException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The root command: global options and the command tree. */
@Command(name = "nodelock-device", mixinStandardHelpOptions = true, version = "nodelock-device 0.1.0",
        description = "Simulates a licensed device (IOS Software Activation style) in a state folder.",
        subcommands = {DeviceCommands.class, ShowCommands.class, LicenseCommands.class, TrustCommands.class,
            BulkCommands.class})
public final class DeviceToolCommand implements Callable<Integer> {

    /** Environment variable that fixes the device clock, e.g. {@code 2027-01-01T00:00:00Z}. */
    public static final String NOW_ENV = "NODELOCK_DEVICE_NOW";
    /** Environment variable naming the state folder when {@code --device} is not given. */
    public static final String DIR_ENV = "NODELOCK_DEVICE_DIR";
    /**
     * Fallback state folder. Not a picocli default value: picocli parses a default like an argument, and a default
     * that is also a subcommand name (as {@code device} was) breaks every command line, {@code --help} included.
     */
    public static final String DEFAULT_DIR = "nodelock-device";

    @Option(names = {"-d", "--device"}, paramLabel = "<state-folder>",
            description = "The device's state folder (default: $" + DIR_ENV + ", else ./" + DEFAULT_DIR + ").")
    Path device;

    @Option(names = "--now", hidden = true, description = "Simulated current time (ISO-8601 instant).")
    String nowOption;

    @Spec
    CommandSpec spec;

    private final Clock clock;
    private final Map<String, String> env;
    /** The device this invocation opened, if any; checked after the command for tampering. */
    private SimulatedDevice opened;

    public DeviceToolCommand(Clock clock, Map<String, String> env) {
        this.clock = clock;
        this.env = env;
    }

    /** A command line wired with the one-line error handlers; {@code env} supplies {@value #NOW_ENV}. */
    public static CommandLine commandLine(Clock clock, Map<String, String> env) {
        CommandLine cl = new CommandLine(new DeviceToolCommand(clock, env));
        cl.setExecutionExceptionHandler((ex, cmd, parseResult) -> {
            PrintWriter err = cmd.getErr();
            if (ex instanceof DeviceException) {
                err.println("error: " + ex.getMessage());
                err.flush();
                return 1;
            }
            err.println("error: internal error: " + ex);
            err.flush();
            return 70;
        });
        // A tampered device still answers (show, history), but no command on it counts as a success.
        cl.setExecutionStrategy(parseResult -> {
            int exit = new CommandLine.RunLast().execute(parseResult);
            DeviceToolCommand root = (DeviceToolCommand) parseResult.commandSpec().root().userObject();
            if (exit == 0 && root.opened != null && root.opened.tampered()) {
                PrintWriter err = parseResult.commandSpec().commandLine().getErr();
                err.println("error: " + root.opened.tamperMessage());
                err.flush();
                return 1;
            }
            return exit;
        });
        cl.setParameterExceptionHandler((ex, args) -> {
            PrintWriter err = ex.getCommandLine().getErr();
            err.println("error: " + ex.getMessage().replace("\n", " ").strip() + " (see --help)");
            err.flush();
            return 2;
        });
        return cl;
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return 0;
    }

    /** The clock for this invocation: {@code --now}, else {@value #NOW_ENV}, else the injected clock. */
    Clock clock() {
        String fixed = nowOption != null ? nowOption : env.get(NOW_ENV);
        if (fixed == null || fixed.isBlank()) {
            return clock;
        }
        try {
            return Clock.fixed(Instant.parse(fixed.strip()), java.time.ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw new DeviceException("simulated time '" + fixed + "' is not an ISO-8601 instant like "
                    + "2027-01-01T00:00:00Z");
        }
    }

    /** A variable of the process environment the tool was started with (null when unset). */
    String env(String name) {
        return env.get(name);
    }

    /** The state folder: {@code --device}, else {@value #DIR_ENV}, else {@value #DEFAULT_DIR}. */
    Path deviceDir() {
        if (device != null) {
            return device;
        }
        String fromEnv = env.get(DIR_ENV);
        return Path.of(fromEnv == null || fromEnv.isBlank() ? DEFAULT_DIR : fromEnv.strip());
    }

    SimulatedDevice open() {
        opened = SimulatedDevice.open(deviceDir(), clock());
        return opened;
    }

    /** Shared plumbing of the leaf commands. */
    abstract static class Leaf implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        DeviceToolCommand root() {
            return (DeviceToolCommand) spec.root().userObject();
        }

        PrintWriter out() {
            return spec.commandLine().getOut();
        }

        PrintWriter err() {
            return spec.commandLine().getErr();
        }
    }

    /** A group without behaviour of its own: called without a subcommand, it is a usage error. */
    abstract static class Group implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter err = spec.commandLine().getErr();
            err.println("error: '" + spec.qualifiedName(" ") + "' needs a subcommand: "
                    + String.join(", ", spec.subcommands().keySet()) + " (see --help)");
            err.flush();
            return 2;
        }
    }
}
