package io.nodelock.rma.worker;

import static io.nodelock.rma.process.RmaProcess.*;

import io.nodelock.rma.RmaService;
import io.nodelock.workflow.LockedTask;
import io.nodelock.workflow.TaskHandler;
import java.util.Map;
import org.springframework.stereotype.Component;

@Component
class SignReplacementLicensesWorker implements TaskHandler {

    private final RmaService rmas;

    SignReplacementLicensesWorker(RmaService rmas) {
        this.rmas = rmas;
    }

    @Override
    public String topic() {
        return TOPIC_SIGN_REPLACEMENT_LICENSES;
    }

    @Override
    public Map<String, Object> handle(LockedTask task) {
        rmas.signReplacementLicenses(task.processInstanceId());
        return Map.of();
    }
}
