package io.nodelock.rma;

/** A request that cannot become an RMA; the API answers it with problem details. */
public class RmaRefusedException extends RuntimeException {

    private final RmaService.Refusal refusal;

    public RmaRefusedException(RmaService.Refusal refusal) {
        super(refusal.message());
        this.refusal = refusal;
    }

    public RmaService.Refusal refusal() {
        return refusal;
    }
}
