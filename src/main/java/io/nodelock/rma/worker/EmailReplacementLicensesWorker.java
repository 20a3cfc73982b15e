package io.nodelock.rma.worker;

import static io.nodelock.rma.process.RmaProcess.*;

import io.nodelock.rma.RmaService;
import io.nodelock.workflow.LockedTask;
import io.nodelock.workflow.TaskHandler;
import java.util.Map;
import org.springframework.stereotype.Component;

@Component
class EmailReplacementLicensesWorker implements TaskHandler {

    private final RmaService rmas;

    EmailReplacementLicensesWorker(RmaService rmas) {
        this.rmas = rmas;
    }

    @Override
    public String topic() {
        return TOPIC_EMAIL_REPLACEMENT_LICENSES;
    }

    @Override
    public Map<String, Object> handle(LockedTask task) {
        rmas.emailReplacementLicenses(task.processInstanceId());
        return Map.of();
    }
}
