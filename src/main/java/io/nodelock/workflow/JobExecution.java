package io.nodelock.workflow;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.operaton.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.operaton.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.operaton.bpm.engine.impl.cfg.ProcessEnginePlugin;
import org.operaton.bpm.engine.impl.interceptor.SessionFactory;
import org.operaton.bpm.engine.impl.jobexecutor.JobExecutor;
import org.operaton.bpm.engine.impl.jobexecutor.NotifyAcquisitionRejectedJobsHandler;
import org.operaton.bpm.spring.boot.starter.property.JobExecutionProperty;
import org.operaton.bpm.spring.boot.starter.property.OperatonBpmProperties;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.task.TaskExecutor;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Puts the {@link ChainingJobExecutor} in the place of the starter's job executor (which steps aside for any other
 * {@link JobExecutor} bean), configured from the same {@code operaton.bpm.job-execution} properties.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(StepProperties.class)
class JobExecution {

    @Bean
    @ConditionalOnProperty(prefix = "operaton.bpm.job-execution", name = "enabled", havingValue = "true", matchIfMissing = true)
    static JobExecutor jobExecutor(@Qualifier("operatonTaskExecutor") TaskExecutor taskExecutor, OperatonBpmProperties operaton,
                                   TransactionTemplate transactions, StepProperties steps) {
        ChainingJobExecutor executor = new ChainingJobExecutor(transactions, steps.maxChain());
        executor.setTaskExecutor(taskExecutor);
        executor.setRejectedJobsHandler(new NotifyAcquisitionRejectedJobsHandler());
        JobExecutionProperty p = operaton.getJobExecution();
        Optional.ofNullable(p.getLockTimeInMillis()).ifPresent(executor::setLockTimeInMillis);
        Optional.ofNullable(p.getMaxJobsPerAcquisition()).ifPresent(executor::setMaxJobsPerAcquisition);
        Optional.ofNullable(p.getWaitTimeInMillis()).ifPresent(executor::setWaitTimeInMillis);
        Optional.ofNullable(p.getMaxWait()).ifPresent(executor::setMaxWait);
        Optional.ofNullable(p.getBackoffTimeInMillis()).ifPresent(executor::setBackoffTimeInMillis);
        Optional.ofNullable(p.getMaxBackoff()).ifPresent(executor::setMaxBackoff);
        Optional.ofNullable(p.getBackoffDecreaseThreshold()).ifPresent(executor::setBackoffDecreaseThreshold);
        Optional.ofNullable(p.getWaitIncreaseFactor()).ifPresent(executor::setWaitIncreaseFactor);
        return executor;
    }

    /** Lets the engine open {@link ChainJobManager} as its job manager. */
    @Bean
    static ProcessEnginePlugin chainJobManagerPlugin() {
        return new AbstractProcessEnginePlugin() {
            @Override
            public void preInit(ProcessEngineConfigurationImpl configuration) {
                List<SessionFactory> factories = new ArrayList<>();
                if (configuration.getCustomSessionFactories() != null) {
                    factories.addAll(configuration.getCustomSessionFactories());
                }
                factories.add(new ChainJobManager.Factory());
                configuration.setCustomSessionFactories(factories);
            }
        };
    }
}
