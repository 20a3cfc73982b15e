package io.nodelock.demo;

import io.nodelock.account.Account;
import io.nodelock.account.AccountAdministration;
import io.nodelock.account.AccountUserRole;
import io.nodelock.account.Accounts;
import io.nodelock.account.ApiTokens;
import io.nodelock.account.EngineIdentity;
import io.nodelock.account.Role;
import io.nodelock.pak.PakCode;
import io.nodelock.pak.PakService;
import io.nodelock.pak.Paks;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Seeds the default run so the README's walk-through works on a fresh clone. Secrets are generated, not committed:
 * they live in an owner-only file under the data folder, whose path (never its content) is logged.
 */
@Component
@ConditionalOnProperty(prefix = "nodelock.demo", name = "enabled", havingValue = "true")
public class DemoData {

    private static final Logger log = LoggerFactory.getLogger(DemoData.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    /** Demo PAKs with fixed codes so the README can name them. */
    public static final Map<String, List<PakService.NewLine>> DEMO_PAKS = new LinkedHashMap<>();

    static {
        DEMO_PAKS.put("DEM0C1111000001", List.of(new PakService.NewLine("FL-C1111-SEC-K9", 5),
                new PakService.NewLine("SL-1100-AIS-K9", 2)));
        DEMO_PAKS.put("DEM0R4300000002", List.of(new PakService.NewLine("FL-ISR4300-SEC-K9", 10),
                new PakService.NewLine("EVAL-ISR4300-SEC", 3), new PakService.NewLine("SUB-ISR4300-AES-1Y", 1)));
        DEMO_PAKS.put("DEM0CT552000003", List.of(new PakService.NewLine("LIC-CT5520-25A", 2),
                new PakService.NewLine("LIC-CT5520-100A", 1)));
    }

    private final DemoProperties properties;
    private final Accounts accounts;
    private final ApiTokens tokens;
    private final PakService pakService;
    private final Paks paks;
    private final EngineIdentity engineIdentity;
    private final AccountAdministration administration;

    public DemoData(DemoProperties properties, Accounts accounts, ApiTokens tokens, PakService pakService, Paks paks,
                    EngineIdentity engineIdentity, AccountAdministration administration) {
        this.administration = administration;
        this.properties = properties;
        this.accounts = accounts;
        this.tokens = tokens;
        this.pakService = pakService;
        this.paks = paks;
        this.engineIdentity = engineIdentity;
    }

    @EventListener(ApplicationReadyEvent.class)
    @Transactional
    public void seed() {
        Map<String, String> secrets = loadOrCreateSecrets();
        ensureAccount("demo", "Acme Networks (demo customer)", "netops@acme.example", EnumSet.of(Role.CUSTOMER),
                secrets.get("NODELOCK_DEMO_TOKEN"));
        ensureAccount("operator", "Nodelock operator (demo)", "operator@nodelock.local", EnumSet.of(Role.OPERATOR),
                secrets.get("NODELOCK_OPERATOR_TOKEN"));
        // The demo customer's people sign in to the portal (/portal): an account admin and a read-only viewer.
        administration.ensureActiveUser("demo", "netops@acme.example", "Nora Netops", AccountUserRole.ACCOUNT_ADMIN,
                secrets.get("NODELOCK_PORTAL_PASSWORD"), "demo-data");
        administration.ensureActiveUser("demo", "auditor@acme.example", "Avery Auditor", AccountUserRole.ACCOUNT_VIEWER,
                secrets.get("NODELOCK_PORTAL_VIEWER_PASSWORD"), "demo-data");
        engineIdentity.ensureUser("admin", secrets.get("NODELOCK_ADMIN_PASSWORD"), "Demo", "Administrator", Role.ADMIN.engineGroup());
        engineIdentity.ensureUser("operator", secrets.get("NODELOCK_OPERATOR_PASSWORD"), "Demo", "Operator", Role.OPERATOR.engineGroup());
        engineIdentity.ensureUser("tac", secrets.get("NODELOCK_TAC_PASSWORD"), "Demo", "TAC Approver", Role.TAC.engineGroup());
        engineIdentity.ensureUser("tac-lead", secrets.get("NODELOCK_TAC_LEAD_PASSWORD"), "Demo", "TAC Lead", Role.TAC_LEAD.engineGroup());
        DEMO_PAKS.forEach((data, lines) -> {
            PakCode code = PakCode.fromData(data);
            if (!paks.exists(code)) {
                pakService.create("demo", lines, "demo-data", Optional.of(code));
            }
        });
        log.info("Demo data ready: accounts 'demo' and 'operator', PAKs {}; tokens and sign-ins in {}",
                DEMO_PAKS.keySet().stream().map(d -> PakCode.fromData(d).formatted()).toList(),
                properties.credentialsFile().toAbsolutePath());
    }

    private void ensureAccount(String id, String name, String email, EnumSet<Role> roles, String token) {
        if (!accounts.exists(id)) {
            accounts.create(new Account(id, name, email, roles, Instant.now()));
        }
        if (!tokens.isRegistered(token)) {
            tokens.register(id, "demo token", token);
        }
    }

    private Map<String, String> loadOrCreateSecrets() {
        Path file = properties.credentialsFile();
        Map<String, String> secrets = new LinkedHashMap<>();
        try {
            if (Files.exists(file)) {
                for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    int eq = line.indexOf('=');
                    if (eq > 0 && !line.startsWith("#")) {
                        secrets.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
                    }
                }
            }
            boolean changed = false;
            for (String key : List.of("NODELOCK_DEMO_TOKEN", "NODELOCK_OPERATOR_TOKEN")) {
                if (!secrets.containsKey(key)) {
                    secrets.put(key, ApiTokens.PREFIX + random(32));
                    changed = true;
                }
            }
            for (String key : List.of("NODELOCK_ADMIN_PASSWORD", "NODELOCK_OPERATOR_PASSWORD", "NODELOCK_TAC_PASSWORD",
                    "NODELOCK_TAC_LEAD_PASSWORD", "NODELOCK_PORTAL_PASSWORD", "NODELOCK_PORTAL_VIEWER_PASSWORD")) {
                if (!secrets.containsKey(key)) {
                    // 16 random bytes: 22 characters, past the portal's 12-character minimum.
                    secrets.put(key, random(16));
                    changed = true;
                }
            }
            if (changed) {
                StringBuilder content = new StringBuilder("# Demo credentials of the default run (generated; keep private).\n"
                        + "# API tokens: 'demo' is a customer, 'operator' may create PAKs. Passwords sign in at /operaton as\n"
                        + "# admin, operator, tac and tac-lead; the portal passwords at /portal as netops@acme.example\n"
                        + "# (account admin) and auditor@acme.example (viewer).\n");
                secrets.forEach((k, v) -> content.append(k).append('=').append(v).append('\n'));
                Files.createDirectories(file.toAbsolutePath().getParent());
                if (!Files.exists(file) && file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                    Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                }
                Files.writeString(file, content.toString(), StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read or write the demo credentials file " + file, e);
        }
        return secrets;
    }

    private static String random(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
