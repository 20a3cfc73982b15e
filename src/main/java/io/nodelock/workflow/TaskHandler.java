package io.nodelock.workflow;

import java.util.Map;

/**
 * A worker for one external-task topic. Implementations stay thin: read variables, call one capability,
 * return the variables to complete with. Throw a {@link RefusedException} (its flow's {@link Refusal}) for a business outcome that the model
 * catches; any other exception is a technical fault that is retried with backoff and ends in an incident.
 * The handler runs inside the transaction that completes the task, so its database writes and the
 * completion commit or roll back together.
 */
public interface TaskHandler {

    String topic();

    Map<String, Object> handle(LockedTask task);

    /**
     * Whether the transaction commits right after this step instead of running the instance's next steps in it.
     * A step that takes a lock on a row many instances share (a PAK line's unit count) says so: its lock is then
     * held for this step alone, not for the steps the chain would run after it, which would queue every other
     * instance of that PAK behind them.
     */
    default boolean commitsAfter() {
        return false;
    }
}
