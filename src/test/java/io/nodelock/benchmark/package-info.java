/**
 * Benchmarks, never part of the tests (no {@code *Test}/{@code *IT}); run with the Maven profile {@code benchmark}.
 * {@link io.nodelock.benchmark.BenchmarkRun} measures the packaged service end to end with the load generator, the
 * SMTP sink, PostgreSQL (fsync on) and the bare-engine ceiling each in its own process; the older in-process
 * {@link io.nodelock.benchmark.FulfillmentBenchmark} remains for profiling. See docs/benchmark.md.
 */
package io.nodelock.benchmark;
