package io.nodelock.benchmark;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.operaton.bpm.engine.ProcessEngine;
import org.operaton.bpm.engine.ProcessEngineConfiguration;
import org.operaton.bpm.engine.delegate.DelegateExecution;
import org.operaton.bpm.engine.delegate.JavaDelegate;
import org.operaton.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.operaton.bpm.engine.impl.cfg.TransactionState;
import org.operaton.bpm.engine.impl.context.Context;
import org.operaton.bpm.engine.impl.interceptor.CommandContext;
import org.operaton.bpm.model.bpmn.Bpmn;
import org.operaton.bpm.model.bpmn.BpmnModelInstance;

/**
 * The bare-engine ceiling of the fulfillment's shape, run as its own JVM by {@link BenchmarkRun}: a standalone
 * Operaton engine (no Spring, no web, no mail) on the same PostgreSQL, with the service's engine settings that matter
 * (history {@code audit}, removal time at start, authorization on, job executor with its defaults), running a model
 * of four service tasks whose Java delegates each do one trivial statement in the engine's transaction: insert a row,
 * and in the second step also update one hot counter row (the PAK line's counterpart). {@code asyncBefore} on the
 * first task only: the start commits in the caller's thread, then the job executor runs the four steps in one
 * transaction, as the service's worker chains its four external tasks in one transaction.
 *
 * <p>Closed loop like the load generator's saturation phase: {@code --clients} threads each start an instance and
 * wait until its chain committed, then start the next. Warm-up first; then it prints {@code @@MEASURE-BEGIN}, waits
 * for a line on stdin (the orchestrator samples CPU and commit counters), runs the measured instances, prints
 * {@code @@MEASURE-END}, waits for a line again and prints {@code RESULT key=value ...}.
 */
public final class EngineCeiling {

    static final Map<String, CompletableFuture<Long>> DONE = new ConcurrentHashMap<>();

    private EngineCeiling() {
    }

    /** A trivial step: one insert in the engine's transaction; step 2 also updates the hot counter row. */
    public static class Step implements JavaDelegate {
        @Override
        public void execute(DelegateExecution execution) throws Exception {
            CommandContext cc = Context.getCommandContext();
            Connection c = cc.getDbSqlSession().getSqlSession().getConnection();
            String step = execution.getCurrentActivityId();
            try (PreparedStatement s = c.prepareStatement("insert into bench_step (business_key, step, at) values (?, ?, now())")) {
                s.setString(1, execution.getProcessBusinessKey());
                s.setString(2, step);
                s.executeUpdate();
            }
            if (step.equals("step2")) {
                try (PreparedStatement s = c.prepareStatement("update bench_counter set n = n + 1 where id = 1")) {
                    s.executeUpdate();
                }
            }
            if (step.equals("step4")) {
                String key = execution.getProcessBusinessKey();
                cc.getTransactionContext().addTransactionListener(TransactionState.COMMITTED, ctx -> {
                    CompletableFuture<Long> f = DONE.get(key);
                    if (f != null) {
                        f.complete(SmtpSink.nowMicros());
                    }
                });
            }
        }
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> o = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            o.put(args[i].substring(2), args[i + 1]);
        }
        String url = o.get("db-url");
        String user = o.getOrDefault("db-user", "nodelock");
        int warmup = Integer.parseInt(o.getOrDefault("warmup", "1000"));
        int count = Integer.parseInt(o.getOrDefault("count", "2000"));
        int clients = Integer.parseInt(o.getOrDefault("clients", "32"));
        int pool = Integer.parseInt(o.getOrDefault("pool", "16"));
        long timeoutSeconds = Long.parseLong(o.getOrDefault("timeout-seconds", "300"));

