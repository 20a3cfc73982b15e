package io.nodelock.workflow;

import java.util.Map;

/**
 * A worker for one external-task topic. Implementations stay thin: read variables, call one capability,
 * return the variables to complete with. Throw {@link BusinessError} for a business outcome that the model
 * catches; any other exception is a technical fault that is retried with backoff and ends in an incident.
 * The handler runs inside the transaction that completes the task, so its database writes and the
 * completion commit or roll back together.
 */
public interface TaskHandler {

    String topic();

    Map<String, Object> handle(LockedTask task);
}
