package io.nodelock.fulfillment.worker;

import static io.nodelock.fulfillment.process.PakFulfillmentProcess.*;

import io.nodelock.fulfillment.FulfillmentService;
import io.nodelock.workflow.LockedTask;
import io.nodelock.workflow.TaskHandler;
import java.util.Map;
import org.springframework.stereotype.Component;

@Component
class SignLicenseWorker implements TaskHandler {

    private final FulfillmentService fulfillments;

    SignLicenseWorker(FulfillmentService fulfillments) {
        this.fulfillments = fulfillments;
    }

    @Override
    public String topic() {
        return TOPIC_SIGN_LICENSE;
    }

    @Override
    public Map<String, Object> handle(LockedTask task) {
        var file = fulfillments.signLicense(task.processInstanceId());
        return Map.of(VAR_LICENSE_IDS, String.join(",", file.licenseIds()));
    }
}
