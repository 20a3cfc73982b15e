package io.nodelock.rehost.worker;

import static io.nodelock.rehost.process.RehostProcess.*;

import io.nodelock.rehost.RehostService;
import io.nodelock.workflow.LockedTask;
import io.nodelock.workflow.TaskHandler;
import java.util.Map;
import org.springframework.stereotype.Component;

@Component
class EmailDestinationLicensesWorker implements TaskHandler {

    private final RehostService rehosts;

    EmailDestinationLicensesWorker(RehostService rehosts) {
        this.rehosts = rehosts;
    }

    @Override
    public String topic() {
        return TOPIC_EMAIL_DESTINATION_LICENSES;
    }

    @Override
    public Map<String, Object> handle(LockedTask task) {
        rehosts.emailDestinationLicenses(task.processInstanceId());
        return Map.of();
    }
}
