package io.nodelock.fulfillment.worker;

import static io.nodelock.fulfillment.process.PakFulfillmentProcess.*;

import io.nodelock.fulfillment.FulfillmentService;
import io.nodelock.workflow.LockedTask;
import io.nodelock.workflow.ProcessStarters;
import io.nodelock.workflow.TaskHandler;
import java.util.Map;
import org.springframework.stereotype.Component;

@Component
class CheckUdiWorker implements TaskHandler {

    private final FulfillmentService fulfillments;
    private final ProcessStarters starters;

    CheckUdiWorker(FulfillmentService fulfillments, ProcessStarters starters) {
        this.fulfillments = fulfillments;
        this.starters = starters;
    }

    @Override
    public String topic() {
        return TOPIC_CHECK_UDI;
    }

    @Override
    public Map<String, Object> handle(LockedTask task) {
        String fulfillmentId = task.stringOrNull(VAR_FULFILLMENT_ID);
        if (fulfillmentId == null) {
            // Started from the start form: no API call registered the request yet.
            fulfillmentId = fulfillments.adoptFormStart(task.processInstanceId(),
                    starters.startUserId(task.processInstanceId()).orElse(null), task.variables());
        } else {
            // The id is a variable its starter could have set: it must be the fulfillment this instance was started for.
            fulfillments.requireInstance(fulfillmentId, task.processInstanceId());
        }
        try {
            fulfillments.checkUdi(fulfillmentId);
        } catch (io.nodelock.workflow.BusinessError rejection) {
            throw rejection.with(VAR_FULFILLMENT_ID, fulfillmentId);
        }
        return Map.of(VAR_FULFILLMENT_ID, fulfillmentId);
    }
}
