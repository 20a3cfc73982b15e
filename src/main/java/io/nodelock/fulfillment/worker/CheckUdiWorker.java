package io.nodelock.fulfillment.worker;

import static io.nodelock.fulfillment.process.PakFulfillmentProcess.*;

import io.nodelock.fulfillment.FulfillmentService;
import io.nodelock.workflow.LockedTask;
import io.nodelock.workflow.TaskHandler;
import java.util.Map;
import org.springframework.stereotype.Component;

@Component
class CheckUdiWorker implements TaskHandler {

    private final FulfillmentService fulfillments;
    CheckUdiWorker(FulfillmentService fulfillments) {
        this.fulfillments = fulfillments;
    }

    @Override
    public String topic() {
        return TOPIC_CHECK_UDI;
    }

    @Override
    public Map<String, Object> handle(LockedTask task) {
        // The fulfillment is found by the instance, not by a variable; the id is returned for Cockpit to show.
        return Map.of(VAR_FULFILLMENT_ID, fulfillments.checkUdi(task.processInstanceId()));
    }
}
