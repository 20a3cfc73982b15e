package io.nodelock.benchmark;

import io.nodelock.pak.PakCode;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The benchmark: measures what a user sees, with every party in its own process. Not a test (a {@code main}); run by
 * the Maven profile {@code benchmark} (see docs/benchmark.md):
 *
 * <pre>
 * ./mvnw -B -Pbenchmark -DskipTests package exec:exec -Dbenchmark.args="--fulfillments 2000"
 * </pre>
 *
 * <ol>
 *   <li>PostgreSQL: a throwaway cluster with durable defaults (fsync on), {@link BenchPostgres}.</li>
 *   <li>SMTP sink: {@link SmtpSink} in its own JVM (accepts, discards, stamps arrival).</li>
 *   <li>The service: the packaged jar {@code target/nodelock-*.jar} in its own JVM with production-like properties;
 *       an account, API token and PAK(s) are inserted over JDBC with the schema the service's {@code Accounts},
 *       {@code ApiTokens} and {@code Paks} use.</li>
 *   <li>Load: {@link LoadGenerator} in its own JVM per phase: warm-up and saturation (closed loop, end to end),
 *       open loop at half the measured saturation, idle (one at a time with pauses).</li>
 *   <li>Bare-engine ceiling of the same shape: {@link EngineCeiling} in its own JVM, after the service stopped.</li>
 * </ol>
 *
 * <p>Around each phase: CPU of the service JVM ({@code /proc/PID/stat} utime+stime) and of PostgreSQL (postmaster's
 * own and reaped children's time plus its live children's), {@code pg_stat_database.xact_commit} of the service's
 * database, the service's VmRSS/VmHWM and the load average.
 */
public final class BenchmarkRun {

    private static final String SKU = "FL-C1111-SEC-K9";
    private static final long CLK_TCK = 100; // checked against getconf at start
    /** The idle service's cost per second: service CPU ms, PostgreSQL CPU ms, commits. */
    private static double[] background = {0, 0, 0};

    private BenchmarkRun() {
    }

    record Options(int fulfillments, int warmup, int connections, int openCount, int idleCount, long idlePauseMs, int paks,
                   String xmx, boolean ceiling, int ceilingClients, String jar, int timeoutSeconds,
                   List<String> pgSettings, Map<String, String> properties, List<String> serviceJvmArgs) {

        static Options parse(String[] raw) {
            List<String> args = new ArrayList<>();
            for (String a : raw) {
                for (String p : a.trim().split("\\s+")) {
                    if (!p.isEmpty()) {
                        args.add(p);
                    }
                }
            }
            int fulfillments = 2000;
            int warmup = 1000;
            int connections = 32;
            int openCount = -1;
            int idleCount = 200;
            long idlePause = 200;
            int paks = 1;
            String xmx = "1g";
            boolean ceiling = true;
            int ceilingClients = -1;
            String jar = null;
            int timeout = 600;
            List<String> pg = new ArrayList<>();
            List<String> jvmArgs = new ArrayList<>();
            Map<String, String> props = new LinkedHashMap<>();
            for (int i = 0; i < args.size(); i++) {
                String a = args.get(i);
                switch (a) {
                    case "--fulfillments" -> fulfillments = Integer.parseInt(args.get(++i));
                    case "--warmup" -> warmup = Integer.parseInt(args.get(++i));
                    case "--connections" -> connections = Integer.parseInt(args.get(++i));
                    case "--open-count" -> openCount = Integer.parseInt(args.get(++i));
                    case "--idle-count" -> idleCount = Integer.parseInt(args.get(++i));
                    case "--idle-pause-ms" -> idlePause = Long.parseLong(args.get(++i));
                    case "--paks" -> paks = Integer.parseInt(args.get(++i));
                    case "--xmx" -> xmx = args.get(++i);
                    case "--no-ceiling" -> ceiling = false;
                    case "--ceiling-clients" -> ceilingClients = Integer.parseInt(args.get(++i));
                    case "--jar" -> jar = args.get(++i);
                    case "--timeout-seconds" -> timeout = Integer.parseInt(args.get(++i));
                    case "--pg" -> pg.add(args.get(++i));
                    case "--jvm-arg" -> jvmArgs.add(args.get(++i));
                    case "--property" -> {
                        String kv = args.get(++i);
                        int e = kv.indexOf('=');
                        props.put(kv.substring(0, e), kv.substring(e + 1));
                    }
                    case "--help" -> {
                        System.out.println("Options: --fulfillments N (2000) --warmup N (1000) --connections C (32) --open-count N (=fulfillments)"
                                + " --idle-count N (200) --idle-pause-ms MS (200) --paks N (1) --xmx SIZE (1g) --no-ceiling"
                                + " --ceiling-clients C (=connections) --jar PATH --timeout-seconds S (600) --pg name=value (repeatable)"
                                + " --property key=value (service property, repeatable)"
                                + " --jvm-arg ARG (service JVM option, repeatable, e.g. -XX:StartFlightRecording=...)");
                        System.exit(0);
                    }
                    default -> throw new IllegalArgumentException("unknown option " + a + " (try --help)");
                }
            }
            return new Options(fulfillments, warmup, connections, openCount < 0 ? fulfillments : openCount, idleCount, idlePause,
                    paks, xmx, ceiling, ceilingClients < 0 ? connections : ceilingClients, jar, timeout, pg, props, jvmArgs);
        }
    }

