package io.nodelock.workflow;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.operaton.bpm.engine.delegate.DelegateExecution;
import org.operaton.bpm.engine.delegate.ExecutionListener;
import org.operaton.bpm.engine.history.HistoricProcessInstance;
import org.operaton.bpm.engine.impl.bpmn.parser.BpmnParseListener;
import org.operaton.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.operaton.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.operaton.bpm.engine.impl.cfg.ProcessEnginePlugin;
import org.operaton.bpm.engine.impl.persistence.entity.ProcessDefinitionEntity;
import org.operaton.bpm.engine.impl.util.xml.Element;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Counts every flow instance's start and end ({@link FlowMetrics}) with listeners the engine adds to each process it
 * parses, so no model has to name them. Counted when the transaction commits: an instance whose start or end was
 * rolled back did not happen.
 */
@Configuration(proxyBeanMethods = false)
class FlowListeners {

    @Bean
    static ProcessEnginePlugin flowMetricsPlugin(ObjectProvider<FlowMetrics> metrics) {
        return new AbstractProcessEnginePlugin() {
            @Override
            public void preInit(ProcessEngineConfigurationImpl configuration) {
                List<BpmnParseListener> listeners = new ArrayList<>();
                if (configuration.getCustomPostBPMNParseListeners() != null) {
                    listeners.addAll(configuration.getCustomPostBPMNParseListeners());
                }
                listeners.add(new BpmnParseListener() {
                    @Override
                    public void parseProcess(Element processElement, ProcessDefinitionEntity processDefinition) {
                        processDefinition.addListener(ExecutionListener.EVENTNAME_START, (ExecutionListener) execution -> started(metrics, execution));
                        processDefinition.addListener(ExecutionListener.EVENTNAME_END, (ExecutionListener) execution -> ended(metrics, execution));
                    }
                });
                configuration.setCustomPostBPMNParseListeners(listeners);
            }
        };
    }

    /**
     * When the instances this node started began, by process instance id: the flow-end timer reads it instead of
     * querying the engine's history once per instance (a query and its authorisation check on every fulfillment's last
     * job, docs/benchmark.md run 9). An instance started on another node or before a restart is not here and falls back
     * to the history query. Removed at the end, or when the start is rolled back; bounded in case an end is never seen
     * (an instance deleted with listeners skipped).
     */
    private static final Map<String, Long> STARTED_AT = new ConcurrentHashMap<>();
    private static final int MAX_REMEMBERED = 200_000;

    private static void started(ObjectProvider<FlowMetrics> metrics, DelegateExecution execution) {
        String flow = FlowMetrics.flowOf(execution.getProcessDefinitionId());
        String instance = execution.getProcessInstanceId();
        if (STARTED_AT.size() >= MAX_REMEMBERED) {
            STARTED_AT.clear();
        }
        STARTED_AT.put(instance, System.currentTimeMillis());
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCompletion(int status) {
                    if (status == STATUS_COMMITTED) {
                        metrics.getObject().started(flow);
                    } else {
                        STARTED_AT.remove(instance);
                    }
                }
            });
        } else {
            metrics.getObject().started(flow);
        }
    }

    private static void ended(ObjectProvider<FlowMetrics> metrics, DelegateExecution execution) {
        String flow = FlowMetrics.flowOf(execution.getProcessDefinitionId());
        String end = execution.isCanceled() ? "cancelled" : String.valueOf(execution.getCurrentActivityId());
        Object code = execution.getVariable(FlowDeclaration.VAR_REJECTION_CODE);
        Long startedAt = STARTED_AT.remove(execution.getProcessInstanceId());
        if (startedAt == null) {
            // History level audit records the start; a caller without history rights (a Tasklist user completing the
            // last task) sees none, and the duration is then left out.
            HistoricProcessInstance history = execution.getProcessEngineServices().getHistoryService().createHistoricProcessInstanceQuery()
                    .processInstanceId(execution.getProcessInstanceId()).singleResult();
            startedAt = history == null || history.getStartTime() == null ? null : history.getStartTime().getTime();
        }
        Duration took = startedAt == null ? null : Duration.ofMillis(Math.max(0, System.currentTimeMillis() - startedAt));
        afterCommit(() -> metrics.getObject().ended(flow, end, code == null ? "none" : code.toString(), took));
    }

    private static void afterCommit(Runnable count) {
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    count.run();
                }
            });
        } else {
            count.run();
        }
    }
}
