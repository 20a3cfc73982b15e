package io.nodelock.benchmark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.nodelock.NodelockApplication;
import io.nodelock.account.Account;
import io.nodelock.account.Accounts;
import io.nodelock.account.ApiTokens;
import io.nodelock.account.Role;
import io.nodelock.notification.MailProperties;
import io.nodelock.pak.Pak;
import io.nodelock.pak.PakService;
import io.nodelock.testsupport.TestPostgres;
import io.nodelock.workflow.StepProperties;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import javax.sql.DataSource;
import org.operaton.bpm.engine.ProcessEngine;
import org.operaton.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;

/**
 * Drives PAK fulfillments through the running service and prints throughput, latency and memory. Not a test: a
 * {@code main} run by the Maven profile {@code benchmark} in a forked JVM:
 *
 * <pre>
 * ./mvnw -B -Pbenchmark test-compile exec:exec -Dbenchmark.args="--fulfillments 2000 --concurrency 16"
 * </pre>
 *
 * <p>It provisions PostgreSQL like the tests ({@link TestPostgres}: a throwaway local cluster, or
 * {@code NODELOCK_TEST_DB_URL}), starts a GreenMail SMTP server on a free port, starts the whole application in this
 * JVM on a random port of 127.0.0.1, creates an account, an API token and PAKs through the application's beans, and
 * from then on talks to it only over HTTP ({@code POST /api/v1/fulfillments}). A warm-up phase runs first; the
 * measured phase follows. Latency is end to end as the database recorded it: {@code mail_outbox.sent_at} (mail
 * handed to SMTP, which comes after the license is stored) minus {@code fulfillment.created_at}. Every loop is bounded
 * by a count and a time limit; all traffic stays on 127.0.0.1.
 *
 * <p>Options: {@code --fulfillments N} (measured, default 2000), {@code --warmup N} (default 1000),
 * {@code --concurrency N} (client threads, default 16), {@code --rate R} (measured phase: submit R requests per second
 * instead of as fast as the clients can; latency then shows the service below saturation), {@code --paks N} (spread the units over N PAKs, default 1),
 * {@code --timeout-seconds N} (per phase, default 300), {@code --count-sql} (count JDBC statements per fulfillment;
 * adds a small overhead), {@code --property key=value} (any Spring property, repeatable, e.g.
 * {@code --property nodelock.steps.max-chain=1}).
 */
public final class FulfillmentBenchmark {

    private static final String SKU = "FL-C1111-SEC-K9";
    private static final String PID = "C1111-4P";
    private static final ObjectMapper JSON = new ObjectMapper();

    private FulfillmentBenchmark() {
    }

    // ------------------------------------------------------------------------------------------------ options

