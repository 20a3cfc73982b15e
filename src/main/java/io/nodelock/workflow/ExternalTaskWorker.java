package io.nodelock.workflow;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.management.ManagementFactory;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;
import io.micrometer.core.instrument.MeterRegistry;
import org.operaton.bpm.engine.ExternalTaskService;
import org.operaton.bpm.engine.OptimisticLockingException;
import org.operaton.bpm.engine.externaltask.ExternalTaskQueryBuilder;
import org.operaton.bpm.engine.externaltask.LockedExternalTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Fetches external tasks through the engine's Java API rather than its REST API: no HTTP hop, and a handler's
 * domain writes commit in the same transaction as the task completion, so a redelivered task finds its effect
 * either fully done or not at all. One fetcher thread per node avoids lock contention between fetches.
 */
@Component
public class ExternalTaskWorker implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ExternalTaskWorker.class);
    /** Longest run of steps of one instance in one transaction. */
    private static final int MAX_CHAIN = 10;

    private final ExternalTaskService externalTasks;
    private final TransactionTemplate transactions;
    private final WorkerProperties properties;
    private final Map<String, TaskHandler> handlers;
    private final String workerId;
    private final Semaphore freeSlots;
    private final NewWork newWork;
    private final MeterRegistry meters;
    private volatile boolean running;
    private Thread fetcher;
    private ExecutorService pool;

    public ExternalTaskWorker(ExternalTaskService externalTasks, TransactionTemplate transactions,
                              WorkerProperties properties, List<TaskHandler> handlers, NewWork newWork, MeterRegistry meters) {
        this.newWork = newWork;
        this.meters = meters;
        this.externalTasks = externalTasks;
        this.transactions = transactions;
        this.properties = properties;
        this.handlers = handlers.stream().collect(Collectors.toMap(TaskHandler::topic, Function.identity()));
        this.workerId = "nodelock-" + ManagementFactory.getRuntimeMXBean().getName() + "-" + UUID.randomUUID().toString().substring(0, 8);
        this.freeSlots = new Semaphore(properties.threads());
    }

    @Override
    public void start() {
        if (!properties.enabled() || handlers.isEmpty()) {
            log.info("External-task worker disabled");
            return;
        }
        running = true;
        AtomicInteger n = new AtomicInteger();
        pool = Executors.newFixedThreadPool(properties.threads(), r -> {
            Thread t = new Thread(r, "task-handler-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        fetcher = new Thread(this::fetchLoop, "task-fetcher");
        fetcher.setDaemon(true);
        fetcher.start();
        log.info("External-task worker {} started for topics {} with {} threads", workerId, handlers.keySet(), properties.threads());
    }

    @Override
    public void stop() {
        running = false;
        newWork.ring();
        if (pool != null) {
            pool.shutdown();
            try {
                pool.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        // Start after the engine and the web server, stop before them.
        return Integer.MAX_VALUE - 100;
    }

    private void fetchLoop() {
        long idleWait = 10;
        while (running) {
            try {
                freeSlots.acquire();
                int slots = 1 + freeSlots.drainPermits();
                newWork.reset();
                List<LockedExternalTask> tasks = List.of();
                try {
                    tasks = fetch(slots);
                } finally {
                    // A failed fetch (a race with another node, a database hiccup) must not cost the slots for good.
                    freeSlots.release(slots - tasks.size());
                }
                for (LockedExternalTask task : tasks) {
                    pool.execute(() -> {
                        try {
                            execute(task);
                        } finally {
                            freeSlots.release();
                            newWork.ring();
                        }
                    });
                }
                if (tasks.isEmpty()) {
                    idleWait = Math.min(idleWait * 2, properties.idlePoll().toMillis());
                    if (running) {
                        newWork.await(idleWait);
                    }
                } else {
                    idleWait = 10;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (OptimisticLockingException e) {
                log.debug("Fetch lost a race with another node; fetching again", e);
            } catch (RuntimeException e) {
                if (running) {
                    log.warn("Fetching external tasks failed; retrying in {}", properties.idlePoll(), e);
                    sleepQuietly(properties.idlePoll().toMillis());
                }
            }
        }
    }

    private List<LockedExternalTask> fetch(int maxTasks) {
        // Oldest first, so a later step of an early instance is never starved by a flood of new instances.
        ExternalTaskQueryBuilder query = externalTasks.fetchAndLock().workerId(workerId).maxTasks(maxTasks)
                .orderByCreateTime().asc().subscribe();
        for (String topic : handlers.keySet()) {
            query = query.topic(topic, properties.lockDuration().toMillis());
        }
        return query.execute();
    }

    /**
     * Runs the instance forward: after a step completes, the next external task of the same instance exists,
     * uncommitted, in this transaction; fetching and running it here saves a commit and a fetch per step. If a later
     * step fails, nothing of the chain committed, and it is replayed one step per transaction so that exactly the
     * failing step is retried and, in the end, reported as an incident.
     */
    private void execute(LockedExternalTask fetched) {
        long started = System.nanoTime();
        try {
            executeChain(fetched);
        } finally {
            long tookMillis = (System.nanoTime() - started) / 1_000_000;
            if (tookMillis > properties.lockDuration().toMillis() / 2) {
                log.warn("Steps of process {} from {} took {} ms, more than half their lock of {}: another node may run them again",
                        fetched.getProcessInstanceId(), fetched.getActivityId(), tookMillis, properties.lockDuration());
            }
        }
    }

    private void executeChain(LockedExternalTask fetched) {
        LockedTask first = toLocked(fetched);
        int[] failedAt = {0};
        try {
            transactions.executeWithoutResult(status -> {
                LockedTask current = first;
                for (int step = 0; current != null; step++) {
                    failedAt[0] = step;
                    runStep(current);
                    // Stop before locking a task this chain would not run; it is then fetched as usual.
                    current = step + 1 < MAX_CHAIN && !handlers.get(current.topic()).commitsAfter() ? next(current) : null;
                    // A failure while fetching the next step is not the completed step's fault.
                    failedAt[0] = step + 1;
                }
            });
        } catch (RuntimeException fault) {
            if (failedAt[0] == 0) {
                fail(first, fault);
            } else {
                stepByStep(first);
            }
        }
    }

    private void stepByStep(LockedTask first) {
        LockedTask current = first;
        while (current != null && running) {
            LockedTask step = current;
            try {
                transactions.executeWithoutResult(status -> runStep(step));
            } catch (RuntimeException fault) {
                fail(step, fault);
                return;
            }
            try {
                current = transactions.execute(status -> next(step));
            } catch (RuntimeException e) {
                // The next task stays unlocked (or its lock expires) and is fetched as usual.
                log.debug("Could not fetch the step after {} of process {}", step.activityId(), step.processInstanceId(), e);
                return;
            }
        }
    }

    private void runStep(LockedTask task) {
        TaskHandler handler = handlers.get(task.topic());
        try {
            Map<String, Object> result = handler.handle(task);
            externalTasks.complete(task.id(), workerId, result);
        } catch (RefusedException refused) {
            // Business outcome: the handler's writes (e.g. the recorded reason) commit with the error event.
            Refusal refusal = refused.refusal();
            externalTasks.handleBpmnError(task.id(), workerId, refused.flow().rejectionError(), refusal.message(),
                    Map.of(FlowDeclaration.VAR_REJECTION_CODE, refusal.code(), FlowDeclaration.VAR_REJECTION_MESSAGE, refusal.message()));
        }
    }

    /** The next external task of the same instance, locked for us, if it is one of our topics. */
    private LockedTask next(LockedTask previous) {
        if (previous.businessKey() == null) {
            return null;
        }
        ExternalTaskQueryBuilder query = externalTasks.fetchAndLock().workerId(workerId).maxTasks(1).subscribe();
        for (String topic : handlers.keySet()) {
            query = query.topic(topic, properties.lockDuration().toMillis()).businessKey(previous.businessKey());
        }
        List<LockedExternalTask> next = query.execute();
        if (next.isEmpty()) {
            return null;
        }
        if (!next.get(0).getProcessInstanceId().equals(previous.processInstanceId())) {
            // Another instance with the same business key (only an administrator can start one): not ours to chain.
            externalTasks.unlock(next.get(0).getId());
            return null;
        }
        return toLocked(next.get(0));
    }

    private static LockedTask toLocked(LockedExternalTask task) {
        return new LockedTask(task.getId(), task.getTopicName(), task.getActivityId(), task.getProcessInstanceId(),
                task.getBusinessKey(), new HashMap<>(task.getVariables()), task.getRetries());
    }

    private void fail(LockedTask task, RuntimeException fault) {
        int retriesLeft = (task.retries() == null ? properties.maxRetries() : task.retries()) - 1;
        int failuresSoFar = properties.maxRetries() - retriesLeft - 1;
        long backoff = properties.retryBackoff().toMillis() * (1L << Math.min(Math.max(failuresSoFar, 0), 10));
        String message = fault.getClass().getSimpleName() + ": " + fault.getMessage();
        meters.counter("nodelock.worker.failures", "topic", task.topic(), "incident", Boolean.toString(retriesLeft <= 0)).increment();
        if (retriesLeft > 0) {
            log.warn("Step {} of process {} failed ({}); {} retries left, next in {} ms",
                    task.activityId(), task.processInstanceId(), message, retriesLeft, backoff);
        } else {
            log.error("Step {} of process {} failed ({}); no retries left, raising an incident",
                    task.activityId(), task.processInstanceId(), message, fault);
        }
        try {
            transactions.executeWithoutResult(status -> externalTasks.handleFailure(task.id(), workerId,
                    truncate(message, 600), stackTrace(fault), Math.max(retriesLeft, 0), backoff));
        } catch (RuntimeException e) {
            // The lock then simply expires and the task is fetched again.
            log.warn("Could not record the failure of task {}", task.id(), e);
        }
    }

    private static String truncate(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max);
    }

    private static String stackTrace(Throwable t) {
        StringWriter out = new StringWriter();
        t.printStackTrace(new PrintWriter(out));
        return out.toString();
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
