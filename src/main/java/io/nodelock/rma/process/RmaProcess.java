package io.nodelock.rma.process;

import io.nodelock.rma.RmaRefusals;
import io.nodelock.workflow.FlowDeclaration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Names shared by bpmn/rma-license-transfer.bpmn, its forms and the Java side; a test keeps them in sync. */
public final class RmaProcess {

    public static final String PROCESS_KEY = "rma-license-transfer";
    public static final String START_FORM = "rma-request";
    public static final String REVIEW_FORM = "rma-review";
    public static final String ERROR_REJECTED = "RMA_REJECTED";
    public static final String TAC_GROUP = "tac-approvers";
    /** The bean that records the TAC decision when the review task completes (see RmaReviews). */
    public static final String REVIEW_LISTENER = "rmaReviews";

    public static final String TOPIC_LOCK_FAILED_DEVICE = "lock-failed-device";
    public static final String TOPIC_SIGN_REPLACEMENT_LICENSES = "sign-replacement-licenses";
    public static final String TOPIC_EMAIL_REPLACEMENT_LICENSES = "email-replacement-licenses";
    public static final String TOPIC_RECORD_RMA_REJECTION = "record-rma-rejection";
    public static final List<String> TOPICS = List.of(TOPIC_LOCK_FAILED_DEVICE, TOPIC_SIGN_REPLACEMENT_LICENSES,
            TOPIC_EMAIL_REPLACEMENT_LICENSES, TOPIC_RECORD_RMA_REJECTION);

    public static final String VAR_RMA_ID = "rmaId";
    public static final String VAR_ACCOUNT_ID = "accountId";
    public static final String VAR_INITIATOR = "initiator";
    public static final String VAR_FAILED_UDI = "failedUdi";
    public static final String VAR_REPLACEMENT_UDI = "replacementUdi";
    public static final String VAR_RMA_NUMBER = "rmaNumber";
    public static final String VAR_EMAIL = "email";
    public static final String VAR_NEEDS_REVIEW = "needsReview";
    public static final String VAR_REVIEW_REASON = "reviewReason";
    public static final String VAR_DEVICE_HISTORY = "deviceHistory";
    public static final String VAR_TAC_DECISION = "tacDecision";
    public static final String VAR_TAC_COMMENT = "tacComment";
    public static final String VAR_REJECTION_CODE = "rejectionCode";
    public static final String VAR_REJECTION_MESSAGE = "rejectionMessage";
    public static final String DECISION_APPROVE = "approve";
    public static final String DECISION_REJECT = "reject";

    /** Fields of the customer's start form, in order. */
    public static final List<String> START_FORM_FIELDS = List.of(VAR_FAILED_UDI, VAR_REPLACEMENT_UDI, VAR_RMA_NUMBER, VAR_EMAIL);
    /** Fields of the TAC review form, in order (the first ones are shown read-only). */
    public static final List<String> REVIEW_FORM_FIELDS = List.of(VAR_RMA_NUMBER, VAR_FAILED_UDI, VAR_REPLACEMENT_UDI,
            VAR_REVIEW_REASON, VAR_DEVICE_HISTORY, VAR_TAC_DECISION, VAR_TAC_COMMENT);

    /** The flow's names as one declaration, checked against the model and its forms by the model contract test. */
    public static final FlowDeclaration FLOW = new FlowDeclaration(PROCESS_KEY, TOPICS, List.of(ERROR_REJECTED), List.of(),
            Map.of(START_FORM, START_FORM_FIELDS, REVIEW_FORM, REVIEW_FORM_FIELDS),
            Map.of(VAR_TAC_DECISION, List.of(DECISION_APPROVE, DECISION_REJECT)), FlowDeclaration.variablesOf(RmaProcess.class),
            Set.of(REVIEW_LISTENER), Set.of(TAC_GROUP), new FlowDeclaration.Refusals("RMA refused", Map.of(RmaRefusals.RMA_EXISTS, 409,
                    RmaRefusals.UNKNOWN_UDI, 404, RmaRefusals.REQUEST_INVALID, 400, RmaRefusals.UDI_INVALID, 400)));

    private RmaProcess() {
    }
}