    record Options(int fulfillments, int warmup, int concurrency, int paks, int timeoutSeconds, boolean countSql, double rate,
                   Map<String, String> properties) {

        static Options parse(String[] args) {
            int fulfillments = 2000;
            int warmup = 1000;
            int concurrency = 16;
            double rate = 0;
            int paks = 1;
            int timeout = 300;
            boolean countSql = false;
            Map<String, String> properties = new LinkedHashMap<>();
            List<String> list = new ArrayList<>();
            for (String a : args) {
                // exec:exec passes benchmark.args as one argument when it is quoted oddly; split on whitespace.
                for (String part : a.trim().split("\\s+")) {
                    if (!part.isEmpty()) {
                        list.add(part);
                    }
                }
            }
            for (int i = 0; i < list.size(); i++) {
                String arg = list.get(i);
                String value = null;
                int eq = arg.indexOf('=');
                if (arg.startsWith("--") && eq > 0 && !arg.startsWith("--property")) {
                    value = arg.substring(eq + 1);
                    arg = arg.substring(0, eq);
                }
                switch (arg) {
                    case "--fulfillments" -> fulfillments = positive(arg, value != null ? value : next(list, ++i, arg));
                    case "--warmup" -> warmup = nonNegative(arg, value != null ? value : next(list, ++i, arg));
                    case "--concurrency" -> concurrency = positive(arg, value != null ? value : next(list, ++i, arg));
                    case "--paks" -> paks = positive(arg, value != null ? value : next(list, ++i, arg));
                    case "--timeout-seconds" -> timeout = positive(arg, value != null ? value : next(list, ++i, arg));
                    case "--count-sql" -> countSql = true;
                    case "--rate" -> rate = Double.parseDouble(value != null ? value : next(list, ++i, arg));
                    case "--property", "-p" -> {
                        String kv = next(list, ++i, arg);
                        int e = kv.indexOf('=');
                        if (e <= 0) {
                            throw new IllegalArgumentException("--property needs key=value, got '" + kv + "'");
                        }
                        properties.put(kv.substring(0, e), kv.substring(e + 1));
                    }
                    case "--help", "-h" -> {
                        System.out.println("Options: --fulfillments N --warmup N --concurrency N --rate R --paks N --timeout-seconds N"
                                + " --count-sql --property key=value (repeatable)");
                        System.exit(0);
                    }
                    default -> {
                        if (arg.startsWith("--property=")) {
                            String kv = arg.substring("--property=".length());
                            int e = kv.indexOf('=');
                            if (e <= 0) {
                                throw new IllegalArgumentException("--property needs key=value, got '" + kv + "'");
                            }
                            properties.put(kv.substring(0, e), kv.substring(e + 1));
                        } else {
                            throw new IllegalArgumentException("Unknown option '" + arg + "' (try --help)");
                        }
                    }
                }
            }
            if (fulfillments > 1_000_000 || warmup > 1_000_000 || concurrency > 512 || paks > fulfillments) {
                throw new IllegalArgumentException("Limits: fulfillments/warmup <= 1000000, concurrency <= 512, paks <= fulfillments");
            }
            return new Options(fulfillments, warmup, concurrency, paks, timeout, countSql, rate, properties);
        }

        private static String next(List<String> list, int i, String option) {
            if (i >= list.size()) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            return list.get(i);
        }

        private static int positive(String option, String value) {
            int n = nonNegative(option, value);
            if (n < 1) {
                throw new IllegalArgumentException(option + " must be at least 1");
            }
            return n;
        }

        private static int nonNegative(String option, String value) {
            try {
                int n = Integer.parseInt(value);
                if (n < 0) {
                    throw new IllegalArgumentException(option + " must not be negative");
                }
                return n;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(option + " needs a number, got '" + value + "'");
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ main

    public static void main(String[] args) {
        int exit = 1;
        MemoryWatch memory = new MemoryWatch();
        GreenMail smtp = null;
        try {
            Options options = Options.parse(args);
            memory.start();
            smtp = startSmtp();
            run(options, memory, smtp);
            exit = 0;
        } catch (Throwable t) {
            System.out.flush();
            System.err.println();
            System.err.println("BENCHMARK FAILED: " + t);
            t.printStackTrace();
        } finally {
            memory.stop();
            if (smtp != null) {
                smtp.stop();
            }
            System.out.flush();
            System.err.flush();
            // Ends the JVM with the application still running: nothing is left to shut down gracefully, and
            // TestPostgres' shutdown hook stops and deletes its throwaway cluster.
            System.exit(exit);
        }
    }

    private static GreenMail startSmtp() {
        GreenMail mail = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort());
        mail.start();
        return mail;
    }

    private static void run(Options options, MemoryWatch memory, GreenMail smtp) throws Exception {
        Instant started = Instant.now();
        TestPostgres pg = TestPostgres.instance();
        String url = pg.createDatabase("nodelock_bench");
        Path dataDir = Files.createTempDirectory("nodelock-bench-");

        Map<String, Object> props = new LinkedHashMap<>();
        props.put("server.port", "0");
        props.put("server.address", "127.0.0.1");
        props.put("server.shutdown", "immediate");
        props.put("spring.datasource.url", url);
        props.put("spring.datasource.username", pg.username());
        props.put("spring.datasource.password", pg.password());
        props.put("spring.mail.host", "127.0.0.1");
        props.put("spring.mail.port", Integer.toString(smtp.getSmtp().getPort()));
        props.put("nodelock.mail.embedded.enabled", "false");
        props.put("nodelock.demo.enabled", "false");
        props.put("nodelock.engine.admin.password", "bench-admin-" + UUID.randomUUID());
        props.put("nodelock.data-dir", dataDir.toString());
        props.put("nodelock.signing.generated-key-dir", dataDir.resolve("keys").toString());
        props.put("spring.main.banner-mode", "off");
        props.putAll(options.properties());

        SqlCounter sql = options.countSql() ? new SqlCounter() : null;
        // Not builder.properties(...): those are default properties, and application.yml (server.port: 8080,
        // spring.datasource.url...) would win over them. A first-precedence property source wins over application.yml.
        SpringApplicationBuilder builder = new SpringApplicationBuilder(NodelockApplication.class)
                .initializers(ctx -> ctx.getEnvironment().getPropertySources().addFirst(new MapPropertySource("benchmark", props)));
        if (sql != null) {
            builder.initializers(ctx -> ctx.getBeanFactory().addBeanPostProcessor(sql.postProcessor()));
        }
        long bootStart = System.nanoTime();
        ConfigurableApplicationContext app = builder.run();
        try {
            benchmark(options, memory, smtp, app, sql, url, pg, (System.nanoTime() - bootStart) / 1e9, started);
        } finally {
            // Before TestPostgres' shutdown hook stops the database under the running engine.
            app.close();
        }
    }

    private static void benchmark(Options options, MemoryWatch memory, GreenMail smtp, ConfigurableApplicationContext app,
                                  SqlCounter sql, String url, TestPostgres pg, double bootSeconds, Instant started)
            throws Exception {
        int port = ((WebServerApplicationContext) app).getWebServer().getPort();

        // ---- setup through the beans: account, token, PAK(s)
        String accountId = "bench-" + UUID.randomUUID().toString().substring(0, 8);
        app.getBean(Accounts.class).create(new Account(accountId, "Benchmark " + accountId, accountId + "@bench.nodelock.test",
                EnumSet.of(Role.CUSTOMER), Instant.now()));
        String token = app.getBean(ApiTokens.class).issue(accountId, "benchmark");
        PakService pakService = app.getBean(PakService.class);
        int total = options.fulfillments() + options.warmup();
        List<String> paks = new ArrayList<>();
        for (int i = 0; i < options.paks(); i++) {
            int units = total / options.paks() + 1;
            Pak pak = pakService.create(accountId, List.of(new PakService.NewLine(SKU, units)), "benchmark", Optional.empty());
            paks.add(pak.code().formatted());
        }

        Map<String, String> settings = settings(app, options);
        printHeader(options, settings, bootSeconds, started);

        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        URI endpoint = URI.create("http://127.0.0.1:" + port + "/api/v1/fulfillments");
        Duration limit = Duration.ofSeconds(options.timeoutSeconds());

        try (Connection db = DriverManager.getConnection(url, pg.username(), pg.password())) {
            // ---- warm-up
            if (options.warmup() > 0) {
                System.out.printf(Locale.ROOT, "%nWarm-up: %d fulfillments, %d client threads...%n", options.warmup(), options.concurrency());
                Phase warm = submit(http, endpoint, token, paks, "WARM", "warmup@bench.nodelock.test", options.warmup(),
                        options.concurrency(), limit, 0);
                warm.requireAccepted();
                Outcome w = awaitMails(db, "warmup@bench.nodelock.test", options.warmup(), limit);
                System.out.printf(Locale.ROOT, "Warm-up done: %d mails sent in %.1f s (%.1f fulfillments/s while warming up)%n",
                        w.sent(), w.seconds(), w.sent() / Math.max(w.seconds(), 1e-9));
                w.requireComplete(options.warmup());
                smtp.purgeEmailFromAllMailboxes();
            }

            // ---- measured
            System.gc();
            memory.resetForMeasuredPhase();
            long peakRssBefore = procStatusKb("VmHWM");
            boolean rssReset = resetPeakRss();
            if (sql != null) {
                sql.reset();
            }
            DbStats dbBefore = DbStats.read(db);
            long cpuBefore = processCpuNanos();
            String loadBefore = loadAverage();
            System.out.printf(Locale.ROOT, "%nMeasured: %d fulfillments, %d client threads...%n", options.fulfillments(), options.concurrency());
            String email = "measured@bench.nodelock.test";
            Phase measured = submit(http, endpoint, token, paks, "BENCH", email, options.fulfillments(), options.concurrency(), limit,
                    options.rate());
            measured.requireAccepted();
            Outcome outcome = awaitMails(db, email, options.fulfillments(), limit);
            long peakRssMeasured = procStatusKb("VmHWM");
            long cpuNanos = processCpuNanos() - cpuBefore;
            String loadAfter = loadAverage();
            Thread.sleep(1200); // PostgreSQL flushes its statistics about once a second
            DbStats dbAfter = DbStats.read(db);
            SqlCounter.Snapshot sqlSnapshot = sql == null ? null : sql.snapshot();
            outcome.requireComplete(options.fulfillments());

            printResults(db, email, options, measured, outcome, memory, peakRssBefore, rssReset, peakRssMeasured,
                    dbBefore, dbAfter, sqlSnapshot);
            System.out.printf(Locale.ROOT, "CPU of this JVM            : %.1f ms per fulfillment (%.1f s in the measured phase)%n",
                    cpuNanos / 1e6 / options.fulfillments(), cpuNanos / 1e9);
            System.out.printf(Locale.ROOT, "load average (1/5/15 min)  : %s before, %s after the measured phase%n", loadBefore, loadAfter);
        }
    }

    // ------------------------------------------------------------------------------------------------ client

    record Phase(int requested, int accepted, List<String> errors, long[] acceptNanos, double submitSeconds) {

        void requireAccepted() {
            if (accepted != requested) {
                throw new IllegalStateException("Only " + accepted + " of " + requested + " submissions were accepted (202); first errors: "
                        + errors.subList(0, Math.min(5, errors.size())));
            }
        }
    }

    /** Submits {@code count} fulfillments from {@code threads} client threads; ends by count or the time limit. */
    static Phase submit(HttpClient http, URI endpoint, String token, List<String> paks, String serialPrefix, String email,
                        int count, int threads, Duration limit, double rate) throws InterruptedException {
        AtomicInteger nextIndex = new AtomicInteger();
        AtomicInteger accepted = new AtomicInteger();
        ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();
        long[] acceptNanos = new long[count];
        long deadline = System.nanoTime() + limit.toNanos();
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "bench-client");
            t.setDaemon(true);
            return t;
        });
        long start = System.nanoTime();
        for (int t = 0; t < threads; t++) {
            pool.execute(() -> {
                int i;
                while ((i = nextIndex.getAndIncrement()) < count && System.nanoTime() < deadline) {
                    if (rate > 0) {
                        // Open-loop pacing: request i is due at start + i / rate, whatever the service's speed.
                        long due = start + (long) (i * 1e9 / rate);
                        while (System.nanoTime() < due) {
                            java.util.concurrent.locks.LockSupport.parkNanos(due - System.nanoTime());
                        }
                    }
                    String udi = "PID:" + PID + ",SN:" + serialPrefix + String.format(Locale.ROOT, "%07d", i + 1);
                    String body = """
                            {"pakCode":"%s","sku":"%s","udi":"%s","email":"%s","eulaAccepted":true}"""
                            .formatted(paks.get(i % paks.size()), SKU, udi, email);
                    HttpRequest request = HttpRequest.newBuilder(endpoint).timeout(Duration.ofSeconds(60))
                            .header("Authorization", "Bearer " + token)
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(body)).build();
                    long t0 = System.nanoTime();
                    try {
                        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                        acceptNanos[i] = System.nanoTime() - t0;
                        if (response.statusCode() == 202) {
                            accepted.incrementAndGet();
                        } else {
                            errors.add(response.statusCode() + " " + abbreviate(response.body()));
                        }
                    } catch (IOException e) {
                        errors.add(e.toString());
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            });
        }
        pool.shutdown();
        if (!pool.awaitTermination(limit.toSeconds() + 60, TimeUnit.SECONDS)) {
            pool.shutdownNow();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        int done = Math.min(nextIndex.get(), count);
        long[] latencies = new long[done];
        System.arraycopy(acceptNanos, 0, latencies, 0, done);
        return new Phase(count, accepted.get(), new ArrayList<>(errors), latencies, seconds);
    }

    private static String abbreviate(String s) {
        return s == null ? "" : s.length() > 300 ? s.substring(0, 300) + "..." : s;
    }

    // ------------------------------------------------------------------------------------------------ waiting

    record Outcome(int fulfillments, int sent, int rejected, int mailFailed, int incidents, double seconds) {

        void requireComplete(int expected) {
            if (rejected > 0 || mailFailed > 0 || incidents > 0 || sent != expected) {
                throw new IllegalStateException("Benchmark FAILED: of " + expected + " fulfillments " + fulfillments
                        + " were stored, " + sent + " have their license mail SENT, " + rejected + " were REJECTED, "
                        + mailFailed + " mails FAILED, " + incidents + " engine incidents");
            }
        }
    }

    /** Polls the database until all fulfillments of the phase have their mail SENT, one is rejected, or the limit passes. */
    static Outcome awaitMails(Connection db, String email, int expected, Duration limit) throws SQLException, InterruptedException {
        long start = System.nanoTime();
        long deadline = start + limit.toNanos();
        long lastReport = start;
        while (true) {
            Outcome o = outcome(db, email, (System.nanoTime() - start) / 1e9);
            if (o.sent() >= expected || o.rejected() > 0 || o.mailFailed() > 0 || o.incidents() > 0
                    || System.nanoTime() > deadline) {
                return o;
            }
            if (System.nanoTime() - lastReport > TimeUnit.SECONDS.toNanos(10)) {
                System.out.printf(Locale.ROOT, "  ... %.0f s: %d stored, %d mails sent%n", o.seconds(), o.fulfillments(), o.sent());
                lastReport = System.nanoTime();
            }
            Thread.sleep(100);
        }
    }

    private static Outcome outcome(Connection db, String email, double seconds) throws SQLException {
        try (PreparedStatement s = db.prepareStatement("""
                select count(*),
                       count(*) filter (where m.status = 'SENT'),
                       count(*) filter (where f.status = 'REJECTED'),
                       count(*) filter (where m.status = 'FAILED'),
                       (select count(*) from act_ru_incident)
                from fulfillment f left join mail_outbox m on m.operation_id = 'license-mail:' || f.id
                where f.email = ?""")) {
            s.setString(1, email);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return new Outcome(rs.getInt(1), rs.getInt(2), rs.getInt(3), rs.getInt(4), rs.getInt(5), seconds);
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ results

    private static void printResults(Connection db, String email, Options options, Phase phase, Outcome outcome,
                                     MemoryWatch memory, long peakRssBefore, boolean rssReset, long peakRssMeasured,
                                     DbStats before, DbStats after, SqlCounter.Snapshot sql) throws SQLException {
        List<Double> endToEnd = new ArrayList<>();
        List<Double> toIssued = new ArrayList<>();
        List<Double> issuedToQueued = new ArrayList<>();
        List<Double> queuedToSent = new ArrayList<>();
        double windowSeconds;
        try (PreparedStatement s = db.prepareStatement("""
                select extract(epoch from (m.sent_at - f.created_at)) * 1000,
                       extract(epoch from (f.completed_at - f.created_at)) * 1000,
                       extract(epoch from (m.created_at - f.completed_at)) * 1000,
                       extract(epoch from (m.sent_at - m.created_at)) * 1000
                from fulfillment f join mail_outbox m on m.operation_id = 'license-mail:' || f.id
                where f.email = ? and m.status = 'SENT'""");
             PreparedStatement w = db.prepareStatement("""
                select extract(epoch from (max(m.sent_at) - min(f.created_at)))
                from fulfillment f join mail_outbox m on m.operation_id = 'license-mail:' || f.id
                where f.email = ? and m.status = 'SENT'""")) {
            s.setString(1, email);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    endToEnd.add(rs.getDouble(1));
                    toIssued.add(rs.getDouble(2));
                    issuedToQueued.add(rs.getDouble(3));
                    queuedToSent.add(rs.getDouble(4));
                }
            }
            w.setString(1, email);
            try (ResultSet rs = w.executeQuery()) {
                rs.next();
                windowSeconds = rs.getDouble(1);
            }
        }
        List<Double> accept = new ArrayList<>();
        for (long n : phase.acceptNanos()) {
            accept.add(n / 1e6);
        }
        int n = endToEnd.size();
        System.out.println();
        System.out.println("=== Results (measured phase) ===");
        System.out.printf(Locale.ROOT, "fulfillments completed     : %d (license stored and mail SENT)%n", n);
        System.out.printf(Locale.ROOT, "throughput                 : %.1f fulfillments/s  (%d / %.2f s, first created_at to last sent_at)%n",
                n / windowSeconds, n, windowSeconds);
        System.out.printf(Locale.ROOT, "submission rate (HTTP 202) : %.1f requests/s  (%d in %.2f s)%n",
                phase.accepted() / phase.submitSeconds(), phase.accepted(), phase.submitSeconds());
        System.out.println("latency, ms                  p50      p95      p99      max");
        printLatency("end to end (created->SENT)", endToEnd);
        printLatency("HTTP accept (client side)", accept);
        printLatency("  created -> license issued", toIssued);
        printLatency("  issued -> mail queued", issuedToQueued);
        printLatency("  mail queued -> SENT", queuedToSent);
        System.out.println("memory (this JVM: service + GreenMail + client; PostgreSQL not included)");
        System.out.printf(Locale.ROOT, "  -Xmx (max heap)          : %s%n", mib(Runtime.getRuntime().maxMemory()));
        System.out.printf(Locale.ROOT, "  peak heap used, measured : %s (polled every 10 ms); whole run %s%n",
                mib(memory.peakHeapMeasured()), mib(memory.peakHeapOverall()));
        System.out.printf(Locale.ROOT, "  heap pools' peaks, summed: %s (measured phase, pools reset before it)%n",
                mib(memory.poolPeaksSum()));
        System.out.printf(Locale.ROOT, "  peak non-heap used       : %s%n", mib(memory.peakNonHeap()));
        System.out.printf(Locale.ROOT, "  peak RSS (VmHWM)         : %s before the measured phase%s%n", kib(peakRssBefore),
                rssReset ? ", " + kib(peakRssMeasured) + " during it (reset via clear_refs)" : " (process lifetime; "
                        + kib(peakRssMeasured) + " at end)");
        System.out.printf(Locale.ROOT, "  GC                       : %s%n", gcSummary());
        double perF = Math.max(1, n);
        System.out.println("database (pg_stat_database of the benchmark's database, measured phase)");
        System.out.printf(Locale.ROOT, "  commits per fulfillment  : %.1f   rollbacks: %.1f%n",
                (after.commits() - before.commits()) / perF, (after.rollbacks() - before.rollbacks()) / perF);
        System.out.printf(Locale.ROOT, "  rows ins/upd/del per f.  : %.1f / %.1f / %.1f   rows returned by scans: %.0f%n",
                (after.inserted() - before.inserted()) / perF, (after.updated() - before.updated()) / perF,
                (after.deleted() - before.deleted()) / perF, (after.returned() - before.returned()) / perF);
        if (sql != null) {
            System.out.println("JDBC (--count-sql, measured phase, includes the benchmark's own polling)");
            System.out.printf(Locale.ROOT, "  statements executed per f: %.1f (batches %.1f, batched rows %.1f), commits %.1f, connection checkouts %.1f%n",
                    sql.statements() / perF, sql.batches() / perF, sql.batchedRows() / perF, sql.commits() / perF,
                    sql.checkouts() / perF);
            System.out.println("  top statements (executions per fulfillment):");
            sql.bySql().entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(40)
                    .forEach(e -> System.out.printf(Locale.ROOT, "    %6.2f  %s%n", e.getValue() / perF, oneLine(e.getKey())));
        }
        if (!phase.errors().isEmpty()) {
            System.out.println("client errors: " + phase.errors().size() + ", first: " + phase.errors().get(0));
        }
    }

    private static String oneLine(String sql) {
        String s = sql.replaceAll("\\s+", " ").trim();
        return s.length() > 150 ? s.substring(0, 150) + "..." : s;
    }

    private static void printLatency(String label, List<Double> values) {
        if (values.isEmpty()) {
            System.out.printf(Locale.ROOT, "  %-27s (no data)%n", label);
            return;
        }
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        System.out.printf(Locale.ROOT, "  %-27s %8.1f %8.1f %8.1f %8.1f%n", label, percentile(sorted, 50),
                percentile(sorted, 95), percentile(sorted, 99), sorted.get(sorted.size() - 1));
    }

    /** Nearest-rank percentile of a sorted list. */
    static double percentile(List<Double> sorted, double p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.size());
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
    }

