package io.nodelock.devicetool.command;

import io.nodelock.devicetool.SimulatedDevice;
import io.nodelock.devicetool.DeviceException;
import io.nodelock.devicetool.TrustSource;
import io.nodelock.licensefile.DeviceCertificate;
import io.nodelock.licensefile.ManufacturingBundle;
import io.nodelock.licensefile.PublicKeyInfo;
import io.nodelock.licensefile.Udi;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** {@code device init} and {@code device run}. */
@Command(name = "device", mixinStandardHelpOptions = true, description = "Create the device, or simulate its uptime.",
        subcommands = {DeviceCommands.Init.class, DeviceCommands.Run.class, DeviceCommands.Reload.class})
final class DeviceCommands extends DeviceToolCommand.Group {

    @Command(name = "init", mixinStandardHelpOptions = true,
            description = "Create a device: UDI, device key pair, empty license storage, "
            + "persistence storage, the image's levels and built-in licenses. With --bundle, the UDI, device key, "
            + "identity certificate, trusted manufacturing authorities and preinstalled licenses come from the "
            + "factory's manufacturing bundle.")
    static final class Init extends DeviceToolCommand.Leaf {
        @Option(names = "--pid", description = "Product id, e.g. C1111-4P (required without --bundle).")
        String pid;

        @Option(names = "--sn", description = "Serial number, e.g. FGL2231AB1C (required without --bundle).")
        String sn;

        @Option(names = "--bundle", paramLabel = "<file>",
                description = "Manufacturing bundle (docs/device-identity.md); --pid, --sn and --vid, if given, "
                        + "must match its UDI.")
        Path bundle;

        @Option(names = "--vid", description = "Version id, e.g. V01.")
        String vid;

        @Option(names = "--trust", paramLabel = "<pem-file|url>",
                description = "Service public key(s) to trust: a PEM file, or a URL such as "
                        + "http://host:8080/api/v1/keys (repeatable).")
        List<String> trust = new ArrayList<>();

        @Override
        public Integer call() {
            if (bundle == null && (pid == null || sn == null)) {
                throw new ParameterException(spec.commandLine(),
                        "Missing required options: --pid and --sn, or --bundle");
            }
            ManufacturingBundle b = bundle == null ? null : SimulatedDevice.readBundle(bundle);
            if (b != null) {
                requireSame("--pid", pid, b.udi().productId(), b.udi());
                requireSame("--sn", sn, b.udi().serialNumber(), b.udi());
                requireSame("--vid", vid, b.udi().versionId(), b.udi());
            }
            Udi udi;
            try {
                udi = b != null ? b.udi() : Udi.of(pid, sn, vid);
            } catch (IllegalArgumentException e) {
                throw new DeviceException("invalid UDI: " + e.getMessage(), e);
            }
            List<PublicKeyInfo> keys = new ArrayList<>();
            for (String t : trust) {
                keys.addAll(TrustSource.read(t));
            }
            SimulatedDevice d;
            List<SimulatedDevice.InstallResult> installs = List.of();
            if (b == null) {
                d = SimulatedDevice.init(root().deviceDir(), udi, root().clock(), keys);
            } else {
                SimulatedDevice.BundleInit init = SimulatedDevice.initFromBundle(root().deviceDir(), b,
                        bundle.getFileName().toString(), root().clock(), keys);
                d = init.device();
                installs = init.licenses();
            }
            out().println("Device " + udi + " created in " + d.dir() + (b == null ? "" : " from bundle " + bundle));
            out().println("Device key id: " + d.publicKey().keyId());
            if (b != null) {
                DeviceCertificate c = b.certificate();
                out().println("Device certificate: serial " + c.serial() + ", issuer " + c.issuerKeyId() + ", valid "
                        + c.notBefore() + " to " + c.notAfter());
                out().println("Trusted manufacturing authorities: " + String.join(", ", d.authorities().keySet()));
            }
            out().println("Image: " + d.image().name() + ", levels " + String.join(" < ", d.image().levels()));
            out().println("Trusted service keys: " + (d.trustStore().isEmpty() ? "none (add with: trust add)"
                    : String.join(", ", d.trustStore().keySet())));
            int rejected = 0;
            for (SimulatedDevice.InstallResult r : installs) {
                if (r.rejected()) {
                    rejected++;
                    err().println("error: bundle line " + r.lineNumber() + ": " + r.message());
                } else {
                    out().println("bundle line " + r.lineNumber() + ": " + r.message());
                }
            }
            if (!installs.isEmpty()) {
                out().println((installs.size() - rejected) + " preinstalled line(s) installed, " + rejected
                        + " rejected; image level " + d.snapshot().imageLevel());
            }
            err().flush();
            return rejected == 0 ? 0 : 1;
        }

        private static void requireSame(String option, String given, String inBundle, Udi udi) {
            if (given != null && !Objects.equals(given, inBundle)) {
                throw new DeviceException(option + " " + given + " does not match the bundle's UDI " + udi);
            }
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
