package io.nodelock.rehost.worker;

import static io.nodelock.rehost.process.RehostProcess.*;

import io.nodelock.rehost.RehostService;
import io.nodelock.workflow.LockedTask;
import io.nodelock.workflow.ProcessStarters;
import io.nodelock.workflow.TaskHandler;
import java.util.Map;
import org.springframework.stereotype.Component;

@Component
class IssuePermissionTicketWorker implements TaskHandler {

    private final RehostService rehosts;
    private final ProcessStarters starters;

    IssuePermissionTicketWorker(RehostService rehosts, ProcessStarters starters) {
        this.rehosts = rehosts;
        this.starters = starters;
    }

    @Override
    public String topic() {
        return TOPIC_ISSUE_PERMISSION_TICKET;
    }

    @Override
    public Map<String, Object> handle(LockedTask task) {
        String rehostId = task.stringOrNull(VAR_REHOST_ID);
        if (rehostId == null) {
            // Started from the start form: no API call registered the request yet.
            rehostId = rehosts.adoptFormStart(task.processInstanceId(), starters.startUserId(task.processInstanceId()).orElse(null),
                    task.variables());
        } else {
            rehosts.requireInstance(rehostId, task.processInstanceId());
        }
        var ticket = rehosts.issuePermissionTicket(rehostId);
        return Map.of(VAR_REHOST_ID, rehostId, VAR_PERMISSION_TICKET_ID, ticket.id(),
                VAR_PERMISSION_EXPIRES_AT, ticket.expiresAt().toString());
    }
}
