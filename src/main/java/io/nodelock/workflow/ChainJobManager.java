package io.nodelock.workflow;

import java.util.ArrayList;
import java.util.List;
import org.operaton.bpm.engine.impl.context.Context;
import org.operaton.bpm.engine.impl.interceptor.Session;
import org.operaton.bpm.engine.impl.interceptor.SessionFactory;
import org.operaton.bpm.engine.impl.persistence.entity.JobEntity;
import org.operaton.bpm.engine.impl.persistence.entity.JobManager;

/**
 * The engine's job manager, noting each follow-up job it locks for the job executor thread that created it (an
 * asynchronous continuation of the instance that thread is running): the {@link ChainingJobExecutor} runs that job
 * next without querying for it.
 */
class ChainJobManager extends JobManager {

    private static final ThreadLocal<List<String>> LOCKED_FOR_THIS_THREAD = ThreadLocal.withInitial(ArrayList::new);

    @Override
    protected void hintJobExecutor(JobEntity job) {
        super.hintJobExecutor(job);
        String owner = Context.getProcessEngineConfiguration().getJobExecutor().getLockOwner();
        if (owner.equals(job.getLockOwner()) && Context.getJobExecutorContext() != null) {
            LOCKED_FOR_THIS_THREAD.get().add(job.getId());
        }
    }

    /** The follow-up jobs locked for this thread since the last call, oldest first; clears the list. */
    static List<String> takeLockedFollowUps() {
        List<String> jobs = LOCKED_FOR_THIS_THREAD.get();
        if (jobs.isEmpty()) {
            return List.of();
        }
        List<String> taken = List.copyOf(jobs);
        jobs.clear();
        return taken;
    }

    /** Opens this manager where the engine asks for its {@link JobManager}. */
    static final class Factory implements SessionFactory {

        @Override
        public Class<?> getSessionType() {
            return JobManager.class;
        }

        @Override
        public Session openSession() {
            return new ChainJobManager();
        }
    }
}
