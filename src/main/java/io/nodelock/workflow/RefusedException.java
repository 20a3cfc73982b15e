package io.nodelock.workflow;

/** A {@link Refusal} of one flow, thrown by its intake or by one of its steps. */
public class RefusedException extends RuntimeException {

    private final FlowDeclaration flow;
    private final Refusal refusal;

    public RefusedException(FlowDeclaration flow, Refusal refusal) {
        super(refusal.message());
        this.flow = flow;
        this.refusal = refusal;
    }

    public FlowDeclaration flow() {
        return flow;
    }

    public Refusal refusal() {
        return refusal;
    }
}
