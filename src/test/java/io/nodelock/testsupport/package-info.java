/** Test support owning the real PostgreSQL server (one per JVM) and the isolated per-context databases that database tests run against. */
package io.nodelock.testsupport;
