package io.nodelock.support;

import static org.awaitility.Awaitility.await;

import io.nodelock.testsupport.TestPostgres;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The packaged service ({@code target/nodelock-*.jar}) as a process of its own, on a PostgreSQL database of the
 * tests' cluster: for tests that must kill it, or that need a JVM whose logging no other test has set up.
 */
public final class PackagedService {

    private PackagedService() {
    }

    /**
     * The command that runs the jar on this port and database, with its data (keys, demo credentials) in
     * {@code dataDir}; {@code more} are further {@code --name=value} arguments.
     */
    public static List<String> command(int port, String url, TestPostgres pg, Path dataDir, String... more) throws IOException {
        Path jar;
        try (Stream<Path> files = Files.list(Path.of("target"))) {
            jar = files.filter(p -> p.getFileName().toString().matches("nodelock-[0-9].*\\.jar")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("run after 'package': no target/nodelock-*.jar"));
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-Xmx512m", "-XX:TieredStopAtLevel=1", "-jar", jar.toAbsolutePath().toString(),
                "--server.port=" + port,
                "--spring.datasource.url=" + url,
                "--spring.datasource.username=" + pg.username(),
                "--spring.datasource.password=" + pg.password(),
                "--nodelock.data-dir=" + dataDir,
                "--nodelock.signing.generated-key-dir=" + dataDir.resolve("keys")));
        command.addAll(List.of(more));
        return command;
    }

    /**
     * Starts the command with this environment, its output appended to {@code log}, and waits until the service
     * answers {@code /actuator/health} (failing with the log if it exits first).
     */
    public static Process start(List<String> command, Map<String, String> environment, Path dataDir, Path log, int port) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(dataDir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.environment().putAll(environment);
        Process process = builder.start();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(250)).until(() -> {
            if (!process.isAlive()) {
                throw new IllegalStateException("service exited:\n" + Files.readString(log));
            }
            try {
                return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/actuator/health")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
            } catch (IOException e) {
                return false;
            }
        });
        return process;
    }

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
