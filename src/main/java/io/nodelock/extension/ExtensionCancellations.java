package io.nodelock.extension;

import static io.nodelock.extension.process.ExtensionProcess.CANCELLATIONS_BEAN;

import io.nodelock.audit.AuditLog;
import org.operaton.bpm.engine.delegate.DelegateExecution;
import org.operaton.bpm.engine.delegate.ExecutionListener;
import org.springframework.stereotype.Component;

/**
 * Ends the request of a license-extension instance that an operator cancels (Cockpit, the engine's API): without it
 * the request would stay open, and its open slot would refuse every later request for the feature on the device.
 * Nothing was issued: signing is the flow's last effect before it ends.
 */
@Component(CANCELLATIONS_BEAN)
class ExtensionCancellations implements ExecutionListener {

    private final Extensions extensions;
    private final AuditLog audit;

    ExtensionCancellations(Extensions extensions, AuditLog audit) {
        this.extensions = extensions;
        this.audit = audit;
    }

    @Override
    public void notify(DelegateExecution execution) {
        if (!execution.isCanceled()) {
            return;
        }
        extensions.findByProcessInstance(execution.getProcessInstanceId()).ifPresent(e -> {
            if (extensions.markCancelled(e.id(), "The request was cancelled by an operator before a decision.")) {
                audit.record(AuditLog.SYSTEM, "extension.cancelled", "extension:" + e.id(), "process instance "
                        + execution.getProcessInstanceId() + " cancelled");
            }
        });
    }
}
