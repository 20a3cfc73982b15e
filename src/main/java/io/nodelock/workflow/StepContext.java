package io.nodelock.workflow;

import java.util.function.Function;

/**
 * What a step may know of the instance it runs for. Steps find their domain row by the process instance id (which
 * only the engine sets), never by a variable a caller could have set; variables are for values a previous step
 * handed on (e.g. the rejection code a BPMN error carried).
 */
public record StepContext(String topic, String activityId, String processInstanceId, String businessKey,
                          Function<String, Object> variables) {

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
