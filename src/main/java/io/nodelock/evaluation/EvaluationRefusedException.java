package io.nodelock.evaluation;

import io.nodelock.workflow.Refusal;

/**
 * An evaluation request refused. Not a {@link io.nodelock.workflow.RefusedException}: that one names the BPMN flow
 * it belongs to, and an evaluation has none (docs/evaluation.md); the API answers it with
 * {@link EvaluationRefusals#RESPONSES}.
 */
public class EvaluationRefusedException extends RuntimeException {

    private final Refusal refusal;

    public EvaluationRefusedException(Refusal refusal) {
        super(refusal.message());
        this.refusal = refusal;
    }

    public Refusal refusal() {
        return refusal;
    }
}
