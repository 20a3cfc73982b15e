package io.nodelock.rehost.worker;

import static io.nodelock.rehost.process.RehostProcess.*;

import io.nodelock.rehost.RehostService;
import io.nodelock.workflow.LockedTask;
import io.nodelock.workflow.TaskHandler;
import java.util.Map;
import org.springframework.stereotype.Component;

@Component
class IssuePermissionTicketWorker implements TaskHandler {

    private final RehostService rehosts;

    IssuePermissionTicketWorker(RehostService rehosts) {
        this.rehosts = rehosts;
    }

    @Override
    public String topic() {
        return TOPIC_ISSUE_PERMISSION_TICKET;
    }

    @Override
    public Map<String, Object> handle(LockedTask task) {
        var ticket = rehosts.issuePermissionTicket(task.processInstanceId());
        return Map.of(VAR_REHOST_ID, ticket.rehostId().toString(), VAR_PERMISSION_TICKET_ID, ticket.id(),
                VAR_PERMISSION_EXPIRES_AT, ticket.expiresAt().toString(),
                VAR_LATE_UPLOAD_DEADLINE, rehosts.lateUploadDeadline(ticket).toString());
    }
}
