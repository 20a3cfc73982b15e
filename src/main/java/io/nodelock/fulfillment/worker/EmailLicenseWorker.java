package io.nodelock.fulfillment.worker;

import static io.nodelock.fulfillment.process.PakFulfillmentProcess.*;

import io.nodelock.fulfillment.FulfillmentService;
import io.nodelock.workflow.LockedTask;
import io.nodelock.workflow.TaskHandler;
import java.util.Map;
import org.springframework.stereotype.Component;

@Component
class EmailLicenseWorker implements TaskHandler {

    private final FulfillmentService fulfillments;

    EmailLicenseWorker(FulfillmentService fulfillments) {
        this.fulfillments = fulfillments;
    }

    @Override
    public String topic() {
        return TOPIC_EMAIL_LICENSE;
    }

    @Override
    public Map<String, Object> handle(LockedTask task) {
        fulfillments.emailLicense(task.processInstanceId());
        return Map.of();
    }
}
