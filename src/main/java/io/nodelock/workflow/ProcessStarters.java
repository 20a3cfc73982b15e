package io.nodelock.workflow;

import java.util.Optional;
import org.operaton.bpm.engine.HistoryService;
import org.operaton.bpm.engine.history.HistoricProcessInstance;
import org.springframework.stereotype.Component;

/**
 * Who started a process instance, as the engine recorded it from the authenticated user. Never read the starter from
 * a process variable: whoever starts an instance may set any variable, {@code initiator} included.
 */
@Component
public class ProcessStarters {

    private final HistoryService history;

    public ProcessStarters(HistoryService history) {
        this.history = history;
    }

    public Optional<String> startUserId(String processInstanceId) {
        HistoricProcessInstance instance = history.createHistoricProcessInstanceQuery().processInstanceId(processInstanceId)
                .singleResult();
        return Optional.ofNullable(instance).map(HistoricProcessInstance::getStartUserId);
    }
}
