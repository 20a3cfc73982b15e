package io.nodelock.workflow;

/**
 * What the step just run asked of the transaction around it: {@link FlowSteps} raises the flag for a step that
 * {@linkplain Step#commitsAlone() commits alone}, the {@link ChainingJobExecutor} reads it after each job.
 */
final class StepChain {

    private static final ThreadLocal<Boolean> COMMIT_NOW = new ThreadLocal<>();
    private static final ThreadLocal<RuntimeException> FAULT = new ThreadLocal<>();
    private static final ThreadLocal<Boolean> IN_JOB = new ThreadLocal<>();

    /** The job executor runs a job on this thread: a step's log fields stay until {@link #jobEnded()}. */
    static void jobStarted() {
        IN_JOB.set(Boolean.TRUE);
    }

    static void jobEnded() {
        IN_JOB.remove();
        FlowLogging.clear();
    }

    static boolean inJob() {
        return IN_JOB.get() != null;
    }

    /**
     * A step's own technical fault. The engine, handling it, may query again; if the fault was a failed statement,
     * PostgreSQL has aborted the transaction, and that query's "transaction is aborted" would hide the cause from the
     * incident. The job's failure is then recorded as this one.
     */
    static void stepFailed(RuntimeException fault) {
        FAULT.set(fault);
    }

    static RuntimeException takeFault() {
        RuntimeException fault = FAULT.get();
        FAULT.remove();
        return fault;
    }

    static void commitAfterThisStep() {
        COMMIT_NOW.set(Boolean.TRUE);
    }

    /** Whether the step run since the last call asked for a commit; clears the request. */
    static boolean takeCommitRequest() {
        boolean requested = COMMIT_NOW.get() != null;
        COMMIT_NOW.remove();
        return requested;
    }

    private StepChain() {
    }
}