    /** Counters sampled around a phase. */
    record Sample(long serviceCpuTicks, long pgCpuTicks, long commits, long rssKb, long hwmKb, String load, long nanos, long machineBusyTicks, long walSyncs, long walBytes) {
    }

    /** One phase's figures. */
    record PhaseResult(String name, Map<String, String> result, Sample before, Sample after) {
        double d(String key) {
            return Double.parseDouble(result.getOrDefault(key, "NaN"));
        }

        int completed() {
            return (int) d("completed");
        }

        double serviceCpuMs() {
            return (after.serviceCpuTicks - before.serviceCpuTicks) * 1000.0 / CLK_TCK / completed();
        }

        double pgCpuMs() {
            return (after.pgCpuTicks - before.pgCpuTicks) * 1000.0 / CLK_TCK / completed();
        }

        double commits() {
            return (double) (after.commits - before.commits) / completed();
        }

        double seconds() {
            return (after.nanos - before.nanos) / 1e9;
        }

        double walSyncs() {
            return (double) (after.walSyncs - before.walSyncs) / completed();
        }

        double walKb() {
            return (after.walBytes - before.walBytes) / 1024.0 / completed();
        }

        /** Per completed, minus what the idle service costs per second ({@link #background}): 0 service CPU, 1 PG CPU, 2 commits. */
        double net(int which) {
            double raw = which == 0 ? serviceCpuMs() : which == 1 ? pgCpuMs() : commits();
            return raw - background[which] * seconds() / completed();
        }
    }

    public static void main(String[] args) {
        runAndExit(started -> run(Options.parse(args), started));
    }

    /** A benchmark body that records the processes it starts. */
    interface Body {
        void run(List<Process> started) throws Exception;
    }

