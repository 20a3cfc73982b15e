package io.nodelock.workflow;

import java.util.ArrayList;
import java.util.List;
import org.operaton.bpm.engine.impl.ProcessEngineImpl;
import org.operaton.bpm.engine.impl.cmd.ExecuteJobsCmd;
import org.operaton.bpm.engine.impl.context.Context;
import org.operaton.bpm.engine.impl.interceptor.CommandExecutor;
import org.operaton.bpm.engine.impl.jobexecutor.ExecuteJobHelper;
import org.operaton.bpm.engine.impl.jobexecutor.ExecuteJobsRunnable;
import org.operaton.bpm.engine.impl.jobexecutor.JobExecutorContext;
import org.operaton.bpm.engine.impl.jobexecutor.JobFailureCollector;
import org.operaton.bpm.engine.impl.jobexecutor.SuccessfulJobListener;
import org.operaton.bpm.engine.impl.persistence.entity.JobEntity;
import org.operaton.bpm.engine.spring.components.jobexecutor.SpringJobExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The engine's job executor, except that it runs an instance's consecutive asynchronous continuations in one
 * transaction. Every step of a flow is its own service task with {@code asyncBefore}: its own job, so its own retries
 * and its own incident in Cockpit. Committing each of them alone, though, costs a transaction, a WAL flush and a job
 * insert and delete per step; the engine's own design (one transaction from one asynchronous start to the next wait
 * state) costs one. This executor gets both: it runs the job it acquired and then, in the same transaction, the
 * follow-up job the engine just created for the same instance and locked for this thread, and so on, then commits.
 *
 * <p>If any job of the chain fails, the whole chain rolls back and the first job runs again alone, through the
 * engine's own code path; its follow-up is then queued by the engine to this thread and starts the next chain. So a
 * failing step ends up failing alone: the steps before it are committed, it is retried with its own back-off, and its
 * incident is raised at its own activity. A job that failed before (it carries an exception) always runs alone. A step
 * that {@linkplain Step#commitsAlone() commits alone} ends its chain.
 */
public class ChainingJobExecutor extends SpringJobExecutor {

    private static final Logger log = LoggerFactory.getLogger(ChainingJobExecutor.class);

    private final TransactionTemplate transactions;
    private final int maxChain;

    public ChainingJobExecutor(TransactionTemplate transactions, int maxChain) {
        this.transactions = transactions;
        this.maxChain = maxChain;
    }

    /** Whether the thread that acquires due jobs is running: without it no step, timer or retry runs on this node. */
    public boolean acquisitionAlive() {
        Thread acquisition = jobAcquisitionThread;
        return isActive() && acquisition != null && acquisition.isAlive();
    }

    @Override
    public Runnable getExecuteJobsRunnable(List<String> jobIds, ProcessEngineImpl processEngine) {
        return new ChainRunnable(jobIds, processEngine);
    }

    private final class ChainRunnable extends ExecuteJobsRunnable {

        ChainRunnable(List<String> jobIds, ProcessEngineImpl processEngine) {
            super(jobIds, processEngine);
        }

        @Override
        protected void executeJob(String firstJobId, CommandExecutor commandExecutor, JobFailureCollector jobFailureCollector) {
            StepChain.jobStarted();
            try {
                executeChain(firstJobId, commandExecutor, jobFailureCollector);
            } finally {
                StepChain.jobEnded();
            }
        }

        private void executeChain(String firstJobId, CommandExecutor commandExecutor, JobFailureCollector jobFailureCollector) {
            if (maxChain <= 1) {
                runAlone(firstJobId, commandExecutor, jobFailureCollector);
                return;
            }
            List<String> ran = new ArrayList<>();
            boolean[] failedBefore = {false};
            try {
                transactions.executeWithoutResult(status -> runChain(firstJobId, commandExecutor, ran, failedBefore));
            } catch (RuntimeException | Error fault) {
                log.debug("A chain of steps from job {} failed after {} jobs; running its first job alone", firstJobId, ran.size(), fault);
                runAlone(firstJobId, commandExecutor, jobFailureCollector);
                return;
            } finally {
                StepChain.takeCommitRequest();
                StepChain.takeFault();
                ChainJobManager.takeLockedFollowUps();
            }
            if (failedBefore[0]) {
                runAlone(firstJobId, commandExecutor, jobFailureCollector);
                return;
            }
            // On commit the engine queued every follow-up job it created to this thread; those the chain ran are gone.
            JobExecutorContext context = Context.getJobExecutorContext();
            if (context != null && ran.size() > 1) {
                context.getCurrentProcessorJobQueue().removeAll(ran.subList(1, ran.size()));
            }
        }

        /** The engine's own way: one job, one transaction, its failure recorded (retries, back-off, incident). */
        private void runAlone(String jobId, CommandExecutor commandExecutor, JobFailureCollector outer) {
            JobFailureCollector collector = new JobFailureCollector(jobId) {
                @Override
                public void setFailure(Throwable failure) {
                    RuntimeException stepFault = StepChain.takeFault();
                    super.setFailure(stepFault != null ? stepFault : failure);
                }
            };
            StepChain.takeFault();
            try {
                ExecuteJobHelper.executeJob(commandExecutor, collector, new ExecuteJobsCmd(jobId, collector),
                        processEngine.getProcessEngineConfiguration());
            } finally {
                outer.setJob(collector.getJob());
                StepChain.takeCommitRequest();
                StepChain.takeFault();
                ChainJobManager.takeLockedFollowUps();
            }
        }

        private void runChain(String firstJobId, CommandExecutor commandExecutor, List<String> ran, boolean[] failedBefore) {
            String next = firstJobId;
            while (next != null) {
                String jobId = next;
                boolean first = ran.isEmpty();
                JobEntity job = commandExecutor.execute(commandContext -> {
                    JobEntity found = commandContext.getJobManager().findJobById(jobId);
                    if (found == null) {
                        return null;
                    }
                    if (first && found.getExceptionMessage() != null) {
                        failedBefore[0] = true;
                        return null;
                    }
                    // Loaded into this command's cache, so the command below finds it without a second select.
                    new ExecuteJobsCmd(jobId, new JobFailureCollector(jobId)).execute(commandContext);
                    return found;
                });
                if (failedBefore[0]) {
                    return;
                }
                ran.add(jobId);
                commandExecutor.execute(new SuccessfulJobListener());
                // The follow-ups the engine locked for this thread while running the job: the next step, if any.
                List<String> followUps = ChainJobManager.takeLockedFollowUps();
                if (job == null || followUps.isEmpty() || StepChain.takeCommitRequest() || ran.size() >= maxChain) {
                    return;
                }
                next = followUps.get(0);
            }
        }
    }
}
