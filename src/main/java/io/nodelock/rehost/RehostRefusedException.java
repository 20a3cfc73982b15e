package io.nodelock.rehost;

/** A request or upload the service refuses; the API answers it with problem details of the refusal's type. */
public class RehostRefusedException extends RuntimeException {

    private final Refusal refusal;

    public RehostRefusedException(Refusal refusal) {
        super(refusal.message());
        this.refusal = refusal;
    }

    public Refusal refusal() {
        return refusal;
    }
}
