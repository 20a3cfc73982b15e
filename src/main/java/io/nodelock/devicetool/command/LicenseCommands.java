package io.nodelock.devicetool.command;

import io.nodelock.devicetool.SimulatedDevice;
import io.nodelock.devicetool.DeviceException;
import io.nodelock.licensefile.DeviceCredential;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** The {@code license ...} commands. */
@Command(name = "license", mixinStandardHelpOptions = true,
        description = "Install, activate, clear, back up and revoke licenses.",
        subcommands = {LicenseCommands.Install.class, LicenseCommands.Accept.class, LicenseCommands.Boot.class,
            LicenseCommands.Clear.class, LicenseCommands.Comment.class, LicenseCommands.Save.class,
            LicenseCommands.Revoke.class, CallHomeCommands.class})
final class LicenseCommands extends DeviceToolCommand.Group {

    static final String EULA = "END USER LICENSE AGREEMENT (simulation): evaluation, extension and emergency "
            + "licenses are for evaluation only, for a limited number of days of use, without warranty.";

    @Command(name = "install", mixinStandardHelpOptions = true,
            description = "Check every line of a license file and store the valid ones.")
    static final class Install extends DeviceToolCommand.Leaf {
        @Parameters(index = "0", paramLabel = "<file>")
        Path file;

        @Override
        public Integer call() {
            SimulatedDevice d = root().open();
            List<SimulatedDevice.InstallResult> results = d.install(file);
            int rejected = 0;
            for (SimulatedDevice.InstallResult r : results) {
                if (r.rejected()) {
                    rejected++;
                    err().println("error: line " + r.lineNumber() + ": " + r.message());
                } else {
                    out().println("line " + r.lineNumber() + ": " + r.message());
                }
            }
            out().println((results.size() - rejected) + " line(s) installed or already installed, " + rejected
                    + " rejected; image level " + d.snapshot().imageLevel());
            err().flush();
            return rejected == 0 ? 0 : 1;
        }
    }

    @Command(name = "accept", mixinStandardHelpOptions = true,
            description = "license accept end user agreement: record consent to the EULA, which evaluation, "
            + "extension and emergency licenses need before they count. It starts no countdown by itself: an "
            + "emergency license starts only for the feature asked for with license boot level and device reload.")
    static final class Accept extends DeviceToolCommand.Leaf {
        @Parameters(arity = "3", paramLabel = "end user agreement")
        List<String> words;

        @Override
        public Integer call() {
            if (!String.join(" ", words).equals("end user agreement")) {
                throw new DeviceException("unknown command 'license accept " + String.join(" ", words)
                        + "'; did you mean 'license accept end user agreement'?");
            }
            SimulatedDevice d = root().open();
            out().println(EULA);
            out().println(d.acceptEula() ? "EULA accepted." : "EULA was already accepted.");
            return 0;
        }
    }

    @Command(name = "boot", mixinStandardHelpOptions = true,
            description = "license boot level <level|auto|add-on>: the boot configuration for the next reload "
                    + "(device reload). A level, or auto, is the image level to run; an add-on activates its built-in "
                    + "emergency license. Evaluation and emergency licenses of a feature count only once the running "
                    + "boot configuration asks for it.")
    static final class Boot extends DeviceToolCommand.Leaf {
        @Parameters(index = "0", paramLabel = "level")
        String keyword;

        @Parameters(index = "1", paramLabel = "<level|auto|add-on>")
        String level;

        @Override
        public Integer call() {
            if (!keyword.equals("level")) {
                throw new DeviceException("unknown command 'license boot " + keyword + "'; use: license boot level "
                        + "<level|auto|add-on>");
            }
            SimulatedDevice d = root().open();
            SimulatedDevice.BootConfig next = d.bootLevel(level);
            out().println("Boot configuration for the next reload: " + next
                    + "; it takes effect at the next reload (device reload)");
            out().println("Running: " + d.runningBoot() + "; image level " + d.snapshot().imageLevel());
            return 0;
        }
    }

    @Command(name = "clear", mixinStandardHelpOptions = true,
            description = "Remove a feature's unused, expired, revoked or invalid lines.")
    static final class Clear extends DeviceToolCommand.Leaf {
        @Parameters(index = "0", paramLabel = "<feature>")
        String feature;

        @Override
        public Integer call() {
            List<String> cleared = root().open().clear(feature);
            out().println("Cleared " + String.join(", ", cleared));
            return 0;
        }
    }

    @Command(name = "comment", mixinStandardHelpOptions = true, description = "license comment add <feature> <text>.",
            subcommands = Comment.Add.class)
    static final class Comment extends DeviceToolCommand.Group {
        @Command(name = "add", mixinStandardHelpOptions = true,
                description = "Add a comment to the feature's license in use (else its newest).")
        static final class Add extends DeviceToolCommand.Leaf {
            @Parameters(index = "0", paramLabel = "<feature>")
            String feature;

            @Parameters(index = "1..*", arity = "1..*", paramLabel = "<text>")
            List<String> text;

            @Override
            public Integer call() {
                String id = root().open().addComment(feature, String.join(" ", text));
                out().println("Comment added to " + id);
                return 0;
            }
        }
    }

    @Command(name = "save", mixinStandardHelpOptions = true,
            description = "license save <file>: back up the license storage; "
            + "license save credential <file>: write the device credential.",
            subcommands = Save.Credential.class)
    static final class Save extends DeviceToolCommand.Leaf {
        @Parameters(index = "0", arity = "0..1", paramLabel = "<file>")
        Path file;

        @Override
        public Integer call() {
            if (file == null) {
                throw new DeviceException("license save needs a file: license save <file> or "
                        + "license save credential <file>");
            }
            int n = root().open().save(file);
            out().println("Saved " + n + " license line(s) to " + file);
            return 0;
        }

        @Command(name = "credential", mixinStandardHelpOptions = true,
                description = "The device's UDI and public key, signed with the device "
                + "key, for the portal's rehost and RMA forms.")
        static final class Credential extends DeviceToolCommand.Leaf {
            @Parameters(index = "0", paramLabel = "<file>")
            Path file;

            @Override
            public Integer call() {
                DeviceCredential c = root().open().saveCredential(file);
                out().println("Saved device credential of " + c.udi() + " (key " + c.deviceKey().keyId() + ") to "
                        + file);
                if (c.certificate() != null) {
                    out().println("The credential carries device certificate " + c.certificate().serial()
                            + " (issuer " + c.certificate().issuerKeyId() + ")");
                }
                return 0;
            }
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true,
            description = "Verify a permission ticket, revoke its licenses, install 60-day "
            + "grace licenses and write the rehost ticket.")
    static final class Revoke extends DeviceToolCommand.Leaf {
        @Parameters(index = "0", paramLabel = "<permission-ticket-file>")
        Path ticket;

        @Parameters(index = "1", arity = "0..1", paramLabel = "<rehost-ticket-file>",
                description = "Where to write the rehost ticket (default: rehost-<ticket id>.txt).")
        Path out;

        @Override
        public Integer call() {
            SimulatedDevice.RevokeResult r = root().open().revoke(ticket, out);
            out().println(EULA);
            out().println("Revoked " + String.join(", ", r.rehostTicket().licenseIds()) + "; grace licenses "
                    + String.join(", ", r.graceIds()) + " (" + SimulatedDevice.GRACE_DAYS + " days of use)");
            out().println("Rehost ticket written to " + r.rehostFile());
            return 0;
        }
    }
}
