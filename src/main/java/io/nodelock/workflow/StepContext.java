package io.nodelock.workflow;

import java.util.Optional;
import java.util.function.Function;

/**
 * What a step may know of the instance it runs for. Steps find their domain row by the process instance id (which
 * only the engine sets), never by a variable a caller could have set; variables are for values a previous step
 * handed on (e.g. the rejection code a BPMN error carried).
 */
public record StepContext(String topic, String activityId, String processInstanceId, String businessKey,
                          Function<String, Object> variables) {

    /**
     * The domain row this instance was started for, found by the engine's own instance id. An instance that the flow's
     * intake did not start (an administrator's, or one started at an arbitrary activity) has none, and the step fails
     * into an incident instead of doing anything.
     */
    public <T> T rowOf(Function<String, Optional<T>> byProcessInstance, String what) {
        return byProcessInstance.apply(processInstanceId).orElseThrow(() -> new IllegalStateException(
                "process instance " + processInstanceId + " was not started by Nodelock's intake: it has no " + what));
    }

    public String string(String name) {
        Object value = variables.apply(name);
        if (value == null) {
            throw new IllegalStateException("process variable '" + name + "' is missing on " + activityId);
        }
        return value.toString();
    }

    public String stringOrNull(String name) {
        Object value = variables.apply(name);
        return value == null ? null : value.toString();
    }

    public boolean flag(String name) {
        Object value = variables.apply(name);
        return value instanceof Boolean b ? b : value != null && Boolean.parseBoolean(value.toString());
    }
}
