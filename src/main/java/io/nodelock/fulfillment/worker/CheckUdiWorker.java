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
        String fulfillmentId = task.stringOrNull(VAR_FULFILLMENT_ID);
        if (fulfillmentId == null) {
            // Started from the start form in Tasklist: no API call registered the request yet.
            fulfillmentId = fulfillments.adoptFormStart(task.processInstanceId(), task.stringOrNull(VAR_INITIATOR), task.variables());
        }
        try {
            fulfillments.checkUdi(fulfillmentId);
        } catch (io.nodelock.workflow.BusinessError rejection) {
            throw rejection.with(VAR_FULFILLMENT_ID, fulfillmentId);
        }
        return Map.of(VAR_FULFILLMENT_ID, fulfillmentId);
    }
}
