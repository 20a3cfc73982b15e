package io.nodelock.benchmark;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
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
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The benchmark's load generator, run as its own JVM by {@link BenchmarkRun} for each phase. It submits
 * {@code POST /api/v1/fulfillments} over a fixed number of HTTP/1.1 connections (one client thread each, blocking
 * sends) and learns from the {@link SmtpSink}'s event port when each fulfillment's license mail arrived there.
 * End-to-end latency = mail complete at the sink minus the moment the request was due (wall clock, same machine).
 *
 * <ul>
 *   <li>{@code closed}: each of the {@code --connections} clients submits, waits until its mail arrived at the sink,
 *       then submits the next; throughput at saturation = completions / (last arrival - first send).</li>
 *   <li>{@code open}: request i is due at start + i / rate whatever the service does (open loop); a request that
 *       leaves late because all connections were busy is charged from its due time (no coordinated omission).</li>
 *   <li>{@code idle}: one request at a time; after each mail arrived, a pause of {@code --pause-ms}.</li>
 * </ul>
 *
 * <p>Prints one line {@code RESULT key=value ...} that {@link BenchmarkRun} parses. Exit code 1 when a request is
 * not answered 202 or a mail does not arrive within {@code --timeout-seconds}.
 */
public final class LoadGenerator {

    private static final String SKU = "FL-C1111-SEC-K9";
    private static final String PID = "C1111-4P";

    private LoadGenerator() {
    }

    private static final class Pending {
        final long dueMicros;
        final CompletableFuture<Long> arrival = new CompletableFuture<>();
        volatile long acceptMicros = -1;

