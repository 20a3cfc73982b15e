package io.nodelock.workflow;

import java.util.Map;

/** The part of a locked external task a handler needs; its id plus the step name make a redelivery-safe operation id. */
public record LockedTask(String id, String topic, String activityId, String processInstanceId, String businessKey,
                         Map<String, Object> variables, Integer retries) {

    public String string(String name) {
        Object value = variables.get(name);
        if (value == null) {
            throw new IllegalStateException("process variable '" + name + "' is missing on " + activityId);
        }
        return value.toString();
    }

    public String stringOrNull(String name) {
        Object value = variables.get(name);
        return value == null ? null : value.toString();
    }

    public boolean flag(String name) {
        Object value = variables.get(name);
        return value instanceof Boolean b ? b : value != null && Boolean.parseBoolean(value.toString());
    }
}
