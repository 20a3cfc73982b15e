package io.nodelock.benchmark;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A throwaway PostgreSQL cluster for the benchmark with the server's <b>durable defaults</b> (fsync, synchronous
 * commit and full-page writes on), unlike the tests' {@code TestPostgres}, which switches durability off. Provisioned
 * the same way (initdb/pg_ctl from {@code NODELOCK_PG_BIN} or the highest {@code /usr/lib/postgresql/N/bin}; as the
 * OS user {@code NODELOCK_PG_OS_USER}, default {@code postgres}, when running as root), on a free port of 127.0.0.1.
 * Extra {@code -c name=value} settings may be given; none by default.
 */
final class BenchPostgres implements AutoCloseable {

    static final String SUPERUSER = "nodelock";

    private final Path bin;
    private final String osUser;
    final Path baseDir;
    final Path dataDir;
    final Path logFile;
    final int port;

    private BenchPostgres(Path bin, String osUser, Path baseDir, int port) {
        this.bin = bin;
        this.osUser = osUser;
        this.baseDir = baseDir;
        this.dataDir = baseDir.resolve("data");
        this.logFile = baseDir.resolve("server.log");
        this.port = port;
    }

    static BenchPostgres start(List<String> settings) throws IOException, InterruptedException {
        Path bin = findBin();
        boolean root = "root".equals(System.getProperty("user.name"));
        String osUser = root ? envOr("NODELOCK_PG_OS_USER", "postgres") : null;
        Path base = Files.createTempDirectory("nodelock-benchpg-");
        if (osUser != null) {
            UserPrincipal owner = base.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(osUser);
            Files.setOwner(base, owner);
        }
        int port = freePort();
        BenchPostgres pg = new BenchPostgres(bin, osUser, base, port);
        Runtime.getRuntime().addShutdownHook(new Thread(pg::close, "bench-postgres-stop"));
        pg.run(List.of(bin.resolve("initdb").toString(), "-D", pg.dataDir.toString(), "-A", "trust", "-U", SUPERUSER,
                "-E", "UTF8", "--no-locale"));
        StringBuilder opts = new StringBuilder("-p " + port + " -k " + base + " -h 127.0.0.1");
        for (String s : settings) {
            opts.append(" -c ").append(s);
        }
        pg.run(List.of(bin.resolve("pg_ctl").toString(), "-w", "-t", "60", "-D", pg.dataDir.toString(), "-l",
                pg.logFile.toString(), "-o", opts.toString(), "start"));
        return pg;
    }

    String url(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    Connection connect(String database) throws SQLException {
        return DriverManager.getConnection(url(database), SUPERUSER, "");
    }

    void createDatabase(String name) throws SQLException {
        try (Connection c = connect("postgres"); Statement s = c.createStatement()) {
            s.execute("create database " + name);
        }
    }

    long postmasterPid() throws IOException {
        return Long.parseLong(Files.readAllLines(dataDir.resolve("postmaster.pid")).get(0).trim());
    }

    @Override
    public synchronized void close() {
        if (!Files.exists(baseDir)) {
            return;
        }
        try {
            if (Files.exists(dataDir.resolve("postmaster.pid"))) {
                run(List.of(bin.resolve("pg_ctl").toString(), "-D", dataDir.toString(), "-m", "fast", "-w", "-t", "60", "stop"));
            }
        } catch (Exception e) {
            System.err.println("Could not stop the benchmark PostgreSQL: " + e);
        }
        try (Stream<Path> paths = Files.walk(baseDir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort
        }
    }

    private void run(List<String> command) throws IOException, InterruptedException {
        List<String> full = new ArrayList<>();
        if (osUser != null) {
            full.addAll(List.of("runuser", "-u", osUser, "--"));
        }
        full.addAll(command);
        File out = File.createTempFile("nodelock-benchpg", ".out");
        try {
            Process p = new ProcessBuilder(full).directory(baseDir.toFile()).redirectErrorStream(true)
                    .redirectOutput(out).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            p.getOutputStream().close();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", full) + " did not finish");
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", full) + " failed:\n" + Files.readString(out.toPath())
                        + (Files.exists(logFile) ? "\n--- log ---\n" + Files.readString(logFile) : ""));
            }
        } finally {
            out.delete();
        }
    }

    private static Path findBin() throws IOException {
        String configured = System.getenv("NODELOCK_PG_BIN");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured.trim());
        }
        try (Stream<Path> versions = Files.list(Path.of("/usr/lib/postgresql"))) {
            return versions.filter(v -> v.getFileName().toString().matches("\\d+"))
                    .filter(v -> Files.isExecutable(v.resolve("bin/initdb")))
                    .max(Comparator.comparingInt(v -> Integer.parseInt(v.getFileName().toString())))
                    .map(v -> v.resolve("bin"))
                    .orElseThrow(() -> new IllegalStateException("no /usr/lib/postgresql/N/bin; set NODELOCK_PG_BIN"));
        }
    }

    private static String envOr(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v.trim();
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }
}