        Pending(long dueMicros) {
            this.dueMicros = dueMicros;
        }
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> o = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("expected --option value pairs, got " + Arrays.toString(args));
            }
            o.put(args[i].substring(2), args[i + 1]);
        }
        String mode = o.getOrDefault("mode", "closed");
        int count = Integer.parseInt(o.getOrDefault("count", "1000"));
        int connections = Integer.parseInt(o.getOrDefault("connections", "32"));
        double rate = Double.parseDouble(o.getOrDefault("rate", "0"));
        long pauseMs = Long.parseLong(o.getOrDefault("pause-ms", "200"));
        long timeoutSeconds = Long.parseLong(o.getOrDefault("timeout-seconds", "300"));
        String prefix = o.getOrDefault("prefix", "B");
        List<String> paks = List.of(o.get("paks").split(","));
        String token = o.get("token");
        URI endpoint = URI.create(o.get("base-url") + "/api/v1/fulfillments");
        String[] events = o.get("events").split(":");
        String email = o.getOrDefault("email", "bench@bench.nodelock.test");
        if (mode.equals("idle")) {
            connections = 1;
        }
        if (mode.equals("open") && rate <= 0) {
            throw new IllegalArgumentException("open loop needs --rate");
        }

        Map<String, Pending> pending = new ConcurrentHashMap<>();
        AtomicLong strays = new AtomicLong();
        Socket eventSocket = new Socket(events[0], Integer.parseInt(events[1]));
        Thread listener = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(eventSocket.getInputStream(), StandardCharsets.US_ASCII))) {
                String line;
                while ((line = r.readLine()) != null) {
                    String[] f = line.split(" ");
                    Pending p = pending.get(f[0]);
                    if (p == null) {
                        strays.incrementAndGet();
                    } else {
                        p.arrival.complete(Long.parseLong(f[2]));
                    }
                }
            } catch (IOException e) {
                // socket closed at the end
            }
        }, "events");
        listener.setDaemon(true);
        listener.start();

        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        String[] serials = new String[count];
        for (int i = 0; i < count; i++) {
            serials[i] = prefix + String.format(Locale.ROOT, "%07d", i + 1);
        }
        AtomicInteger next = new AtomicInteger();
        ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();
        long startMicros = SmtpSink.nowMicros();
        long startNanos = System.nanoTime();
        long deadlineNanos = startNanos + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        final String finalMode = mode;
        List<Thread> clients = new ArrayList<>();
        for (int c = 0; c < connections; c++) {
            Thread t = new Thread(() -> {
                int i;
                while ((i = next.getAndIncrement()) < count && System.nanoTime() < deadlineNanos && errors.isEmpty()) {
                    long due;
                    if (finalMode.equals("open")) {
                        long dueNanos = startNanos + (long) (i * 1e9 / rate);
                        long wait;
                        while ((wait = dueNanos - System.nanoTime()) > 0) {
                            LockSupport.parkNanos(wait);
                        }
                        due = startMicros + (long) (i * 1e6 / rate);
                    } else {
                        due = SmtpSink.nowMicros();
                    }
                    Pending p = new Pending(due);
                    pending.put(serials[i], p);
                    String body = "{\"pakCode\":\"" + paks.get(i % paks.size()) + "\",\"sku\":\"" + SKU + "\",\"udi\":\"PID:" + PID
                            + ",SN:" + serials[i] + "\",\"email\":\"" + email + "\",\"eulaAccepted\":true}";
                    HttpRequest request = HttpRequest.newBuilder(endpoint).timeout(Duration.ofSeconds(60))
                            .header("Authorization", "Bearer " + token)
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(body)).build();
                    long sent = SmtpSink.nowMicros();
                    try {
                        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                        p.acceptMicros = SmtpSink.nowMicros() - sent;
                        if (response.statusCode() != 202) {
                            errors.add("HTTP " + response.statusCode() + " " + response.body());
                            return;
                        }
                    } catch (IOException e) {
                        errors.add(e.toString());
                        return;
                    } catch (InterruptedException e) {
                        return;
                    }
                    if (!finalMode.equals("open")) {
                        try {
                            p.arrival.get(Math.max(1, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
                        } catch (Exception e) {
                            errors.add("mail for " + serials[i] + " did not arrive: " + e);
                            return;
                        }
                        if (finalMode.equals("idle")) {
                            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(pauseMs));
                        }
                    }
                }
            }, "client-" + c);
            t.start();
            clients.add(t);
        }
        for (Thread t : clients) {
            t.join();
        }
        double submitSeconds = (System.nanoTime() - startNanos) / 1e9;
        // Wait for the mails still under way (open loop), bounded by the deadline.
        int missing = 0;
        for (int i = 0; i < count; i++) {
            Pending p = pending.get(serials[i]);
            if (p == null) {
                missing++;
                continue;
            }
            try {
                p.arrival.get(Math.max(1, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (Exception e) {
                missing++;
            }
        }
        eventSocket.close();

        long[] e2e = new long[count];
        long[] accept = new long[count];
        int n = 0;
        long firstDue = Long.MAX_VALUE;
        long lastArrival = Long.MIN_VALUE;
        for (int i = 0; i < count; i++) {
            Pending p = pending.get(serials[i]);
            if (p == null || !p.arrival.isDone() || p.arrival.isCompletedExceptionally()) {
                continue;
            }
            long arrival = p.arrival.join();
            e2e[n] = arrival - p.dueMicros;
            accept[n] = p.acceptMicros;
            firstDue = Math.min(firstDue, p.dueMicros);
            lastArrival = Math.max(lastArrival, arrival);
            n++;
        }
        e2e = Arrays.copyOf(e2e, n);
        accept = Arrays.copyOf(accept, n);
        Arrays.sort(e2e);
        Arrays.sort(accept);
        double window = n == 0 ? 0 : (lastArrival - firstDue) / 1e6;
        long cpuNanos = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
        StringBuilder result = new StringBuilder("RESULT");
        result.append(" mode=").append(mode).append(" count=").append(count).append(" completed=").append(n)
                .append(" missing=").append(missing).append(" errors=").append(errors.size()).append(" strays=").append(strays.get())
                .append(String.format(Locale.ROOT, " window_s=%.3f throughput=%.2f submit_s=%.3f", window, n / Math.max(window, 1e-9), submitSeconds))
                .append(String.format(Locale.ROOT, " offered_rate=%.2f connections=%d", rate, connections))
                .append(String.format(Locale.ROOT, " e2e_p50_ms=%.1f e2e_p95_ms=%.1f e2e_p99_ms=%.1f e2e_max_ms=%.1f",
                        pct(e2e, 50), pct(e2e, 95), pct(e2e, 99), n == 0 ? 0 : e2e[n - 1] / 1e3))
                .append(String.format(Locale.ROOT, " accept_p50_ms=%.1f accept_p99_ms=%.1f", pct(accept, 50), pct(accept, 99)))
                .append(String.format(Locale.ROOT, " client_cpu_ms=%.0f", cpuNanos / 1e6));
        System.out.println(result);
        if (!errors.isEmpty()) {
            System.out.println("ERRORS (first 5): " + errors.stream().limit(5).toList());
        }
        System.out.flush();
        System.exit(errors.isEmpty() && missing == 0 ? 0 : 1);
    }

    /** Nearest-rank percentile of sorted micros, in ms. */
    private static double pct(long[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.min(Math.max(rank, 1), sorted.length) - 1] / 1e3;
    }
}
