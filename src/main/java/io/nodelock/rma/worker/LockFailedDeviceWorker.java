package io.nodelock.rma.worker;

import static io.nodelock.rma.process.RmaProcess.*;

import io.nodelock.rma.RmaService;
import io.nodelock.workflow.LockedTask;
import io.nodelock.workflow.TaskHandler;
import java.util.Map;
import org.springframework.stereotype.Component;

@Component
class LockFailedDeviceWorker implements TaskHandler {

    private final RmaService rmas;
    LockFailedDeviceWorker(RmaService rmas) {
        this.rmas = rmas;
    }

    @Override
    public String topic() {
        return TOPIC_LOCK_FAILED_DEVICE;
    }

    @Override
    public Map<String, Object> handle(LockedTask task) {
        return rmas.lockFailedDevice(task.processInstanceId());
    }
}
