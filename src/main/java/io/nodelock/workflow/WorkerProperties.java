package io.nodelock.workflow;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Tuning of the in-JVM external-task worker.
 *
 * @param enabled       off in tests that drive the engine step by step
 * @param threads       handlers running at once
 * @param lockDuration  how long a fetched task stays ours before another worker may take it: also how long a step
 *                      locked by a node that died waits before another node runs it. Steps take milliseconds; a run
 *                      that comes near the lock is logged, since another node may then run the step a second time
 *                      (harmless: every effect is keyed by its operation, and only the latest lock holder completes)
 * @param maxRetries    attempts of a technically failing step before it becomes an incident
 * @param retryBackoff  first retry delay; doubles with every further failure
 * @param idlePoll      longest wait between fetches when idle; new work from this node wakes the worker at once
 */
@ConfigurationProperties(prefix = "nodelock.worker")
public record WorkerProperties(@DefaultValue("true") boolean enabled,
                               @DefaultValue("4") int threads,
                               @DefaultValue("15s") Duration lockDuration,
                               @DefaultValue("3") int maxRetries,
                               @DefaultValue("5s") Duration retryBackoff,
                               @DefaultValue("500ms") Duration idlePoll) {
}
