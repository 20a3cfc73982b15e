package io.nodelock.workflow;

import java.util.Map;

/** A business outcome (PAK exhausted, UDI not valid for the SKU...) that the model catches with an error event. */
public class BusinessError extends RuntimeException {

    private final String errorCode;
    private final Map<String, Object> variables;

    public BusinessError(String errorCode, String message, Map<String, Object> variables) {
        super(message);
        this.errorCode = errorCode;
        this.variables = Map.copyOf(variables);
    }

    /** The same error carrying one more variable for the model. */
    public BusinessError with(String name, Object value) {
        java.util.Map<String, Object> more = new java.util.HashMap<>(variables);
        more.put(name, value);
        return new BusinessError(errorCode, getMessage(), more);
    }

    public String errorCode() {
        return errorCode;
    }

    public Map<String, Object> variables() {
        return variables;
    }
}
