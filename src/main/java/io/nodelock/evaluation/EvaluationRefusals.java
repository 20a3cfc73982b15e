package io.nodelock.evaluation;

import io.nodelock.eula.EulaRefusals;
import io.nodelock.workflow.FlowDeclaration;
import io.nodelock.workflow.Refusal;
import java.util.Map;

/**
 * The codes of an evaluation request's refusals, besides {@link Refusal#INVALID_REQUEST} (a malformed field, 400)
 * and {@link EulaRefusals}' (422), and the HTTP status of each.
 */
public final class EvaluationRefusals {

    /** The device is not one the account holds: also the answer for another account's device (no existence oracle). */
    public static final String UNKNOWN_UDI = "UNKNOWN_UDI";
    /** The feature offers no self-serve evaluation for the device's product. */
    public static final String EVALUATION_NOT_OFFERED = "EVALUATION_NOT_OFFERED";
    /** The device already had its evaluation of the feature. */
    public static final String EVALUATION_EXISTS = "EVALUATION_EXISTS";
    /** The device is locked (under RMA) and receives nothing. */
    public static final String DEVICE_LOCKED = "DEVICE_LOCKED";

    /** The problem title and HTTP status of each code; any other code is 422, {@link Refusal#INVALID_REQUEST} 400. */
    public static final FlowDeclaration.Refusals RESPONSES = new FlowDeclaration.Refusals("Evaluation refused",
            Map.of(UNKNOWN_UDI, 404, EVALUATION_EXISTS, 409));

    private EvaluationRefusals() {
    }
}
