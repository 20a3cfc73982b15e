package io.nodelock.rma.worker;

import static io.nodelock.rma.process.RmaProcess.*;

import io.nodelock.rma.RmaService;
import io.nodelock.workflow.BusinessError;
import io.nodelock.workflow.LockedTask;
import io.nodelock.workflow.ProcessStarters;
import io.nodelock.workflow.TaskHandler;
import java.util.HashMap;
import java.util.Map;
import org.springframework.stereotype.Component;

@Component
class LockFailedDeviceWorker implements TaskHandler {

    private final RmaService rmas;
    private final ProcessStarters starters;

    LockFailedDeviceWorker(RmaService rmas, ProcessStarters starters) {
        this.rmas = rmas;
        this.starters = starters;
    }

    @Override
    public String topic() {
        return TOPIC_LOCK_FAILED_DEVICE;
    }

    @Override
    public Map<String, Object> handle(LockedTask task) {
        String rmaId = task.stringOrNull(VAR_RMA_ID);
        if (rmaId == null) {
            // Started from the start form: no API call registered the request yet.
            rmaId = rmas.adoptFormStart(task.processInstanceId(), starters.startUserId(task.processInstanceId()).orElse(null),
                    task.variables());
        } else {
            rmas.requireInstance(rmaId, task.processInstanceId());
        }
        Map<String, Object> result = new HashMap<>(rmas.lockFailedDevice(rmaId));
        result.put(VAR_RMA_ID, rmaId);
        return result;
    }
}
