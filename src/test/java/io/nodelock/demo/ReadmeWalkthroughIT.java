package io.nodelock.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;

/**
 * Starts the packaged service exactly as the README's run command does (its zero-setup defaults: H2, embedded mail
 * server, generated signing key, demo data; only ports and the data folder are moved out of the way) and runs the
 * README's walk-through block against it, as written. This is the one test on H2: its subject is the default run.
 */
class ReadmeWalkthroughIT {

    private static Path dataDir;
    private static Process service;
    private static int port;
    private static int imapPort;
    private static Path log;

    @BeforeAll
    static void startDefaultRun() throws Exception {
        dataDir = Files.createTempDirectory("nodelock-readme-");
        log = dataDir.resolve("service.log");
        port = freePort();
        int smtpPort = freePort();
        imapPort = freePort();
        Path jar;
        try (Stream<Path> files = Files.list(Path.of("target"))) {
            jar = files.filter(p -> p.getFileName().toString().matches("nodelock-[0-9].*\\.jar")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("run after 'package': no target/nodelock-*.jar"));
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        service = new ProcessBuilder(List.of(java, "-Xmx512m", "-jar", jar.toAbsolutePath().toString(),
                "--server.port=" + port, "--nodelock.data-dir=" + dataDir,
                "--nodelock.mail.embedded.smtp-port=" + smtpPort, "--nodelock.mail.embedded.imap-port=" + imapPort))
                .directory(dataDir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        HttpClient http = HttpClient.newHttpClient();
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1)).until(() -> {
            if (!service.isAlive()) {
                throw new IllegalStateException("service exited:\n" + Files.readString(log));
            }
            try {
                HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port
                        + "/actuator/health")).build(), HttpResponse.BodyHandlers.ofString());
                return health.statusCode() == 200 && Files.exists(dataDir.resolve("demo-credentials.env"))
                        && Files.readString(log).contains("Demo data ready");
            } catch (IOException e) {
                return false;
            }
        });
    }

    @AfterAll
    static void stop() throws Exception {
        if (service != null) {
            service.destroy();
            if (!service.waitFor(30, TimeUnit.SECONDS)) {
                service.destroyForcibly();
            }
        }
    }

    @Test
    void theWalkthroughRunsAsWrittenTwice() throws Exception {
        Path script = extractAsTheReadmeSays();
        String first = run(script);
        String second = run(script);
        for (String output : List.of(first, second)) {
            assertThat(output).contains("Walk-through complete.");
            // Step 0: the demo customer signed in to the portal, and the session carries the API.
            assertThat(output).contains("\"email\":\"netops@acme.example\"").contains("\"role\":\"ACCOUNT_ADMIN\"")
                    .contains("\"via\":\"session\"");
            assertThat(output).contains("check character does not match");
            assertThat(output).contains("\"status\":\"ISSUED\"").contains("\"status\":\"SENT\"");
            assertThat(output).contains("Signature Verified Successfully").doesNotContain("Verification Failure");
            assertThat(output).containsPattern("Subject: Your license for FL-C1111-SEC-K9 on PID:C1111-4P,SN:FGL[0-9A-F]{8}1");
            // The device part: the feature is enforced, the level rises, another device and an edited line are refused.
            assertThat(output).contains("Image level: advipservices");
            assertThat(output).containsPattern("securityk9\\s+addon\\s+yes");
            assertThat(output).contains("UDI mismatch");
            assertThat(output).containsIgnoringCase("bad signature");
            // dev1 and dev3 are certified devices made from bundles the operator fetched; the rehost trusts dev1's key by it.
            assertThat(output).containsPattern("Status: OK \\(device certificate NL-[0-9a-f]{16} certifies device key nl1-[0-9a-f]{16} "
                    + "for PID:C1111-4P,SN:FGL[0-9A-F]{8}1");
            assertThat(output).containsPattern("\"udi\":\"PID:C1111-4P,SN:FGL[0-9A-F]{8}1\",\"deviceKeyId\":\"nl1-");
            // The rehost part: redeemed once, grace on the source, permanent on the destination.
            assertThat(output).contains("\"type\":\"https://nodelock.io/problems/already-redeemed\"");
            assertThat(output).containsPattern("securityk9\\s+addon\\s+yes\\s+GRACE-");
            assertThat(output).containsPattern("installed NL-\\S+ \\(securityk9, permanent\\)");
            // The evaluation then extension story (steps 17 to 21).
            assertThat(output).contains("\"type\":\"https://nodelock.io/problems/eula-not-accepted\"")
                    .contains("\"type\":\"https://nodelock.io/problems/evaluation-exists\"");
            assertThat(output).containsPattern("NLIC2 id=\\S+ feature=advipservices .* type=evaluation .* eula=2026-11 ");
            assertThat(output).contains("Expired (all 60 days of use are used)");
            assertThat(output).contains("\"rule\":\"first-short-extension\"").contains("\"daysGranted\":30");
            assertThat(output).containsPattern("installed NL-\\S+ \\(advipservices, extension\\)");
            assertThat(output).containsPattern("License Type: Extension\\s+License State: Active, In Use");
            assertThat(output).contains("\"status\":\"AWAITING_TAC\"").contains("\"rule\":\"repeated-extension\"");
            // License Call Home (step 22): the device's own resend, every answer verified.
            assertThat(output).containsPattern("resend \\S+ started \\(signed answer verified\\)");
            // A manufacturing order (step 23): its progress, and a device booting with its preinstalled license.
            assertThat(output).contains("\"status\":\"COMPLETED\"").contains("\"percent\":100");
            assertThat(output).containsPattern("bundle line \\d+: installed NL-\\S+ \\(advipservices, permanent\\)")
                    .contains("1 preinstalled line(s) installed, 0 rejected");
            // Call Home install and transfer (steps 24 to 26): the fulfillment and rehost flows, driven by the devices.
            assertThat(output).containsPattern("install \\S+ accepted \\(signed answer verified\\)");
            assertThat(output).containsPattern("transferred NL-\\S+ to PID:C1111-4P,SN:FGL[0-9A-F]{8}5: on that device");
            assertThat(output).contains("refused the transfer: LICENSE_NOT_TRANSFERABLE");
        }
        // Each run makes its own PAK: the demo PAK is only read, so both runs show the same units left.
        assertThat(first).contains("\"remaining\":5");
        assertThat(second).contains("\"remaining\":5");
        assertThat(Files.readString(dataDir.resolve("walkthrough/license.lic"))).contains("NLIC1 ").contains("feature=securityk9");

        // The default run keeps its data folder, database and secrets owner-only, and secrets out of its log.
        assertThat(permissions(dataDir)).isEqualTo("rwx------");
        try (Stream<Path> db = Files.list(dataDir.resolve("db"))) {
            for (Path file : db.toList()) {
                assertThat(permissions(file)).as(file.toString()).isEqualTo("rw-------");
            }
        }
        assertThat(permissions(dataDir.resolve("demo-credentials.env"))).isEqualTo("rw-------");
        assertThat(permissions(dataDir.resolve("keys/signing-key.pem"))).isEqualTo("rw-------");
        assertThat(permissions(dataDir.resolve("keys/device-authority-key.pem"))).isEqualTo("rw-------");
        String serviceLog = Files.readString(log);
        String credentials = Files.readString(dataDir.resolve("demo-credentials.env"));
        for (String line : credentials.split("\n")) {
            if (!line.startsWith("#") && line.contains("=")) {
                assertThat(serviceLog).doesNotContain(line.substring(line.indexOf('=') + 1));
            }
        }
        String key = Files.readString(dataDir.resolve("keys/signing-key.pem"));
        assertThat(serviceLog).doesNotContain(key.lines().filter(l -> !l.startsWith("-----")).findFirst().orElseThrow());
        String authorityKey = Files.readString(dataDir.resolve("keys/device-authority-key.pem"));
        assertThat(serviceLog).doesNotContain(authorityKey.lines().filter(l -> !l.startsWith("-----")).findFirst().orElseThrow());
        assertThat(serviceLog).doesNotContain("Using generated security password").doesNotContain("with password");
    }

    @Test
    void aFailingStepStopsTheWalkthroughLoudly() throws Exception {
        Path script = extractAsTheReadmeSays();
        // The same walk-through against a service that is not there: the first request fails, and so does the run.
        String broken = Files.readString(script).replace("BASE=${BASE:-http://localhost:8080}", "BASE=http://127.0.0.1:" + freePort());
        Path brokenScript = dataDir.resolve("walkthrough-broken.sh");
        Files.writeString(brokenScript, broken);
        ProcessBuilder bash = walkthrough(brokenScript);
        Process process = bash.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isNotZero();
        assertThat(output).doesNotContain("Walk-through complete.").doesNotContain("fulfillment ");
    }

    /** Runs the README's own extraction command (the line that starts with "awk") in a copy of the repository root. */
    private static Path extractAsTheReadmeSays() throws Exception {
        String readme = Files.readString(Path.of("README.md"), StandardCharsets.UTF_8);
        String extract = readme.lines().filter(l -> l.startsWith("awk '") && l.endsWith("> walkthrough.sh")).findFirst()
                .orElseThrow(() -> new AssertionError("README names no extraction command"));
        Process awk = new ProcessBuilder("bash", "-c", extract).directory(Path.of(".").toFile()).redirectErrorStream(true).start();
        String awkOutput = new String(awk.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(awk.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(awk.exitValue()).as(awkOutput).isZero();
        Path script = dataDir.resolve("walkthrough.sh");
        Files.move(Path.of("walkthrough.sh"), script, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertThat(Files.readString(script)).startsWith("set -euo pipefail").contains("# 0. Sign in to the portal").contains("# 16.").contains("# 21.").contains("# 22.").contains("# 26.");
        return script;
    }

    private String run(Path script) throws Exception {
        Process process = walkthrough(script).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(180, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output + "\n--- service log ---\n" + Files.readString(log)).isZero();
        return output;
    }

    private static ProcessBuilder walkthrough(Path script) {
        ProcessBuilder bash = new ProcessBuilder("bash", script.toString()).directory(dataDir.toFile()).redirectErrorStream(true);
        bash.environment().put("BASE", "http://localhost:" + port);
        bash.environment().put("IMAP", "imap://127.0.0.1:" + imapPort);
        bash.environment().put("NODELOCK_DATA", dataDir.toString());
        bash.environment().put("DEVICE_JAR", Path.of("target/nodelock-device.jar").toAbsolutePath().toString());
        return bash;
    }

    private static String permissions(Path path) throws IOException {
        return java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