    // ------------------------------------------------------------------------------------------------ environment

    private static Map<String, String> settings(ConfigurableApplicationContext app, Options options) {
        Map<String, String> s = new LinkedHashMap<>();
        ProcessEngine engine = app.getBean(ProcessEngine.class);
        ProcessEngineConfigurationImpl config = (ProcessEngineConfigurationImpl) engine.getProcessEngineConfiguration();
        s.put("Operaton history level", config.getHistoryLevel().getName());
        s.put("Operaton jdbc batch processing", Boolean.toString(config.isJdbcBatchProcessing()));
        s.put("steps per transaction, at most (nodelock.steps.max-chain)", Integer.toString(app.getBean(StepProperties.class).maxChain()));
        s.put("job executor threads", app.getEnvironment().getProperty("operaton.bpm.job-execution.core-pool-size", "3 (default)"));
        MailProperties mail = app.getBean(MailProperties.class);
        s.put("mail senders / batch size / idle poll", mail.senders() + " / " + mail.batchSize() + " / " + mail.idlePoll());
        s.put("hikari maximum-pool-size", app.getEnvironment().getProperty("spring.datasource.hikari.maximum-pool-size", "10 (default)"));
        s.put("job executor", app.getEnvironment().getProperty("operaton.bpm.job-execution.enabled", "?"));
        if (!options.properties().isEmpty()) {
            s.put("--property overrides", options.properties().toString());
        }
        return s;
    }

