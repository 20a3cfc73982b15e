package io.nodelock.workflow;

import org.slf4j.MDC;

/**
 * The log fields of a flow's work (docs/operations.md, "Logs"): set while a step runs, so every line a step, the engine
 * or the job executor writes for it carries them, in plain and in JSON logs alike. Values are identifiers only, never
 * request content.
 */
public final class FlowLogging {

    /** The request's id: the process instance's business key (a fulfillment's, RMA's, rehost's... id). */
    public static final String BUSINESS_ID = "businessId";
    public static final String PROCESS_INSTANCE_ID = "processInstanceId";
    /** The flow: its process definition key, e.g. {@code pak-fulfillment}. */
    public static final String FLOW = "flow";
    /** The step's topic, e.g. {@code sign-license}. */
    public static final String STEP = "step";

    private static final String[] KEYS = {BUSINESS_ID, PROCESS_INSTANCE_ID, FLOW, STEP};

    private FlowLogging() {
    }

    static void enter(String businessId, String processInstanceId, String flow, String step) {
        put(BUSINESS_ID, businessId);
        put(PROCESS_INSTANCE_ID, processInstanceId);
        put(FLOW, flow);
        put(STEP, step);
    }

    static void clear() {
        for (String key : KEYS) {
            MDC.remove(key);
        }
    }

    private static void put(String key, String value) {
        if (value == null) {
            MDC.remove(key);
        } else {
            MDC.put(key, value);
        }
    }
}
