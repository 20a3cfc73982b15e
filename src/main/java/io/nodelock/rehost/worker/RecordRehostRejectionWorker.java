package io.nodelock.rehost.worker;

import static io.nodelock.rehost.process.RehostProcess.*;

import io.nodelock.rehost.RehostService;
import io.nodelock.workflow.LockedTask;
import io.nodelock.workflow.TaskHandler;
import java.util.Map;
import org.springframework.stereotype.Component;

@Component
class RecordRehostRejectionWorker implements TaskHandler {

    private final RehostService rehosts;

    RecordRehostRejectionWorker(RehostService rehosts) {
        this.rehosts = rehosts;
    }

    @Override
    public String topic() {
        return TOPIC_RECORD_REHOST_REJECTION;
    }

    @Override
    public Map<String, Object> handle(LockedTask task) {
        rehosts.recordRejection(task.processInstanceId(), task.string(VAR_REJECTION_CODE), task.string(VAR_REJECTION_MESSAGE));
        return Map.of();
    }
}
