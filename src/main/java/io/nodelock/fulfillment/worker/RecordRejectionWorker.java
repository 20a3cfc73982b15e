package io.nodelock.fulfillment.worker;

import static io.nodelock.fulfillment.process.PakFulfillmentProcess.*;

import io.nodelock.fulfillment.FulfillmentService;
import io.nodelock.workflow.LockedTask;
import io.nodelock.workflow.TaskHandler;
import java.util.Map;
import org.springframework.stereotype.Component;

@Component
class RecordRejectionWorker implements TaskHandler {

    private final FulfillmentService fulfillments;

    RecordRejectionWorker(FulfillmentService fulfillments) {
        this.fulfillments = fulfillments;
    }

    @Override
    public String topic() {
        return TOPIC_RECORD_REJECTION;
    }

    @Override
    public Map<String, Object> handle(LockedTask task) {
        fulfillments.recordRejection(task.processInstanceId(), task.string(VAR_REJECTION_CODE),
                task.string(VAR_REJECTION_MESSAGE));
        return Map.of();
    }
}