    private static void printHeader(Options options, Map<String, String> settings, double bootSeconds, Instant started) {
        System.out.println();
        System.out.println("=== Nodelock PAK fulfillment benchmark ===");
        System.out.printf(Locale.ROOT, "date                       : %s%n", ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
        System.out.printf(Locale.ROOT, "machine                    : %d cores, %s, %s RAM%n", Runtime.getRuntime().availableProcessors(),
                cpuModel(), kib(meminfoKb("MemTotal")));
        System.out.printf(Locale.ROOT, "JVM                        : %s %s, -Xmx %s, args %s%n", System.getProperty("java.vm.name"),
                System.getProperty("java.runtime.version"), mib(Runtime.getRuntime().maxMemory()),
                ManagementFactory.getRuntimeMXBean().getInputArguments());
        System.out.printf(Locale.ROOT, "load average at start      : %s (other processes share these cores)%n", loadAverage());
        System.out.printf(Locale.ROOT, "N (measured) / warm-up     : %d / %d%n", options.fulfillments(), options.warmup());
        System.out.printf(Locale.ROOT, "concurrency (client thr.)  : %d%n", options.concurrency());
        System.out.printf(Locale.ROOT, "PAKs                       : %d (SKU %s)%n", options.paks(), SKU);
        settings.forEach((k, v) -> System.out.printf(Locale.ROOT, "%-27s: %s%n", k.length() > 27 ? k.substring(0, 27) : k, v));
        System.out.printf(Locale.ROOT, "application start          : %.1f s (%.1f s since benchmark start)%n", bootSeconds,
                Duration.between(started, Instant.now()).toMillis() / 1000.0);
    }

    static long processCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return -1;
    }

