package io.nodelock.benchmark;

import io.nodelock.pak.PakCode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The bulk fulfillment benchmark: one 10,000-row CSV upload through the packaged service on a durable PostgreSQL
 * (fsync on), from the POST until the bulk is COMPLETED, then the archive's download. Not a test (a {@code main}); run
 * by the Maven profile {@code benchmark} with {@code -Dbenchmark.main=io.nodelock.benchmark.BulkFulfillmentBenchmark}
 * (docs/benchmark.md):
 *
 * <pre>
 * ./mvnw -B -Pbenchmark -DskipTests package exec:exec -Dbenchmark.main=io.nodelock.benchmark.BulkFulfillmentBenchmark \
 *     -Dbenchmark.args="--rows 10000"
 * </pre>
 *
 * <p>Prints the wall time, rows per second, the service's peak heap (its {@code jvm.memory.used} of the heap sampled
 * every 100 ms through the actuator) and peak RSS ({@code VmHWM}), the p50/p95/max of the batches' own durations (the
 * bulk's {@code bulk.batch-done} audit events), CPU of the service JVM and of PostgreSQL, and commits.
 */
public final class BulkFulfillmentBenchmark {

    private static final String SKU = "FL-C1111-SEC-K9";
    private static final long CLK_TCK = 100;
    private static final Pattern BATCH_MS = Pattern.compile(" in (\\d+) ms;");

    private BulkFulfillmentBenchmark() {
    }

    record Options(int rows, int warmup, int badEvery, String xmx, String jar, int timeoutSeconds, Map<String, String> properties,
                   List<String> serviceJvmArgs, List<String> pgSettings) {

        static Options parse(String[] raw) {
            List<String> args = new ArrayList<>();
            for (String a : raw) {
                for (String p : a.trim().split("\\s+")) {
                    if (!p.isEmpty()) {
                        args.add(p);
                    }
                }
            }
            int rows = 10_000;
            int warmup = 1000;
            int badEvery = 100;
            String xmx = "1g";
            String jar = null;
            int timeout = 600;
            Map<String, String> props = new LinkedHashMap<>();
            List<String> jvmArgs = new ArrayList<>();
            List<String> pg = new ArrayList<>();
            for (int i = 0; i < args.size(); i++) {
                switch (args.get(i)) {
                    case "--rows" -> rows = Integer.parseInt(args.get(++i));
                    case "--warmup" -> warmup = Integer.parseInt(args.get(++i));
                    case "--bad-every" -> badEvery = Integer.parseInt(args.get(++i));
                    case "--xmx" -> xmx = args.get(++i);
                    case "--jar" -> jar = args.get(++i);
                    case "--timeout-seconds" -> timeout = Integer.parseInt(args.get(++i));
                    case "--property" -> {
                        String kv = args.get(++i);
                        int e = kv.indexOf('=');
                        props.put(kv.substring(0, e), kv.substring(e + 1));
                    }
                    case "--jvm-arg" -> jvmArgs.add(args.get(++i));
                    case "--pg" -> pg.add(args.get(++i));
                    case "--help" -> {
                        System.out.println("Options: --rows N (10000) --warmup N (1000 rows, a bulk run first and not reported; 0: none)"
                                + " --bad-every N (100: every Nth row is for a device the SKU does not apply to; 0: none) --xmx SIZE (1g)"
                                + " --jar PATH --timeout-seconds S (600) --property key=value --jvm-arg ARG --pg name=value");
                        System.exit(0);
                    }
                    default -> throw new IllegalArgumentException("unknown option " + args.get(i) + " (try --help)");
                }
            }
            return new Options(rows, warmup, badEvery, xmx, jar, timeout, props, jvmArgs, pg);
        }
    }

    public static void main(String[] args) {
        BenchmarkRun.runAndExit(started -> run(Options.parse(args), started));
    }


