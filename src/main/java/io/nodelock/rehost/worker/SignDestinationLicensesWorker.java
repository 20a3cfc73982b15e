package io.nodelock.rehost.worker;

import static io.nodelock.rehost.process.RehostProcess.*;

import io.nodelock.rehost.RehostService;
import io.nodelock.workflow.LockedTask;
import io.nodelock.workflow.TaskHandler;
import java.util.Map;
import org.springframework.stereotype.Component;

@Component
class SignDestinationLicensesWorker implements TaskHandler {

    private final RehostService rehosts;

    SignDestinationLicensesWorker(RehostService rehosts) {
        this.rehosts = rehosts;
    }

    @Override
    public String topic() {
        return TOPIC_SIGN_DESTINATION_LICENSES;
    }

    @Override
    public Map<String, Object> handle(LockedTask task) {
        rehosts.signDestinationLicenses(task.processInstanceId());
        return Map.of();
    }
}
