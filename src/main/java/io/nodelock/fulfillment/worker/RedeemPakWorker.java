package io.nodelock.fulfillment.worker;

import static io.nodelock.fulfillment.process.PakFulfillmentProcess.*;

import io.nodelock.fulfillment.FulfillmentService;
import io.nodelock.workflow.LockedTask;
import io.nodelock.workflow.TaskHandler;
import java.util.Map;
import org.springframework.stereotype.Component;

@Component
class RedeemPakWorker implements TaskHandler {

    private final FulfillmentService fulfillments;

    RedeemPakWorker(FulfillmentService fulfillments) {
        this.fulfillments = fulfillments;
    }

    @Override
    public String topic() {
        return TOPIC_REDEEM_PAK;
    }

    @Override
    public Map<String, Object> handle(LockedTask task) {
        fulfillments.redeemPak(task.processInstanceId());
        return Map.of();
    }

    /** The PAK line is the hot row of a bulk PAK: its lock ends with this step's commit. */
    @Override
    public boolean commitsAfter() {
        return true;
    }
}