    private static void run(Options o, List<Process> started) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path runDir = Path.of("target", "benchmark-run");
        Files.createDirectories(runDir);
        Path jar = o.jar() != null ? Path.of(o.jar()) : BenchmarkRun.findJar();
        String date = DateTimeFormatter.ISO_INSTANT.format(Instant.now().truncatedTo(ChronoUnit.SECONDS));
        System.out.println("=== Nodelock bulk fulfillment benchmark, " + date + " ===");
        System.out.println("machine     : " + BenchmarkRun.sh("nproc").trim() + " cores, "
                + BenchmarkRun.sh("lscpu | sed -n 's/^Model name: *//p'").trim() + ", "
                + BenchmarkRun.sh("awk '/MemTotal/ {printf \"%.1f GiB\", $2/1048576}' /proc/meminfo").trim() + " RAM, "
                + BenchmarkRun.sh("uname -r").trim());
        System.out.println("java        : " + System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        System.out.println("service jar : " + jar + ", -Xmx" + o.xmx());
        System.out.println("options     : " + o);
        System.out.println("load average: " + BenchmarkRun.load() + " (start)");

        BenchPostgres pg = BenchPostgres.start(o.pgSettings());
        pg.createDatabase("nodelock");
        long postmaster = pg.postmasterPid();

        int httpPort = BenchPostgres.freePort();
        Path dataDir = Files.createTempDirectory("nodelock-bulkbench-data-");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try (Stream<Path> paths = Files.walk(dataDir)) {
                paths.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            } catch (IOException | RuntimeException e) {
                // best effort
            }
        }, "bulkbench-data-delete"));
        // No mail server: the one result mail waits in the outbox; it is not part of what is measured.
        Map<String, String> props = BenchmarkRun.serviceProperties(pg, httpPort, dataDir, Integer.toString(BenchPostgres.freePort()));
        props.putAll(o.properties());
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx" + o.xmx()));
        cmd.addAll(o.serviceJvmArgs());
        cmd.addAll(List.of("-jar", jar.toString()));
        props.forEach((k, v) -> cmd.add("--" + k + "=" + v));
        long bootStart = System.nanoTime();
        Process service = BenchmarkRun.start(started, runDir.resolve("bulk-service.log"), cmd.toArray(String[]::new));
        String base = "http://127.0.0.1:" + httpPort;
        BenchmarkRun.awaitReady(service, base, runDir.resolve("bulk-service.log"));
        System.out.printf(Locale.ROOT, "service     : pid %d ready in %.1f s on %s (log %s)%n", service.pid(),
                (System.nanoTime() - bootStart) / 1e9, base, runDir.resolve("bulk-service.log"));

        String customer = "nlk_" + Base64.getUrlEncoder().withoutPadding().encodeToString(BenchmarkRun.random(32));
        String operator = "nlk_" + Base64.getUrlEncoder().withoutPadding().encodeToString(BenchmarkRun.random(32));
        PakCode pak = PakCode.random();
        try (Connection c = pg.connect("nodelock")) {
            Timestamp now = Timestamp.from(Instant.now());
            for (String[] account : new String[][] {{"bench", "CUSTOMER", customer}, {"bench-operator", "OPERATOR", operator}}) {
                try (PreparedStatement s = c.prepareStatement("insert into account (id, display_name, email, roles, created_at) values (?, ?, ?, ?, ?)")) {
                    s.setString(1, account[0]);
                    s.setString(2, "Benchmark " + account[0]);
                    s.setString(3, account[0] + "@bench.nodelock.test");
                    s.setString(4, account[1]);
                    s.setTimestamp(5, now);
                    s.executeUpdate();
                }
                try (PreparedStatement s = c.prepareStatement("insert into api_token (token_hash, account_id, label, created_at) values (?, ?, ?, ?)")) {
                    s.setString(1, HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(account[2].getBytes(StandardCharsets.UTF_8))));
                    s.setString(2, account[0]);
                    s.setString(3, "benchmark");
                    s.setTimestamp(4, now);
                    s.executeUpdate();
                }
            }
            try (PreparedStatement s = c.prepareStatement("insert into pak (code, account_id, created_at, created_by) values (?, ?, ?, ?)")) {
                s.setString(1, pak.value());
                s.setString(2, "bench");
                s.setTimestamp(3, now);
                s.setString(4, "benchmark");
                s.executeUpdate();
            }
            try (PreparedStatement s = c.prepareStatement("insert into pak_line (pak_code, line_no, sku, quantity, consumed) values (?, 1, ?, ?, 0)")) {
                s.setString(1, pak.value());
                s.setString(2, SKU);
                s.setInt(3, o.rows() + o.warmup());
                s.executeUpdate();
            }
        }

        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        BenchmarkRun.Probe probe = new BenchmarkRun.Probe(pg, postmaster, service.pid());
        if (o.warmup() > 0) {
            Result w = bulk(o, http, base, customer, operator, pak, "W", o.warmup(), pg, probe);
            System.out.printf(Locale.ROOT, "%nwarm-up     : %d rows in %.1f s (%.0f rows/s), not reported%n", w.rows, w.wallSeconds,
                    w.rows / w.wallSeconds);
        }
        Result r = bulk(o, http, base, customer, operator, pak, "B", o.rows(), pg, probe);
        long hwm = BenchmarkRun.procStatusKb(service.pid(), "VmHWM");

        System.out.println();
        System.out.println("=== Result (" + date + ", load average at end " + BenchmarkRun.load() + ") ===");
        System.out.printf(Locale.ROOT, "rows                         : %d (%d issued, %d refused), batch size %s%n", r.rows, r.issued,
                r.refused, o.properties().getOrDefault("nodelock.bulk.batch-size", "100 (default)"));
        System.out.printf(Locale.ROOT, "wall time                    : %.1f s (POST of the CSV until the bulk is COMPLETED); goal <= 60 s: %s%n",
                r.wallSeconds, r.wallSeconds <= 60 ? "MET" : "NOT MET");
        System.out.printf(Locale.ROOT, "rows per second              : %.0f%n", r.rows / r.wallSeconds);
        System.out.printf(Locale.ROOT, "intake (POST answered 202)   : %.2f s%n", r.intakeSeconds);
        System.out.printf(Locale.ROOT, "batches                      : %d; duration p50 / p95 / max %d / %d / %d ms%n", r.batchMs.size(),
                percentile(r.batchMs, 50), percentile(r.batchMs, 95), r.batchMs.isEmpty() ? 0 : Collections.max(r.batchMs));
        System.out.printf(Locale.ROOT, "archive download             : %.2f s, %d bytes, %d license files%n", r.archiveSeconds, r.archiveBytes,
                r.archiveFiles);
        System.out.printf(Locale.ROOT, "service heap peak            : %d MiB (jvm.memory.used, area heap, sampled every 100 ms), -Xmx%s%n",
                r.heapPeakBytes / (1024 * 1024), o.xmx());
        System.out.printf(Locale.ROOT, "service RSS peak (VmHWM)     : %d MiB%n", hwm / 1024);
        System.out.printf(Locale.ROOT, "CPU per row                  : service JVM %.2f ms, PostgreSQL %.2f ms; %.3f commits per row%n",
                r.serviceCpuMs / r.rows, r.pgCpuMs / r.rows, (double) r.commits / r.rows);
        System.out.printf(Locale.ROOT, "machine CPU busy             : %.0f %% of %d cores (service + PostgreSQL %.0f %%)%n", r.busyPercent,
                Runtime.getRuntime().availableProcessors(), r.minePercent);

        service.destroy();
        if (!service.waitFor(60, TimeUnit.SECONDS)) {
            service.destroyForcibly();
        }
    }

    static final class Result {
        int rows;
        int issued;
        int refused;
        double wallSeconds;
        double intakeSeconds;
        double archiveSeconds;
        long archiveBytes;
        int archiveFiles;
        long heapPeakBytes;
        List<Long> batchMs = new ArrayList<>();
        double serviceCpuMs;
        double pgCpuMs;
        long commits;
        double busyPercent;
        double minePercent;
    }

    private static Result bulk(Options o, HttpClient http, String base, String customer, String operator, PakCode pak, String prefix,
                               int rows, BenchPostgres pg, BenchmarkRun.Probe probe) throws Exception {
        StringBuilder csv = new StringBuilder("udi,sku\n");
        for (int i = 1; i <= rows; i++) {
            // Every badEvery-th row names a device the SKU does not apply to: refused alone (UDI_NOT_VALID_FOR_SKU).
            boolean bad = o.badEvery() > 0 && i % o.badEvery() == 0;
            csv.append(bad ? "\"PID:ISR4331/K9,SN:" : "\"PID:C1111-4P,SN:").append(prefix).append(String.format(Locale.ROOT, "%07d", i))
                    .append("\",").append(SKU).append('\n');
        }
        Result r = new Result();
        r.rows = rows;
        Thread.sleep(2000); // statistics of what came before flushed
        BenchmarkRun.Sample before = probe.sample("nodelock");
        AtomicLong heapPeak = new AtomicLong();
        Thread sampler = heapSampler(http, base, operator, heapPeak);
        long t0 = System.nanoTime();
        HttpResponse<String> accepted = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/bulk-fulfillments?pakCode="
                        + pak.formatted())).header("Authorization", "Bearer " + customer).header("Content-Type", "text/csv")
                .timeout(Duration.ofSeconds(120)).POST(HttpRequest.BodyPublishers.ofString(csv.toString())).build(),
                HttpResponse.BodyHandlers.ofString());
        r.intakeSeconds = (System.nanoTime() - t0) / 1e9;
        if (accepted.statusCode() != 202) {
            throw new IllegalStateException("bulk not accepted: " + accepted.statusCode() + " " + accepted.body());
        }
        String location = accepted.headers().firstValue("Location").orElseThrow();
        String id = location.substring(location.lastIndexOf('/') + 1);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(o.timeoutSeconds());
        String view;
        while (true) {
            view = http.send(HttpRequest.newBuilder(URI.create(base + location)).header("Authorization", "Bearer " + customer).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            if (view.contains("\"status\":\"COMPLETED\"")) {
                break;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("bulk " + id + " not complete after " + o.timeoutSeconds() + " s: " + view);
            }
            Thread.sleep(100);
        }
        r.wallSeconds = (System.nanoTime() - t0) / 1e9;
        BenchmarkRun.Sample cpuAfter = probe.sample("nodelock");
        sampler.interrupt();
        sampler.join(5000);
        r.heapPeakBytes = heapPeak.get();
        r.issued = count(view, "issued");
        r.refused = count(view, "refused");

        long t1 = System.nanoTime();
        HttpResponse<byte[]> archive = http.send(HttpRequest.newBuilder(URI.create(base + location + "/archive"))
                .header("Authorization", "Bearer " + customer).build(), HttpResponse.BodyHandlers.ofByteArray());
        r.archiveSeconds = (System.nanoTime() - t1) / 1e9;
        if (archive.statusCode() != 200) {
            throw new IllegalStateException("archive: " + archive.statusCode());
        }
        r.archiveBytes = archive.body().length;
        try (java.util.zip.ZipInputStream zip = new java.util.zip.ZipInputStream(new java.io.ByteArrayInputStream(archive.body()))) {
            for (java.util.zip.ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
                if (e.getName().endsWith(".lic")) {
                    r.archiveFiles++;
                }
            }
        }
        if (r.archiveFiles != r.issued) {
            throw new IllegalStateException(r.archiveFiles + " license files in the archive for " + r.issued + " issued rows");
        }

        Thread.sleep(2000); // PostgreSQL publishes commit counts about once a second
        long commitsAfter = probe.commits("nodelock");
        r.serviceCpuMs = (cpuAfter.serviceCpuTicks() - before.serviceCpuTicks()) * 1000.0 / CLK_TCK;
        r.pgCpuMs = (cpuAfter.pgCpuTicks() - before.pgCpuTicks()) * 1000.0 / CLK_TCK;
        r.commits = commitsAfter - before.commits();
        double seconds = (cpuAfter.nanos() - before.nanos()) / 1e9;
        double cores = Runtime.getRuntime().availableProcessors();
        r.busyPercent = 100 * (cpuAfter.machineBusyTicks() - before.machineBusyTicks()) * 1000.0 / CLK_TCK / 1000 / seconds / cores;
        r.minePercent = 100 * (r.serviceCpuMs + r.pgCpuMs) / 1000 / seconds / cores;
        try (Connection c = pg.connect("nodelock"); PreparedStatement s = c.prepareStatement(
                "select detail from audit_event where subject = ? and action = 'bulk.batch-done' order by id")) {
            s.setString(1, "bulk:" + id);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    Matcher m = BATCH_MS.matcher(rs.getString(1));
                    if (m.find()) {
                        r.batchMs.add(Long.parseLong(m.group(1)));
                    }
                }
            }
        }
        return r;
    }

    /** Samples the service's used heap through the actuator until interrupted, keeping the largest value. */
    private static Thread heapSampler(HttpClient http, String base, String operator, AtomicLong peak) {
        Pattern value = Pattern.compile("\"value\":([0-9.eE+]+)");
        Thread t = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    String body = http.send(HttpRequest.newBuilder(URI.create(base + "/actuator/metrics/jvm.memory.used?tag=area:heap"))
                            .header("Authorization", "Bearer " + operator).build(), HttpResponse.BodyHandlers.ofString()).body();
                    Matcher m = value.matcher(body);
                    if (m.find()) {
                        peak.accumulateAndGet((long) Double.parseDouble(m.group(1)), Math::max);
                    }
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (IOException e) {
                    // the next sample
                }
            }
        }, "heap-sampler");
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static int count(String view, String name) {
        Matcher m = Pattern.compile("\"" + name + "\":(\\d+)").matcher(view);
        return m.find() ? Integer.parseInt(m.group(1)) : -1;
    }

    private static long percentile(List<Long> values, int p) {
        if (values.isEmpty()) {
            return 0;
        }
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }
}