    static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (IOException | RuntimeException e) {
            return "n/a";
        }
    }

    static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return System.getProperty("os.arch");
    }

    static long meminfoKb(String key) {
        return keyedKb(Path.of("/proc/meminfo"), key);
    }

    static long procStatusKb(String key) {
        return keyedKb(Path.of("/proc/self/status"), key);
    }

    private static long keyedKb(Path file, String key) {
        try {
            for (String line : Files.readAllLines(file)) {
                if (line.startsWith(key + ":")) {
                    return Long.parseLong(line.substring(key.length() + 1).replace("kB", "").trim());
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return -1;
    }

    /** Resets the kernel's peak-RSS mark (VmHWM) of this process, so the measured phase gets its own peak. */
    private static boolean resetPeakRss() {
        try {
            Files.writeString(Path.of("/proc/self/clear_refs"), "5");
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static String mib(long bytes) {
        return bytes < 0 ? "n/a" : String.format(Locale.ROOT, "%.0f MiB", bytes / 1048576.0);
    }

    private static String kib(long kb) {
        return kb < 0 ? "n/a" : String.format(Locale.ROOT, "%.0f MiB", kb / 1024.0);
    }

    private static String gcSummary() {
        StringBuilder sb = new StringBuilder();
        ManagementFactory.getGarbageCollectorMXBeans().forEach(gc -> sb.append(sb.length() == 0 ? "" : ", ")
                .append(gc.getName()).append(' ').append(gc.getCollectionCount()).append("x/")
                .append(gc.getCollectionTime()).append(" ms"));
        return sb + " (whole run)";
    }

    // ------------------------------------------------------------------------------------------------ memory

    /** Polls heap use; the MXBeans' own peaks only cover pools, and the sum of pool peaks overstates the heap's peak. */
    static final class MemoryWatch {
        private final AtomicLong peakOverall = new AtomicLong();
        private final AtomicLong peakMeasured = new AtomicLong();
        private final AtomicLong peakNonHeap = new AtomicLong();
        private volatile boolean running = true;
        private Thread thread;

        void start() {
            thread = new Thread(() -> {
                var mx = ManagementFactory.getMemoryMXBean();
                long deadline = System.nanoTime() + TimeUnit.HOURS.toNanos(3);
                while (running && System.nanoTime() < deadline) {
                    long used = mx.getHeapMemoryUsage().getUsed();
                    peakOverall.accumulateAndGet(used, Math::max);
                    peakMeasured.accumulateAndGet(used, Math::max);
                    peakNonHeap.accumulateAndGet(mx.getNonHeapMemoryUsage().getUsed(), Math::max);
                    try {
                        Thread.sleep(10);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "bench-memory-watch");
            thread.setDaemon(true);
            thread.start();
        }

        void resetForMeasuredPhase() {
            peakMeasured.set(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
            ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
        }

        long peakHeapOverall() {
            return peakOverall.get();
        }

        long peakHeapMeasured() {
            return peakMeasured.get();
        }

        long peakNonHeap() {
            return peakNonHeap.get();
        }

        long poolPeaksSum() {
            return ManagementFactory.getMemoryPoolMXBeans().stream().filter(p -> p.getType() == MemoryType.HEAP)
                    .mapToLong(p -> p.getPeakUsage().getUsed()).sum();
        }

        void stop() {
            running = false;
        }
    }

    // ------------------------------------------------------------------------------------------------ database

    record DbStats(long commits, long rollbacks, long inserted, long updated, long deleted, long returned) {
        static DbStats read(Connection db) throws SQLException {
            try (Statement s = db.createStatement();
                 ResultSet rs = s.executeQuery("select xact_commit, xact_rollback, tup_inserted, tup_updated, tup_deleted, "
                         + "tup_returned from pg_stat_database where datname = current_database()")) {
                rs.next();
                return new DbStats(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5), rs.getLong(6));
            }
        }
    }

    /** Counts JDBC work of the application by wrapping its DataSource bean in a dynamic proxy (only with --count-sql). */
    static final class SqlCounter {
        private final LongAdder statements = new LongAdder();
        private final LongAdder batches = new LongAdder();
        private final LongAdder batchedRows = new LongAdder();
        private final LongAdder commits = new LongAdder();
        private final LongAdder checkouts = new LongAdder();
        private final Map<String, LongAdder> bySql = new ConcurrentHashMap<>();

        record Snapshot(long statements, long batches, long batchedRows, long commits, long checkouts, Map<String, Long> bySql) {
        }

        void reset() {
            statements.reset();
            batches.reset();
            batchedRows.reset();
            commits.reset();
            checkouts.reset();
            bySql.clear();
        }

        Snapshot snapshot() {
            Map<String, Long> copy = new LinkedHashMap<>();
            bySql.forEach((k, v) -> copy.put(k, v.sum()));
            return new Snapshot(statements.sum(), batches.sum(), batchedRows.sum(), commits.sum(), checkouts.sum(), copy);
        }

        BeanPostProcessor postProcessor() {
            return new BeanPostProcessor() {
                @Override
                public Object postProcessAfterInitialization(Object bean, String beanName) throws BeansException {
                    if (bean instanceof DataSource ds && "dataSource".equals(beanName)) {
                        return proxy(DataSource.class, ds, (target, method, args) -> {
                            Object result = invoke(target, method, args);
                            if (method.getName().equals("getConnection")) {
                                checkouts.increment();
                                return proxy(Connection.class, (Connection) result, connectionHandler());
                            }
                            return result;
                        });
                    }
                    return bean;
                }
            };
        }

        private Handler<Connection> connectionHandler() {
            return (target, method, args) -> {
                String name = method.getName();
                Object result = invoke(target, method, args);
                if (name.equals("commit")) {
                    commits.increment();
                } else if ((name.equals("prepareStatement") || name.equals("prepareCall")) && args != null && args[0] instanceof String sql) {
                    return proxy(PreparedStatement.class, (PreparedStatement) result, statementHandler(sql));
                } else if (name.equals("createStatement")) {
                    return proxy(Statement.class, (Statement) result, statementHandler(null));
                }
                return result;
            };
        }

        private <S extends Statement> Handler<S> statementHandler(String preparedSql) {
            return (target, method, args) -> {
                String name = method.getName();
                if (name.equals("addBatch")) {
                    batchedRows.increment();
                } else if (name.startsWith("execute")) {
                    String sql = preparedSql != null ? preparedSql : args != null && args.length > 0 && args[0] instanceof String s ? s : "?";
                    if (name.equals("executeBatch") || name.equals("executeLargeBatch")) {
                        batches.increment();
                        sql = "[batch] " + sql;
                    }
                    statements.increment();
                    bySql.computeIfAbsent(sql, k -> new LongAdder()).increment();
                }
                return invoke(target, method, args);
            };
        }

        interface Handler<T> {
            Object handle(T target, Method method, Object[] args) throws Throwable;
        }

        private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
            try {
                return method.invoke(target, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        }

        @SuppressWarnings("unchecked")
        private static <T> T proxy(Class<T> type, T target, Handler<T> handler) {
            InvocationHandler h = (p, method, args) -> {
                if (method.getName().equals("unwrap") && args != null && args[0] instanceof Class<?> c && c.isInstance(p)) {
                    return p;
                }
                return handler.handle(target, method, args);
            };
            return (T) Proxy.newProxyInstance(FulfillmentBenchmark.class.getClassLoader(), new Class<?>[] {type}, h);
        }
    }
}