        HikariConfig hc = new HikariConfig();
        hc.setJdbcUrl(url);
        hc.setUsername(user);
        hc.setPassword("");
        hc.setMaximumPoolSize(pool);
        hc.setAutoCommit(false);
        HikariDataSource ds = new HikariDataSource(hc);
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute("create table if not exists bench_step (id bigint generated by default as identity primary key,"
                    + " business_key varchar(64) not null, step varchar(20) not null, at timestamp with time zone not null)");
            s.execute("create table if not exists bench_counter (id int primary key, n bigint not null)");
            s.execute("insert into bench_counter values (1, 0) on conflict do nothing");
            c.commit();
        }

        ProcessEngineConfigurationImpl cfg = (ProcessEngineConfigurationImpl) ProcessEngineConfiguration
                .createStandaloneProcessEngineConfiguration();
        cfg.setDataSource(ds);
        cfg.setDatabaseSchemaUpdate(ProcessEngineConfiguration.DB_SCHEMA_UPDATE_TRUE);
        cfg.setHistory(ProcessEngineConfiguration.HISTORY_AUDIT);
        cfg.setHistoryRemovalTimeStrategy(ProcessEngineConfiguration.HISTORY_REMOVAL_TIME_STRATEGY_START);
        cfg.setAuthorizationEnabled(true);
        cfg.setJobExecutorActivate(true);
        cfg.setProcessEngineName("ceiling");
        ProcessEngine engine = cfg.buildProcessEngine();

        BpmnModelInstance model = Bpmn.createExecutableProcess("ceiling")
                .operatonHistoryTimeToLive(180)
                .startEvent("start")
                .serviceTask("step1").operatonAsyncBefore().operatonClass(Step.class.getName())
                .serviceTask("step2").operatonClass(Step.class.getName())
                .serviceTask("step3").operatonClass(Step.class.getName())
                .serviceTask("step4").operatonClass(Step.class.getName())
                .endEvent("end")
                .done();
        engine.getRepositoryService().createDeployment().addModelInstance("ceiling.bpmn", model).deploy();

        BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        if (warmup > 0) {
            Phase w = run(engine, "W", warmup, clients, timeoutSeconds);
            System.out.printf(Locale.ROOT, "ceiling warm-up: %d instances, %.1f/s%n", w.completed, w.throughput());
            if (!w.errors.isEmpty()) {
                throw new IllegalStateException("warm-up failed: " + w.errors.peek());
            }
        }
        System.out.println("@@MEASURE-BEGIN");
        System.out.flush();
        stdin.readLine();
        long cpu0 = cpu();
        Phase m = run(engine, "M", count, clients, timeoutSeconds);
        long cpu = cpu() - cpu0;
        System.out.println("@@MEASURE-END");
        System.out.flush();
        stdin.readLine();
        long[] lat = m.latencies;
        System.out.println("RESULT mode=ceiling count=" + count + " completed=" + m.completed + " errors=" + m.errors.size()
                + String.format(Locale.ROOT, " window_s=%.3f throughput=%.2f clients=%d", m.window, m.throughput(), clients)
                + String.format(Locale.ROOT, " e2e_p50_ms=%.1f e2e_p95_ms=%.1f e2e_p99_ms=%.1f", pct(lat, 50), pct(lat, 95), pct(lat, 99))
                + String.format(Locale.ROOT, " jvm_cpu_ms=%.0f", cpu / 1e6));
        if (!m.errors.isEmpty()) {
            System.out.println("ERRORS (first 5): " + m.errors.stream().limit(5).toList());
        }
        System.out.flush();
        System.exit(m.errors.isEmpty() && m.completed == count ? 0 : 1);
    }

    record Phase(int completed, double window, long[] latencies, ConcurrentLinkedQueue<String> errors) {
        double throughput() {
            return completed / Math.max(window, 1e-9);
        }
    }

    private static Phase run(ProcessEngine engine, String prefix, int count, int clients, long timeoutSeconds) throws InterruptedException {
        AtomicInteger next = new AtomicInteger();
        long[] lat = new long[count];
        long[] end = new long[count];
        long[] begin = new long[count];
        ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            Thread t = new Thread(() -> {
                int i;
                while ((i = next.getAndIncrement()) < count && errors.isEmpty()) {
                    String key = prefix + i;
                    CompletableFuture<Long> f = new CompletableFuture<>();
                    DONE.put(key, f);
                    long t0 = SmtpSink.nowMicros();
                    begin[i] = t0;
                    try {
                        engine.getRuntimeService().startProcessInstanceByKey("ceiling", key);
                        long t1 = f.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                        lat[i] = t1 - t0;
                        end[i] = t1;
                    } catch (Exception e) {
                        errors.add(key + ": " + e);
                    } finally {
                        DONE.remove(key);
                    }
                }
            }, "ceiling-client-" + c);
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) {
            t.join();
        }
        int n = 0;
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        long[] done = new long[count];
        for (int i = 0; i < count; i++) {
            if (end[i] > 0) {
                done[n++] = lat[i];
                first = Math.min(first, begin[i]);
                last = Math.max(last, end[i]);
            }
        }
        done = Arrays.copyOf(done, n);
        Arrays.sort(done);
        return new Phase(n, n == 0 ? 0 : (last - first) / 1e6, done, errors);
    }

    private static long cpu() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static double pct(long[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.min(Math.max(rank, 1), sorted.length) - 1] / 1e3;
    }
}
