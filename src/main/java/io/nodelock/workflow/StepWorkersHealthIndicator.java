package io.nodelock.workflow;

import org.operaton.bpm.engine.impl.jobexecutor.JobExecutor;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.core.task.TaskExecutor;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.stereotype.Component;

/**
 * Whether this node runs the flows' steps (in the readiness group): the job executor's acquisition thread is alive,
 * and the pool its steps run on takes work. The starter's {@code jobExecutor} indicator only says the executor was
 * activated.
 */
@Component("stepWorkersHealthIndicator")
class StepWorkersHealthIndicator implements HealthIndicator {

    private final JobExecutor jobExecutor;
    private final TaskExecutor workers;

    StepWorkersHealthIndicator(JobExecutor jobExecutor, @Qualifier("operatonTaskExecutor") TaskExecutor workers) {
        this.jobExecutor = jobExecutor;
        this.workers = workers;
    }

    @Override
    public Health health() {
        boolean acquiring = jobExecutor instanceof ChainingJobExecutor chaining ? chaining.acquisitionAlive() : jobExecutor.isActive();
        Health.Builder health = Health.up();
        if (workers instanceof ThreadPoolTaskExecutor pool) {
            boolean open = pool.getThreadPoolExecutor() != null && !pool.getThreadPoolExecutor().isShutdown();
            health = acquiring && open ? Health.up() : Health.down();
            health.withDetail("threads", pool.getPoolSize()).withDetail("active", pool.getActiveCount())
                    .withDetail("queued", pool.getQueueSize()).withDetail("poolOpen", open);
        } else if (!acquiring) {
            health = Health.down();
        }
        return health.withDetail("acquisitionAlive", acquiring).build();
    }
}
