/** Benchmarks that drive the running service over HTTP and report throughput, latency and memory; run with the Maven profile {@code benchmark}, never as part of the tests. */
package io.nodelock.benchmark;
