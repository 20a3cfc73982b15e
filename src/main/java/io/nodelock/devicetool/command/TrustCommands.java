package io.nodelock.devicetool.command;

import io.nodelock.devicetool.SimulatedDevice;
import io.nodelock.devicetool.Json;
import io.nodelock.devicetool.TrustSource;
import io.nodelock.licensefile.PublicKeyInfo;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The device's trust store of service public keys. */
@Command(name = "trust", mixinStandardHelpOptions = true,
        description = "The trust store of service public keys (by key id).",
        subcommands = {TrustCommands.ListKeys.class, TrustCommands.Add.class, TrustCommands.Remove.class})
final class TrustCommands extends DeviceToolCommand.Group {

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the trusted service keys.")
    static final class ListKeys extends DeviceToolCommand.Leaf {
        @Option(names = "--json", description = "Machine-readable output.")
        boolean json;

        @Override
        public Integer call() {
            SimulatedDevice d = root().open();
            if (json) {
                List<Map<String, Object>> keys = new ArrayList<>();
                for (PublicKeyInfo k : d.trustStore().values()) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("keyId", k.keyId());
                    m.put("publicKey", k.base64());
                    keys.add(m);
                }
                out().println(Json.write(keys));
                return 0;
            }
            if (d.trustStore().isEmpty()) {
                out().println("No trusted service keys.");
            }
            d.trustStore().keySet().stream().sorted().forEach(id -> out().println(id));
            return 0;
        }
    }

    @Command(name = "add", mixinStandardHelpOptions = true,
            description = "Trust the key(s) in a PEM file or at a URL (e.g. $BASE/api/v1/keys).")
    static final class Add extends DeviceToolCommand.Leaf {
        @Parameters(index = "0", paramLabel = "<pem-file|url>")
        String source;

        @Override
        public Integer call() {
            List<PublicKeyInfo> keys = TrustSource.read(source);
            SimulatedDevice d = root().open();
            for (PublicKeyInfo k : keys) {
                out().println((d.trustAdd(k, source) ? "Trusted " : "Already trusted ") + k.keyId());
            }
            return 0;
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true,
            description = "Stop trusting a key; lines it signed become invalid.")
    static final class Remove extends DeviceToolCommand.Leaf {
        @Parameters(index = "0", paramLabel = "<key-id>")
        String keyId;

        @Override
        public Integer call() {
            root().open().trustRemove(keyId);
            out().println("Removed " + keyId);
            return 0;
        }
    }
}
