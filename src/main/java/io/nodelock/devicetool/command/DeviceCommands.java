package io.nodelock.devicetool.command;

import io.nodelock.devicetool.SimulatedDevice;
import io.nodelock.devicetool.DeviceException;
import io.nodelock.devicetool.TrustSource;
import io.nodelock.licensefile.PublicKeyInfo;
import io.nodelock.licensefile.Udi;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code device init} and {@code device run}. */
@Command(name = "device", mixinStandardHelpOptions = true, description = "Create the device, or simulate its uptime.",
        subcommands = {DeviceCommands.Init.class, DeviceCommands.Run.class, DeviceCommands.Reload.class})
final class DeviceCommands extends DeviceToolCommand.Group {

    @Command(name = "init", mixinStandardHelpOptions = true,
            description = "Create a device: UDI, device key pair, empty license storage, "
            + "persistence storage, the image's levels and built-in licenses.")
    static final class Init extends DeviceToolCommand.Leaf {
        @Option(names = "--pid", required = true, description = "Product id, e.g. C1111-4P.")
        String pid;

        @Option(names = "--sn", required = true, description = "Serial number, e.g. FGL2231AB1C.")
        String sn;

        @Option(names = "--vid", description = "Version id, e.g. V01.")
        String vid;

        @Option(names = "--trust", paramLabel = "<pem-file|url>",
                description = "Service public key(s) to trust: a PEM file, or a URL such as "
                        + "http://host:8080/api/v1/keys (repeatable).")
        List<String> trust = new ArrayList<>();

        @Override
        public Integer call() {
            Udi udi;
            try {
                udi = Udi.of(pid, sn, vid);
            } catch (IllegalArgumentException e) {
                throw new DeviceException("invalid UDI: " + e.getMessage(), e);
            }
            List<PublicKeyInfo> keys = new ArrayList<>();
            for (String t : trust) {
                keys.addAll(TrustSource.read(t));
            }
            SimulatedDevice d = SimulatedDevice.init(root().deviceDir(), udi, root().clock(), keys);
            out().println("Device " + udi + " created in " + d.dir());
            out().println("Device key id: " + d.publicKey().keyId());
            out().println("Image: " + d.image().name() + ", levels " + String.join(" < ", d.image().levels()));
            out().println("Trusted service keys: " + (d.trustStore().isEmpty() ? "none (add with: trust add)"
                    : String.join(", ", d.trustStore().keySet())));
            return 0;
        }
    }

    @Command(name = "run", mixinStandardHelpOptions = true,
            description = "Simulate days of uptime: each day counts as a day of use for every "
            + "evaluation, extension, emergency or grace license in use on it.")
    static final class Run extends DeviceToolCommand.Leaf {
        @Option(names = "--days", required = true, description = "Number of days to simulate (1-3650).")
        int days;

        @Override
        public Integer call() {
            SimulatedDevice d = root().open();
            d.run(days);
            out().println("Ran " + days + " day(s) of uptime; image level " + d.snapshot().imageLevel());
            return 0;
        }
    }

    @Command(name = "reload", mixinStandardHelpOptions = true,
            description = "Reboot the device: the boot configuration set with license boot level takes effect.")
    static final class Reload extends DeviceToolCommand.Leaf {
        @Override
        public Integer call() {
            SimulatedDevice d = root().open();
            SimulatedDevice.BootConfig running = d.reload();
            out().println("Reloaded with boot " + running + "; image level " + d.snapshot().imageLevel());
            return 0;
        }
    }
}
