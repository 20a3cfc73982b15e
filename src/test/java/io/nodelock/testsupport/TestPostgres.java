package io.nodelock.testsupport;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * One real PostgreSQL server per JVM for tests, plus a fresh database per caller.
 *
 * <p>If {@code NODELOCK_TEST_DB_URL} is set (a JDBC URL of a database the test user may connect to, e.g.
 * {@code jdbc:postgresql://localhost:5432/postgres}; optional {@code NODELOCK_TEST_DB_USER},
 * {@code NODELOCK_TEST_DB_PASSWORD}), that server is used and nothing is started. The user needs the
 * CREATEDB privilege.
 *
 * <p>Otherwise a throwaway cluster is provisioned from the local PostgreSQL binaries ({@code NODELOCK_PG_BIN}, else
 * the highest version under {@code /usr/lib/postgresql/*&#47;bin}, else {@code initdb}/{@code pg_ctl} on the
 * {@code PATH}) in a fresh directory under {@code java.io.tmpdir}, listening on a free port on 127.0.0.1 with
 * durability switched off. PostgreSQL refuses to run as root, so when the JVM runs as root the cluster is owned by
 * and run as the OS user {@code NODELOCK_PG_OS_USER} (default {@code postgres}). A JVM shutdown hook stops the
 * server and deletes the directory; clusters left behind by JVMs that died without running their hooks are removed
 * the next time a cluster is provisioned.
 *
 * <p>Uses only the JDK and the PostgreSQL JDBC driver.
 */
public final class TestPostgres {

    public static final String ENV_URL = "NODELOCK_TEST_DB_URL";
    public static final String ENV_USER = "NODELOCK_TEST_DB_USER";
    public static final String ENV_PASSWORD = "NODELOCK_TEST_DB_PASSWORD";
    public static final String ENV_PG_BIN = "NODELOCK_PG_BIN";
    public static final String ENV_OS_USER = "NODELOCK_PG_OS_USER";

    private static final String SUPERUSER = "nodelock";
    private static final String DIR_PREFIX = "nodelock-pg-";
    private static final String OWNER_PID_FILE = "owner.pid";
    private static final long TOOL_TIMEOUT_SECONDS = 60;
    private static final int START_ATTEMPTS = 3;
    private static final int LOG_TAIL_LINES = 40;

    private static final SecureRandom RANDOM = new SecureRandom();
    private static TestPostgres instance;
    private static RuntimeException startFailure;

    private final String adminUrl;
    private final String username;
    private final String password;
    private final AtomicInteger counter = new AtomicInteger();
    /** The cluster this JVM provisioned; null for a server named by {@code NODELOCK_TEST_DB_URL}. */
    private final LocalCluster cluster;

    private TestPostgres(String adminUrl, String username, String password) {
        this(adminUrl, username, password, null);
    }

    private TestPostgres(String adminUrl, String username, String password, LocalCluster cluster) {
        this.adminUrl = adminUrl;
        this.username = username;
        this.password = password;
        this.cluster = cluster;
    }

    /** Whether {@link #stop()} and {@link #start()} can take this server down and up (only a cluster provisioned here). */
    public boolean canStop() {
        return cluster != null;
    }

    /**
     * Stops the server as an outage would (fast shutdown: sessions are cut off), for tests that watch the service lose
     * its database. Every database of this JVM's server goes with it: only a test running in a JVM of its own may call it.
     */
    public synchronized void stop() {
        if (cluster == null) {
            throw new IllegalStateException("the server named by " + ENV_URL + " is not this JVM's to stop");
        }
        cluster.stopFast();
    }

    /** Starts the stopped server again, on the same port, with every database as it was. */
    public synchronized void start() {
        if (cluster == null) {
            throw new IllegalStateException("the server named by " + ENV_URL + " is not this JVM's to start");
        }
        cluster.startAgain();
    }

    /** The server of this JVM; starts it on first call (a few seconds) unless {@code NODELOCK_TEST_DB_URL} is set. */
    public static synchronized TestPostgres instance() {
        if (startFailure != null) {
            throw new IllegalStateException("The test PostgreSQL failed to start earlier in this JVM (see cause)",
                    startFailure);
        }
        if (instance == null) {
            String url = blankToNull(System.getenv(ENV_URL));
            if (url != null) {
                String user = blankToNull(System.getenv(ENV_USER));
                String pass = System.getenv(ENV_PASSWORD);
                instance = new TestPostgres(url, user == null ? SUPERUSER : user, pass == null ? "" : pass);
            } else {
                try {
                    instance = new LocalCluster().start();
                } catch (RuntimeException e) {
                    startFailure = e;
                    throw e;
                }
            }
        }
        return instance;
    }

    /**
     * Creates an empty database with a unique name starting with {@code prefix} (lower-cased, reduced to
     * {@code [a-z0-9_]}) and returns its JDBC URL. Connect with {@link #username()} / {@link #password()}.
     */
    public String createDatabase(String prefix) {
        String name = uniqueName(prefix);
        try (Connection c = DriverManager.getConnection(adminUrl, username, password);
                Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE \"" + name + "\"");
        } catch (SQLException e) {
            throw new IllegalStateException("Could not create test database " + name + " via " + adminUrl
                    + " as " + username + ": " + e.getMessage(), e);
        }
        return withDatabase(adminUrl, name);
    }

    public String username() {
        return username;
    }

    public String password() {
        return password;
    }

    /** JDBC URL of the maintenance database ({@code postgres}, or {@code NODELOCK_TEST_DB_URL} as given). */
    public String adminUrl() {
        return adminUrl;
    }

    private String uniqueName(String prefix) {
        String p = prefix == null ? "" : prefix.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
        if (p.isEmpty() || !Character.isLetter(p.charAt(0)) && p.charAt(0) != '_') {
            p = "t_" + p;
        }
        String suffix = "_" + counter.incrementAndGet() + "_" + randomHex(6);
        int max = 63 - suffix.length();
        return (p.length() > max ? p.substring(0, max) : p) + suffix;
    }

    /** Replaces the database part of a {@code jdbc:postgresql://hosts[/db][?params]} URL. */
    static String withDatabase(String url, String database) {
        String prefix = "jdbc:postgresql://";
        if (!url.startsWith(prefix)) {
            throw new IllegalStateException("Not a jdbc:postgresql:// URL: " + url);
        }
        int q = url.indexOf('?');
        String base = q < 0 ? url : url.substring(0, q);
        String params = q < 0 ? "" : url.substring(q);
        int slash = base.indexOf('/', prefix.length());
        String hosts = slash < 0 ? base : base.substring(0, slash);
        return hosts + "/" + database + params;
    }

    private static String randomHex(int chars) {
        StringBuilder sb = new StringBuilder(chars);
        for (int i = 0; i < chars; i++) {
            sb.append(Character.forDigit(RANDOM.nextInt(16), 16));
        }
        return sb.toString();
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    /** A throwaway cluster in a temp directory, started and stopped with pg_ctl. */
    private static final class LocalCluster {

        private Path bin;
        private String osUser; // null: run tools as the current user
        private Path baseDir;
        private Path dataDir;
        private Path logFile;

        TestPostgres start() {
            bin = findBinDir();
            osUser = isRoot() ? osUserForRoot() : null;
            cleanUpOrphans();
            try {
                baseDir = Files.createTempDirectory(DIR_PREFIX);
                Files.writeString(baseDir.resolve(OWNER_PID_FILE), Long.toString(ProcessHandle.current().pid()));
                dataDir = baseDir.resolve("data");
                logFile = baseDir.resolve("server.log");
                if (osUser != null) {
                    chown(baseDir, osUser);
                }
            } catch (IOException e) {
                deleteRecursively(baseDir);
                throw new IllegalStateException("Could not prepare a temp directory for the test PostgreSQL under "
                        + System.getProperty("java.io.tmpdir") + ": " + e, e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(this::stopAndDelete, "nodelock-test-postgres-stop"));

            run("initdb", List.of(bin.resolve("initdb").toString(), "-D", dataDir.toString(), "-A", "trust",
                    "-U", SUPERUSER, "-E", "UTF8", "--no-locale", "--no-sync"));

            IllegalStateException last = null;
            for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
                int port = freePort();
                try {
                    pgCtlStart(port);
                    this.port = port;
                    String url = "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
                    return new TestPostgres(url, SUPERUSER, "", this);
                } catch (IllegalStateException e) {
                    // Another process may have taken the port between probing and binding: retry on a new one.
                    last = e;
                    if (!e.getMessage().contains("could not bind") && !e.getMessage().contains("already in use")) {
                        break;
                    }
                }
            }
            throw last;
        }

        private int port;

        private void pgCtlStart(int port) {
            run("pg_ctl start", List.of(bin.resolve("pg_ctl").toString(), "-w", "-t",
                    Long.toString(TOOL_TIMEOUT_SECONDS), "-D", dataDir.toString(), "-l", logFile.toString(),
                    "-o", "-p " + port + " -k " + baseDir + " -h 127.0.0.1 -c fsync=off"
                            + " -c synchronous_commit=off -c full_page_writes=off -c max_connections=300",
                    "start"));
        }

        void stopFast() {
            run("pg_ctl stop", List.of(bin.resolve("pg_ctl").toString(), "-D", dataDir.toString(), "-m", "fast", "-w", "-t",
                    Long.toString(TOOL_TIMEOUT_SECONDS), "stop"));
        }

        void startAgain() {
            pgCtlStart(port);
        }

        private void stopAndDelete() {
            try {
                stopServer(baseDir);
            } finally {
                deleteRecursively(baseDir);
            }
        }

        /** Stops the server of the cluster in {@code base} if one is running: pg_ctl immediate stop, else SIGKILL. */
        private void stopServer(Path base) {
            Path data = base.resolve("data");
            if (!Files.exists(data.resolve("postmaster.pid"))) {
                return;
            }
            try {
                run("pg_ctl stop", base, List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(),
                        "-m", "immediate", "-w", "-t", "30", "stop"));
            } catch (RuntimeException e) {
                killPostmaster(data);
            }
        }

        /** Removes clusters of earlier JVMs that were killed before their shutdown hook ran. */
        private void cleanUpOrphans() {
            Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
            try (Stream<Path> dirs = Files.list(tmp)) {
                for (Path dir : (Iterable<Path>) dirs::iterator) {
                    if (!dir.getFileName().toString().startsWith(DIR_PREFIX) || !Files.isDirectory(dir)) {
                        continue;
                    }
                    try {
                        long owner = Long.parseLong(Files.readString(dir.resolve(OWNER_PID_FILE)).trim());
                        if (ProcessHandle.of(owner).map(ProcessHandle::isAlive).orElse(false)) {
                            continue;
                        }
                        stopServer(dir);
                        deleteRecursively(dir);
                    } catch (IOException | RuntimeException e) {
                        // not ours, still being created, or not removable: leave it alone
                    }
                }
            } catch (IOException e) {
                // best effort
            }
        }

        private static void killPostmaster(Path data) {
            Path pidFile = data.resolve("postmaster.pid");
            try {
                if (!Files.exists(pidFile)) {
                    return;
                }
                long pid = Long.parseLong(Files.readAllLines(pidFile).get(0).trim());
                ProcessHandle.of(pid).ifPresent(p -> {
                    if (p.info().command().map(c -> c.endsWith("postgres")).orElse(true)) {
                        p.destroyForcibly(); // SIGKILL; backends exit when they notice the postmaster is gone
                        p.onExit().orTimeout(10, TimeUnit.SECONDS).exceptionally(t -> p).join();
                    }
                });
            } catch (IOException | RuntimeException e) {
                // best effort
            }
        }

        /** Runs a tool (as {@link #osUser} when set), waits, and throws with its output and the log tail on error. */
        private void run(String what, List<String> command) {
            run(what, baseDir, command);
        }

        private void run(String what, Path workDir, List<String> command) {
            List<String> full = new ArrayList<>();
            if (osUser != null) {
                if (Files.isExecutable(Path.of("/usr/sbin/runuser")) || Files.isExecutable(Path.of("/sbin/runuser"))
                        || onPath("runuser")) {
                    full.addAll(List.of("runuser", "-u", osUser, "--"));
                    full.addAll(command);
                } else {
                    full.addAll(List.of("su", osUser, "-s", "/bin/sh", "-c", shellQuote(command)));
                }
            } else {
                full.addAll(command);
            }
            File out = null;
            Process process = null;
            try {
                out = File.createTempFile("nodelock-pg-tool", ".out");
                ProcessBuilder pb = new ProcessBuilder(full)
                        .directory(workDir.toFile())
                        .redirectErrorStream(true)
                        .redirectOutput(out) // a file, not a pipe: the daemonised server must not hold our pipe
                        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
                Map<String, String> env = pb.environment();
                env.put("LC_ALL", "C");
                env.remove("PGDATA");
                env.remove("PGPORT");
                env.remove("PGHOST");
                process = pb.start();
                if (!process.waitFor(TOOL_TIMEOUT_SECONDS + 10, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    throw failure(what + " did not finish within " + (TOOL_TIMEOUT_SECONDS + 10) + " s", full, out);
                }
                if (process.exitValue() != 0) {
                    throw failure(what + " failed with exit code " + process.exitValue(), full, out);
                }
            } catch (IOException e) {
                throw new IllegalStateException("Could not run " + what + " (" + String.join(" ", full) + "): " + e, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                if (process != null) {
                    process.destroyForcibly();
                }
                throw new IllegalStateException("Interrupted while running " + what, e);
            } finally {
                if (out != null) {
                    out.delete();
                }
            }
        }

        private IllegalStateException failure(String message, List<String> command, File out) {
            return new IllegalStateException(message + "\ncommand: " + String.join(" ", command)
                    + (osUser != null ? "\n(run as OS user '" + osUser + "' because the JVM runs as root; that user"
                            + " must be able to reach " + baseDir + ", i.e. every parent directory must be searchable"
                            + " by it)" : "")
                    + "\n--- tool output ---\n" + readQuietly(out.toPath(), 0)
                    + "\n--- server log (" + logFile + ", last " + LOG_TAIL_LINES + " lines) ---\n"
                    + readQuietly(logFile, LOG_TAIL_LINES));
        }

        private static String readQuietly(Path file, int lastLines) {
            try {
                if (file == null || !Files.exists(file)) {
                    return "(none)";
                }
                List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
                if (lastLines > 0 && lines.size() > lastLines) {
                    lines = lines.subList(lines.size() - lastLines, lines.size());
                }
                return String.join("\n", lines);
            } catch (IOException | UncheckedIOException e) {
                return "(unreadable: " + e + ")";
            }
        }

        private static Path findBinDir() {
            String configured = blankToNull(System.getenv(ENV_PG_BIN));
            if (configured != null) {
                Path p = Path.of(configured);
                if (!hasTools(p)) {
                    throw new IllegalStateException(ENV_PG_BIN + "=" + configured
                            + " does not contain executable initdb and pg_ctl");
                }
                return p;
            }
            Path root = Path.of("/usr/lib/postgresql");
            if (Files.isDirectory(root)) {
                try (Stream<Path> versions = Files.list(root)) {
                    Path best = versions
                            .filter(v -> v.getFileName().toString().matches("\\d+(\\.\\d+)?"))
                            .filter(v -> hasTools(v.resolve("bin")))
                            .max(Comparator.comparingDouble(v -> Double.parseDouble(v.getFileName().toString())))
                            .orElse(null);
                    if (best != null) {
                        return best.resolve("bin");
                    }
                } catch (IOException e) {
                    // fall through to PATH
                }
            }
            String path = System.getenv("PATH");
            if (path != null) {
                for (String dir : path.split(File.pathSeparator)) {
                    if (!dir.isEmpty() && hasTools(Path.of(dir))) {
                        return Path.of(dir);
                    }
                }
            }
            throw new IllegalStateException("No PostgreSQL server binaries (initdb, pg_ctl, postgres) found: looked in "
                    + ENV_PG_BIN + ", /usr/lib/postgresql/*/bin and the PATH. Tests need a real PostgreSQL. Either "
                    + "install it (Debian/Ubuntu: 'apt-get install postgresql'; it need not be running) or set "
                    + ENV_PG_BIN + " to the directory holding initdb and pg_ctl, or point the tests at a running "
                    + "server with " + ENV_URL + "=jdbc:postgresql://host:5432/postgres (plus " + ENV_USER + " and "
                    + ENV_PASSWORD + "; the user needs CREATEDB).");
        }

        private static boolean hasTools(Path dir) {
            return Files.isExecutable(dir.resolve("initdb")) && Files.isExecutable(dir.resolve("pg_ctl"))
                    && Files.isExecutable(dir.resolve("postgres"));
        }

        private static boolean onPath(String tool) {
            String path = System.getenv("PATH");
            if (path == null) {
                return false;
            }
            for (String dir : path.split(File.pathSeparator)) {
                if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) {
                    return true;
                }
            }
            return false;
        }

        private static boolean isRoot() {
            try {
                Object uid = Files.getAttribute(Path.of("/proc/self"), "unix:uid"); // follows to /proc/<pid>
                return uid instanceof Integer i && i == 0;
            } catch (IOException | RuntimeException e) {
                return "root".equals(System.getProperty("user.name"));
            }
        }

        private static String osUserForRoot() {
            String user = blankToNull(System.getenv(ENV_OS_USER));
            if (user == null) {
                user = "postgres";
            }
            try {
                Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
                tmp.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(user);
            } catch (IOException e) {
                throw new IllegalStateException("The tests run as root, and PostgreSQL refuses to run as root, so the "
                        + "test cluster must run as a non-root OS user, but user '" + user + "' does not exist. "
                        + "Install the postgresql package (it creates 'postgres'), set " + ENV_OS_USER
                        + " to an existing non-root user, run the tests as a non-root user, or set " + ENV_URL + ".", e);
            }
            return user;
        }

        private static void chown(Path dir, String user) throws IOException {
            UserPrincipalLookupService lookup = dir.getFileSystem().getUserPrincipalLookupService();
            UserPrincipal principal = lookup.lookupPrincipalByName(user);
            Files.setOwner(dir, principal);
        }

        private static int freePort() {
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
                socket.setReuseAddress(true);
                return socket.getLocalPort();
            } catch (IOException e) {
                throw new IllegalStateException("Could not find a free TCP port on 127.0.0.1: " + e, e);
            }
        }

        private static String shellQuote(List<String> command) {
            StringBuilder sb = new StringBuilder();
            for (String arg : command) {
                if (sb.length() > 0) {
                    sb.append(' ');
                }
                sb.append('\'').append(arg.replace("'", "'\\''")).append('\'');
            }
            return sb.toString();
        }

        private static void deleteRecursively(Path dir) {
            if (dir == null || !Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
                return;
            }
            try (Stream<Path> paths = Files.walk(dir)) {
                paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                    try {
                        Files.deleteIfExists(p);
                    } catch (IOException e) {
                        // best effort
                    }
                });
            } catch (IOException | UncheckedIOException e) {
                // best effort
            }
        }
    }
}
