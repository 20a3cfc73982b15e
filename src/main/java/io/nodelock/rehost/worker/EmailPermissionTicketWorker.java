package io.nodelock.rehost.worker;

import static io.nodelock.rehost.process.RehostProcess.*;

import io.nodelock.rehost.RehostService;
import io.nodelock.workflow.LockedTask;
import io.nodelock.workflow.TaskHandler;
import java.util.Map;
import org.springframework.stereotype.Component;

@Component
class EmailPermissionTicketWorker implements TaskHandler {

    private final RehostService rehosts;

    EmailPermissionTicketWorker(RehostService rehosts) {
        this.rehosts = rehosts;
    }

    @Override
    public String topic() {
        return TOPIC_EMAIL_PERMISSION_TICKET;
    }

    @Override
    public Map<String, Object> handle(LockedTask task) {
        rehosts.emailPermissionTicket(task.processInstanceId());
        return Map.of();
    }
}