    /**
     * Runs a benchmark's body, stops every process it started (gently, then forcibly) and exits 0 or 1; the shutdown
     * hook stops and deletes the PostgreSQL cluster.
     */
    static void runAndExit(Body body) {
        int exit = 1;
        List<Process> started = new ArrayList<>();
        try {
            body.run(started);
            exit = 0;
        } catch (Throwable t) {
            System.out.flush();
            System.err.println("BENCHMARK FAILED: " + t);
            t.printStackTrace();
        } finally {
            for (Process p : started) {
                if (p.isAlive()) {
                    p.destroy();
                    try {
                        p.waitFor(30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    p.destroyForcibly();
                }
            }
            System.out.flush();
            System.exit(exit);
        }
    }


    private static void run(Options o, List<Process> started) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classpath = System.getProperty("java.class.path");
        Path runDir = Path.of("target", "benchmark-run");
        Files.createDirectories(runDir);
        Path jar = o.jar() != null ? Path.of(o.jar()) : findJar();
        String date = DateTimeFormatter.ISO_INSTANT.format(Instant.now().truncatedTo(ChronoUnit.SECONDS));
        String clkTck = sh("getconf CLK_TCK").trim();
        if (!clkTck.equals(Long.toString(CLK_TCK))) {
            throw new IllegalStateException("CLK_TCK is " + clkTck + ", this benchmark assumes " + CLK_TCK);
        }

        System.out.println("=== Nodelock benchmark, " + date + " ===");
        System.out.println("machine     : " + sh("nproc").trim() + " cores, " + sh("lscpu | sed -n 's/^Model name: *//p'").trim() + ", "
                + sh("awk '/MemTotal/ {printf \"%.1f GiB\", $2/1048576}' /proc/meminfo").trim() + " RAM, " + sh("uname -r").trim());
        System.out.println("java        : " + System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        System.out.println("service jar : " + jar + ", -Xmx" + o.xmx());
        System.out.println("options     : " + o);
        System.out.println("load average: " + load() + " (start)");

        // ---- PostgreSQL, durable
        BenchPostgres pg = BenchPostgres.start(o.pgSettings());
        pg.createDatabase("nodelock");
        pg.createDatabase("ceiling");
        long postmaster = pg.postmasterPid();
        try (Connection c = pg.connect("postgres"); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select name, setting, coalesce(unit, '') from pg_settings where name in ('server_version',"
                     + " 'fsync', 'synchronous_commit', 'full_page_writes', 'wal_sync_method', 'shared_buffers', 'max_connections',"
                     + " 'commit_delay', 'wal_level') order by name")) {
            StringBuilder sb = new StringBuilder();
            while (rs.next()) {
                sb.append(rs.getString(1)).append('=').append(rs.getString(2)).append(rs.getString(3)).append(' ');
            }
            System.out.println("postgresql  : " + sb.toString().trim() + " (" + pg.dataDir + " on " + sh("df --output=source,fstype "
                    + pg.dataDir + " | tail -1").trim().replaceAll("\\s+", " ") + ")");
        }

        // ---- SMTP sink
        Path portFile = runDir.resolve("sink.ports");
        Files.deleteIfExists(portFile);
        Process sink = start(started, runDir.resolve("sink.log"), java, "-Xmx128m", "-XX:+UseSerialGC", "-cp", classpath,
                SmtpSink.class.getName(), "--port-file", portFile.toString());
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!Files.exists(portFile)) {
            if (!sink.isAlive() || System.nanoTime() > until) {
                throw new IllegalStateException("SMTP sink did not start; see " + runDir.resolve("sink.log"));
            }
            Thread.sleep(50);
        }
        String[] ports = Files.readString(portFile).trim().split(" ");
        String smtpPort = ports[0];
        String events = "127.0.0.1:" + ports[1];

        // ---- the service
        int httpPort = BenchPostgres.freePort();
        Path dataDir = Files.createTempDirectory("nodelock-bench-data-");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try (Stream<Path> paths = Files.walk(dataDir)) {
                paths.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            } catch (IOException | RuntimeException e) {
                // best effort
            }
        }, "bench-data-delete"));
        Map<String, String> props = serviceProperties(pg, httpPort, dataDir, smtpPort);
        props.putAll(o.properties());
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx" + o.xmx()));
        cmd.addAll(o.serviceJvmArgs());
        cmd.addAll(List.of("-jar", jar.toString()));
        props.forEach((k, v) -> cmd.add("--" + k + "=" + v));
        long bootStart = System.nanoTime();
        Process service = start(started, runDir.resolve("service.log"), cmd.toArray(String[]::new));
        String baseUrl = "http://127.0.0.1:" + httpPort;
        awaitReady(service, baseUrl, runDir.resolve("service.log"));
        System.out.printf(Locale.ROOT, "service     : pid %d ready in %.1f s on %s (log %s)%n", service.pid(),
                (System.nanoTime() - bootStart) / 1e9, baseUrl, runDir.resolve("service.log"));

        // ---- account, token, PAK(s), as Accounts / ApiTokens / Paks store them
        String token = "nlk_" + Base64.getUrlEncoder().withoutPadding().encodeToString(random(32));
        List<String> paks = new ArrayList<>();
        int total = o.warmup() + o.fulfillments() + o.openCount() + o.idleCount();
        try (Connection c = pg.connect("nodelock")) {
            Timestamp now = Timestamp.from(Instant.now());
            try (PreparedStatement s = c.prepareStatement("insert into account (id, display_name, email, roles, created_at) values (?, ?, ?, ?, ?)")) {
                s.setString(1, "bench");
                s.setString(2, "Benchmark");
                s.setString(3, "bench@bench.nodelock.test");
                s.setString(4, "CUSTOMER");
                s.setTimestamp(5, now);
                s.executeUpdate();
            }
            try (PreparedStatement s = c.prepareStatement("insert into api_token (token_hash, account_id, label, created_at) values (?, ?, ?, ?)")) {
                s.setString(1, HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8))));
                s.setString(2, "bench");
                s.setString(3, "benchmark");
                s.setTimestamp(4, now);
                s.executeUpdate();
            }
            for (int i = 0; i < o.paks(); i++) {
                PakCode code = PakCode.random();
                try (PreparedStatement s = c.prepareStatement("insert into pak (code, account_id, created_at, created_by) values (?, ?, ?, ?)")) {
                    s.setString(1, code.value());
                    s.setString(2, "bench");
                    s.setTimestamp(3, now);
                    s.setString(4, "benchmark");
                    s.executeUpdate();
                }
                try (PreparedStatement s = c.prepareStatement("insert into pak_line (pak_code, line_no, sku, quantity, consumed) values (?, 1, ?, ?, 0)")) {
                    s.setString(1, code.value());
                    s.setString(2, SKU);
                    s.setInt(3, total / o.paks() + 1);
                    s.executeUpdate();
                }
                paks.add(code.formatted());
            }
        }

        Probe probe = new Probe(pg, postmaster, service.pid());
        List<String> lg = List.of(java, "-Xmx256m", "-XX:+UseSerialGC", "-cp", classpath, LoadGenerator.class.getName(),
                "--base-url", baseUrl, "--token", token, "--paks", String.join(",", paks), "--events", events,
                "--timeout-seconds", Integer.toString(o.timeoutSeconds()));

        if (o.warmup() > 0) {
            PhaseResult w = phase("warm-up", probe, runDir, started, lg, "--mode", "closed", "--count", Integer.toString(o.warmup()),
                    "--connections", Integer.toString(o.connections()), "--prefix", "W");
            print(w);
        }
        PhaseResult sat = phase("saturation", probe, runDir, started, lg, "--mode", "closed", "--count", Integer.toString(o.fulfillments()),
                "--connections", Integer.toString(o.connections()), "--prefix", "S");
        print(sat);
        double half = sat.d("throughput") / 2;
        PhaseResult open = phase("half load", probe, runDir, started, lg, "--mode", "open", "--count", Integer.toString(o.openCount()),
                "--connections", Integer.toString(o.connections()), "--rate", String.format(Locale.ROOT, "%.3f", half), "--prefix", "H");
        print(open);
        PhaseResult idle = phase("idle", probe, runDir, started, lg, "--mode", "idle", "--count", Integer.toString(o.idleCount()),
                "--pause-ms", Long.toString(o.idlePauseMs()), "--prefix", "I");
        print(idle);
        // ---- background cost of the idle service (pollers), to read the idle phase's figures against
        Thread.sleep(3000);
        Sample q0 = probe.sample("nodelock");
        Thread.sleep(20_000);
        Sample q1 = probe.sample("nodelock");
        double quietSeconds = (q1.nanos() - q0.nanos()) / 1e9;
        background = new double[] {(q1.serviceCpuTicks() - q0.serviceCpuTicks()) * 1000.0 / CLK_TCK / quietSeconds,
                (q1.pgCpuTicks() - q0.pgCpuTicks()) * 1000.0 / CLK_TCK / quietSeconds, (q1.commits() - q0.commits()) / quietSeconds};
        System.out.printf(Locale.ROOT, "%nidle service: %.1f ms/s service CPU, %.1f ms/s PostgreSQL CPU, %.1f commits/s (background pollers, measured after the phases)%n",
                (q1.serviceCpuTicks() - q0.serviceCpuTicks()) * 1000.0 / CLK_TCK / quietSeconds,
                (q1.pgCpuTicks() - q0.pgCpuTicks()) * 1000.0 / CLK_TCK / quietSeconds,
                (q1.commits() - q0.commits()) / quietSeconds);

        long hwm = procStatusKb(service.pid(), "VmHWM");
        long rss = procStatusKb(service.pid(), "VmRSS");

        service.destroy(); // SIGTERM: graceful shutdown
        if (!service.waitFor(60, TimeUnit.SECONDS)) {
            service.destroyForcibly();
        }
        sink.destroy();
        sink.waitFor(10, TimeUnit.SECONDS);

        // ---- bare-engine ceiling
        PhaseResult ceiling = null;
        if (o.ceiling()) {
            ceiling = ceiling(o, pg, postmaster, runDir, started, java, classpath);
            print(ceiling);
        }

        // ---- summary
        System.out.println();
        System.out.println("=== Summary (" + date + ", load average at end " + load() + ") ===");
        System.out.printf(Locale.ROOT, "saturation throughput        : %.1f fulfillments/s end to end (closed loop, %d connections, %d fulfillments)%n",
                sat.d("throughput"), o.connections(), sat.completed());
        line("e2e at saturation", sat);
        System.out.printf(Locale.ROOT, "half load (open loop %.1f/s)  : achieved %.1f/s; ", half, open.d("throughput"));
        System.out.printf(Locale.ROOT, "e2e p50 / p95 / p99 %.0f / %.0f / %.0f ms (max %.0f)%n", open.d("e2e_p50_ms"), open.d("e2e_p95_ms"),
                open.d("e2e_p99_ms"), open.d("e2e_max_ms"));
        line("idle (one at a time)", idle);
        System.out.printf(Locale.ROOT, "per fulfillment, saturation  : service JVM %.1f ms CPU, PostgreSQL %.1f ms CPU, %.2f commits, %.2f WAL flushes, %.1f KiB WAL%n",
                sat.serviceCpuMs(), sat.pgCpuMs(), sat.commits(), sat.walSyncs(), sat.walKb());
        System.out.printf(Locale.ROOT, "per fulfillment, half load   : service JVM %.1f ms CPU, PostgreSQL %.1f ms CPU, %.2f commits%n",
                open.serviceCpuMs(), open.pgCpuMs(), open.commits());
        System.out.printf(Locale.ROOT, "  same, net of idle background: saturation %.1f / %.1f ms, %.2f commits; half load %.1f / %.1f ms, %.2f commits%n",
                sat.net(0), sat.net(1), sat.net(2), open.net(0), open.net(1), open.net(2));
        System.out.printf(Locale.ROOT, "service RSS                  : %d MiB after the run, peak (VmHWM) %d MiB, -Xmx%s%n", rss / 1024, hwm / 1024, o.xmx());
        if (ceiling != null) {
            System.out.printf(Locale.ROOT, "bare-engine ceiling          : %.1f instances/s (closed loop, %d clients); per instance: JVM %.1f ms CPU,"
                            + " PostgreSQL %.1f ms CPU, %.2f commits, %.2f WAL flushes, %.1f KiB WAL; e2e p50 / p99 %.0f / %.0f ms%n",
                    ceiling.d("throughput"), o.ceilingClients(), ceiling.serviceCpuMs(), ceiling.pgCpuMs(), ceiling.commits(),
                    ceiling.walSyncs(), ceiling.walKb(),
                    ceiling.d("e2e_p50_ms"), ceiling.d("e2e_p99_ms"));
            System.out.printf(Locale.ROOT, "ratio service / ceiling      : %.2f%n", sat.d("throughput") / ceiling.d("throughput"));
        }
        System.out.println("targets                      : >= 200/s " + mark(sat.d("throughput") >= 200)
                + ", >= 0.5 x ceiling " + (ceiling == null ? "(not run)" : mark(sat.d("throughput") / ceiling.d("throughput") >= 0.5))
                + ", p99 <= 250 ms at half load " + mark(open.d("e2e_p99_ms") <= 250)
                + ", p99 <= 100 ms idle " + mark(idle.d("e2e_p99_ms") <= 100));
    }

    /** The service's production-like properties on the benchmark's PostgreSQL, with mail to {@code smtpPort} of 127.0.0.1. */
    static Map<String, String> serviceProperties(BenchPostgres pg, int httpPort, Path dataDir, String smtpPort) {
        Map<String, String> props = new LinkedHashMap<>();
        props.put("server.port", Integer.toString(httpPort));
        props.put("server.address", "127.0.0.1");
        props.put("spring.datasource.url", pg.url("nodelock"));
        props.put("spring.datasource.username", BenchPostgres.SUPERUSER);
        props.put("spring.datasource.password", "");
        props.put("spring.mail.host", "127.0.0.1");
        props.put("spring.mail.port", smtpPort);
        props.put("nodelock.mail.embedded.enabled", "false");
        props.put("nodelock.demo.enabled", "false");
        props.put("nodelock.engine.admin.password", "bench-admin-" + HexFormat.of().formatHex(random(8)));
        props.put("nodelock.data-dir", dataDir.toString());
        props.put("nodelock.signing.generated-key-dir", dataDir.resolve("keys").toString());
        props.put("spring.main.banner-mode", "off");
        return props;
    }

    private static String mark(boolean met) {
        return met ? "MET" : "NOT MET";
    }

    private static void line(String label, PhaseResult p) {
        System.out.printf(Locale.ROOT, "%-29s: e2e p50 / p95 / p99 %.0f / %.0f / %.0f ms (max %.0f); HTTP accept p50 / p99 %.1f / %.1f ms%n",
                label, p.d("e2e_p50_ms"), p.d("e2e_p95_ms"), p.d("e2e_p99_ms"), p.d("e2e_max_ms"), p.d("accept_p50_ms"), p.d("accept_p99_ms"));
    }

    private static void print(PhaseResult p) {
        System.out.printf(Locale.ROOT, "%n--- %s: %s%n", p.name(), p.result());
        double cores = Runtime.getRuntime().availableProcessors();
        double busy = (p.after().machineBusyTicks() - p.before().machineBusyTicks()) * 1000.0 / CLK_TCK;
        double mine = (p.after().serviceCpuTicks() - p.before().serviceCpuTicks() + p.after().pgCpuTicks() - p.before().pgCpuTicks())
                * 1000.0 / CLK_TCK;
        double client = Double.parseDouble(p.result().getOrDefault("client_cpu_ms", "0"));
        System.out.printf(Locale.ROOT, "    %.1f s; per completed: service JVM %.1f ms CPU, PostgreSQL %.1f ms CPU, %.2f commits,"
                        + " %.2f WAL flushes (fdatasync), %.1f KiB WAL; service VmRSS %d MiB; load average %s before, %s after%n",
                p.seconds(), p.serviceCpuMs(), p.pgCpuMs(), p.commits(), p.walSyncs(), p.walKb(), p.after().rssKb() / 1024,
                p.before().load(), p.after().load());
        System.out.printf(Locale.ROOT, "    machine CPU busy %.0f %% of %d cores: service/engine JVM + PostgreSQL %.0f %%, load generator %.0f %%,"
                        + " everything else (sink, other users) %.0f %%%n",
                100 * busy / 1000 / p.seconds() / cores, (int) cores, 100 * mine / 1000 / p.seconds() / cores,
                100 * client / 1000 / p.seconds() / cores, 100 * (busy - mine - client) / 1000 / p.seconds() / cores);
    }

    private static PhaseResult phase(String name, Probe probe, Path runDir, List<Process> started, List<String> base, String... args)
            throws Exception {
        List<String> cmd = new ArrayList<>(base);
        cmd.addAll(List.of(args));
        System.out.printf(Locale.ROOT, "%n%s: %s%n", name, String.join(" ", List.of(args)));
        Thread.sleep(2000); // statistics of the previous phase flushed
        Sample before = probe.sample("nodelock");
        Path log = runDir.resolve("loadgen-" + name.replace(' ', '-') + ".log");
        Process p = start(started, log, cmd.toArray(String[]::new));
        int rc = p.waitFor();
        Sample cpuAfter = probe.sample("nodelock");
        Thread.sleep(2000); // PostgreSQL publishes commit counts about once a second
        long commitsAfter = probe.commits("nodelock");
        long[] wal = probe.wal();
        Sample after = new Sample(cpuAfter.serviceCpuTicks(), cpuAfter.pgCpuTicks(), commitsAfter, cpuAfter.rssKb(), cpuAfter.hwmKb(),
                cpuAfter.load(), cpuAfter.nanos(), cpuAfter.machineBusyTicks(), wal[0], wal[1]);
        String out = Files.readString(log);
        if (rc != 0) {
            throw new IllegalStateException(name + " failed (exit " + rc + "):\n" + out);
        }
        return new PhaseResult(name, parseResult(out), before, after);
    }

    private static PhaseResult ceiling(Options o, BenchPostgres pg, long postmaster, Path runDir, List<Process> started,
                                       String java, String classpath) throws Exception {
        System.out.printf(Locale.ROOT, "%nceiling: %d warm-up + %d instances, %d clients%n", o.warmup(), o.fulfillments(), o.ceilingClients());
        Path log = runDir.resolve("ceiling.log");
        Process p = new ProcessBuilder(java, "-Xmx" + o.xmx(), "-cp", classpath, EngineCeiling.class.getName(),
                "--db-url", pg.url("ceiling"), "--db-user", BenchPostgres.SUPERUSER, "--warmup", Integer.toString(o.warmup()),
                "--count", Integer.toString(o.fulfillments()), "--clients", Integer.toString(o.ceilingClients()),
                "--timeout-seconds", Integer.toString(o.timeoutSeconds()))
                .redirectErrorStream(true).start();
        started.add(p);
        Probe probe = new Probe(pg, postmaster, p.pid());
        Sample before = null;
        Sample after = null;
        Map<String, String> result = null;
        StringBuilder all = new StringBuilder();
        OutputStream stdin = p.getOutputStream();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                all.append(line).append('\n');
                if (line.startsWith("@@MEASURE-BEGIN")) {
                    Thread.sleep(2000);
                    before = probe.sample("ceiling");
                    stdin.write('\n');
                    stdin.flush();
                } else if (line.startsWith("@@MEASURE-END")) {
                    Sample cpu = probe.sample("ceiling");
                    Thread.sleep(2000);
                    long[] wal = probe.wal();
                    after = new Sample(cpu.serviceCpuTicks(), cpu.pgCpuTicks(), probe.commits("ceiling"), cpu.rssKb(), cpu.hwmKb(),
                            cpu.load(), cpu.nanos(), cpu.machineBusyTicks(), wal[0], wal[1]);
                    stdin.write('\n');
                    stdin.flush();
                } else if (line.startsWith("RESULT") || line.startsWith("ceiling warm-up")) {
                    if (line.startsWith("RESULT")) {
                        result = parseResult(line);
                    }
                    System.out.println("    " + line);
                }
            }
        }
        Files.writeString(log, all);
        int rc = p.waitFor();
        if (rc != 0 || result == null || before == null || after == null) {
            throw new IllegalStateException("ceiling failed (exit " + rc + "), see " + log);
        }
        return new PhaseResult("bare-engine ceiling", result, before, after);
    }

    private static Map<String, String> parseResult(String out) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String line : out.split("\n")) {
            if (line.startsWith("RESULT")) {
                for (String kv : line.substring(6).trim().split(" ")) {
                    int e = kv.indexOf('=');
                    m.put(kv.substring(0, e), kv.substring(e + 1));
                }
            }
        }
        if (m.isEmpty()) {
            throw new IllegalStateException("no RESULT line in:\n" + out);
        }
        return m;
    }

    /** Samples CPU of one JVM and of the whole PostgreSQL cluster, plus commits of a database. */
    static final class Probe {
        private final BenchPostgres pg;
        private final long postmaster;
        private final long jvm;

        Probe(BenchPostgres pg, long postmaster, long jvm) {
            this.pg = pg;
            this.postmaster = postmaster;
            this.jvm = jvm;
        }

        Sample sample(String database) throws Exception {
            long nanos = System.nanoTime();
            long[] j = stat(jvm);
            long pgTicks = postgresTicks();
            long[] w = wal();
            return new Sample(j == null ? 0 : j[0] + j[1], pgTicks, commits(database), procStatusKb(jvm, "VmRSS"),
                    procStatusKb(jvm, "VmHWM"), load(), nanos, machineBusyTicks(), w[0], w[1]);
        }

        /** Postmaster's own time, its reaped children's (exited backends), and every live child's. */
        long postgresTicks() throws IOException {
            long[] pm = stat(postmaster);
            long sum = pm[0] + pm[1] + pm[2] + pm[3];
            try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
                for (Path p : (Iterable<Path>) procs::iterator) {
                    String name = p.getFileName().toString();
                    if (!name.chars().allMatch(Character::isDigit)) {
                        continue;
                    }
                    long[] s = stat(Long.parseLong(name));
                    if (s != null && s[4] == postmaster) {
                        sum += s[0] + s[1];
                    }
                }
            }
            return sum;
        }

        /** Cluster-wide WAL flushes to disk (each an fdatasync: what durable commits cost) and WAL bytes, from pg_stat_wal. */
        long[] wal() throws Exception {
            try (Connection c = pg.connect("postgres"); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("select wal_sync, wal_bytes from pg_stat_wal")) {
                rs.next();
                return new long[] {rs.getLong(1), rs.getLong(2)};
            }
        }

        long commits(String database) throws Exception {
            try (Connection c = pg.connect("postgres"); PreparedStatement s = c.prepareStatement(
                    "select xact_commit from pg_stat_database where datname = ?")) {
                s.setString(1, database);
                try (ResultSet rs = s.executeQuery()) {
                    return rs.next() ? rs.getLong(1) : -1;
                }
            }
        }
    }

    /** utime, stime, cutime, cstime (clock ticks) and ppid of a process, or null when it is gone. */
    static long[] stat(long pid) {
        try {
            String s = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
            // after "pid (comm) ": f[0]=state f[1]=ppid ... f[11]=utime f[12]=stime f[13]=cutime f[14]=cstime
            return new long[] {Long.parseLong(f[11]), Long.parseLong(f[12]), Long.parseLong(f[13]), Long.parseLong(f[14]),
                    Long.parseLong(f[1])};
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Busy clock ticks of all CPUs (user, nice, system, irq, softirq, steal) from /proc/stat. */
    static long machineBusyTicks() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            return Long.parseLong(f[1]) + Long.parseLong(f[2]) + Long.parseLong(f[3]) + Long.parseLong(f[6]) + Long.parseLong(f[7])
                    + Long.parseLong(f[8]);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    static long procStatusKb(long pid, String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith(field + ":")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            // gone
        }
        return -1;
    }

    static String load() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + "/" + f[1] + "/" + f[2];
        } catch (IOException e) {
            return "?";
        }
    }

    static Process start(List<Process> started, Path log, String... command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        started.add(p);
        return p;
    }

    static void awaitReady(Process service, String baseUrl, Path log) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
        while (System.nanoTime() < deadline) {
            if (!service.isAlive()) {
                throw new IllegalStateException("service exited with " + service.exitValue() + "; see " + log);
            }
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(baseUrl + "/actuator/health/readiness"))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("service not ready within 240 s; see " + log);
    }

    static Path findJar() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("target"))) {
            return files.filter(f -> f.getFileName().toString().matches("nodelock-\\d.*\\.jar"))
                    .filter(f -> !f.getFileName().toString().endsWith("-plain.jar"))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("no target/nodelock-<version>.jar: run ./mvnw -DskipTests package first"));
        }
    }

    static byte[] random(int n) {
        byte[] b = new byte[n];
        new SecureRandom().nextBytes(b);
        return b;
    }

    static String sh(String command) {
        try {
            Process p = new ProcessBuilder("sh", "-c", command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(10, TimeUnit.SECONDS);
            return out;
        } catch (IOException e) {
            return "?";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "?";
        }
    }
}
