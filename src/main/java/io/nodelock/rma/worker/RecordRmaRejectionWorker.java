package io.nodelock.rma.worker;

import static io.nodelock.rma.process.RmaProcess.*;

import io.nodelock.rma.RmaService;
import io.nodelock.workflow.LockedTask;
import io.nodelock.workflow.TaskHandler;
import java.util.Map;
import org.springframework.stereotype.Component;

@Component
class RecordRmaRejectionWorker implements TaskHandler {

    private final RmaService rmas;

    RecordRmaRejectionWorker(RmaService rmas) {
        this.rmas = rmas;
    }

    @Override
    public String topic() {
        return TOPIC_RECORD_RMA_REJECTION;
    }

    @Override
    public Map<String, Object> handle(LockedTask task) {
        String code = task.stringOrNull(VAR_REJECTION_CODE);
        if (code == null && DECISION_REJECT.equals(task.stringOrNull(VAR_TAC_DECISION))) {
            rmas.recordRejection(task.stringOrNull(VAR_RMA_ID), RmaService.TAC_REJECTED, orDefault(task.stringOrNull(VAR_TAC_COMMENT),
                    "Rejected by TAC (no reason given)"), SignReplacementLicensesWorker.reviewer(task));
        } else if (code == null) {
            // The review task was completed without a valid decision (e.g. over REST): the model treats it as rejected.
            rmas.recordRejection(task.stringOrNull(VAR_RMA_ID), RmaService.TAC_REJECTED, "TAC review completed without a valid "
                    + "decision ('" + task.stringOrNull(VAR_TAC_DECISION) + "')", SignReplacementLicensesWorker.reviewer(task));
        } else {
            rmas.recordRejection(task.stringOrNull(VAR_RMA_ID), code, orDefault(task.stringOrNull(VAR_REJECTION_MESSAGE), code), null);
        }
        return Map.of();
    }

    private static String orDefault(String value, String fallback) {
        return value == null || value.isBlank() ? fallback : value;
    }
}
