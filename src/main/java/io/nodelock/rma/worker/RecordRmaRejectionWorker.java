package io.nodelock.rma.worker;

import static io.nodelock.rma.process.RmaProcess.*;

import io.nodelock.rma.RmaService;
import io.nodelock.workflow.LockedTask;
import io.nodelock.workflow.TaskHandler;
import java.util.Map;
import org.springframework.stereotype.Component;

@Component
class RecordRmaRejectionWorker implements TaskHandler {

    private final RmaService rmas;

    RecordRmaRejectionWorker(RmaService rmas) {
        this.rmas = rmas;
    }

    @Override
    public String topic() {
        return TOPIC_RECORD_RMA_REJECTION;
    }

    @Override
    public Map<String, Object> handle(LockedTask task) {
        // The rejection is read from the RMA's recorded review, never from the instance's variables.
        rmas.recordRejection(task.processInstanceId());
        return Map.of();
    }
}
