package io.nodelock.workflow;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Tuning of the in-JVM external-task worker.
 *
 * @param enabled       off in tests that drive the engine step by step
 * @param threads       handlers running at once
 * @param lockDuration  how long a fetched task stays ours before another worker may take it
 * @param maxRetries    attempts of a technically failing step before it becomes an incident
 * @param retryBackoff  first retry delay; doubles with every further failure
 * @param idlePoll      longest wait between fetches when idle; new work from this node wakes the worker at once
 */
@ConfigurationProperties(prefix = "nodelock.worker")
public record WorkerProperties(@DefaultValue("true") boolean enabled,
                               @DefaultValue("4") int threads,
                               @DefaultValue("60s") Duration lockDuration,
                               @DefaultValue("3") int maxRetries,
                               @DefaultValue("5s") Duration retryBackoff,
                               @DefaultValue("500ms") Duration idlePoll) {
}
