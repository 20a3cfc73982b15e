package io.nodelock.extension.process;

import io.nodelock.extension.ExtensionRefusals;
import io.nodelock.workflow.FlowDeclaration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Names shared by bpmn/license-extension.bpmn, its forms and the Java side; a test keeps them in sync. */
public final class ExtensionProcess {

    public static final String PROCESS_KEY = "license-extension";
    public static final String START_FORM = "extension-request";
    public static final String APPROVAL_FORM = "extension-approval";
    public static final String ERROR_REFUSED = "EXTENSION_REFUSED";
    public static final String TAC_GROUP = "tac-approvers";
    public static final String LEAD_GROUP = "tac-leads";
    /** The bean that names approval tasks, escalates them when overdue and records their decisions (see ExtensionApprovals). */
    public static final String APPROVALS_BEAN = "extensionApprovals";
    /** The bean that ends the request of an instance an operator cancels (see ExtensionCancellations). */
    public static final String CANCELLATIONS_BEAN = "extensionCancellations";

    /** The first approval, by a TAC approver (or a lead once the task is overdue). */
    public static final String TASK_APPROVE = "UserTask_ApproveExtension";
    /** The second approval of a large or repeated extension, by a TAC lead. */
    public static final String TASK_CONFIRM = "UserTask_ConfirmExtension";

    public static final String TOPIC_CHECK_EXTENSION_POLICY = "check-extension-policy";
    public static final String TOPIC_SIGN_EXTENSION_LICENSE = "sign-extension-license";
    public static final String TOPIC_EMAIL_EXTENSION_LICENSE = "email-extension-license";
    public static final String TOPIC_RECORD_EXTENSION_REJECTION = "record-extension-rejection";
    public static final List<String> TOPICS = List.of(TOPIC_CHECK_EXTENSION_POLICY, TOPIC_SIGN_EXTENSION_LICENSE, TOPIC_EMAIL_EXTENSION_LICENSE, TOPIC_RECORD_EXTENSION_REJECTION);

    public static final String VAR_EXTENSION_ID = "extensionId";
    public static final String VAR_ACCOUNT_ID = "accountId";
    public static final String VAR_UDI = "udi";
    public static final String VAR_FEATURE = "feature";
    public static final String VAR_DAYS = "days";
    public static final String VAR_REASON = "reason";
    public static final String VAR_EMAIL = "email";
    public static final String VAR_EULA_VERSION = "eulaVersion";
    public static final String VAR_EULA_ACCEPTED = "eulaAccepted";
    public static final String VAR_NEEDS_APPROVAL = "needsApproval";
    public static final String VAR_NEEDS_LEAD_APPROVAL = "needsLeadApproval";
    public static final String VAR_POLICY = "policy";
    public static final String VAR_DEVICE_HISTORY = "deviceHistory";
    public static final String VAR_PRIOR_DECISION = "priorDecision";
    public static final String VAR_DECISION = "extensionDecision";
    public static final String VAR_GRANTED_DAYS = "grantedDays";
    public static final String VAR_DECISION_COMMENT = "decisionComment";
    public static final String VAR_REJECTION_CODE = FlowDeclaration.VAR_REJECTION_CODE;
    public static final String VAR_REJECTION_MESSAGE = FlowDeclaration.VAR_REJECTION_MESSAGE;
    public static final String DECISION_APPROVE = "approve";
    public static final String DECISION_REJECT = "reject";

    /** Fields of the customer's request form, in order. */
    public static final List<String> START_FORM_FIELDS = List.of(VAR_UDI, VAR_FEATURE, VAR_DAYS, VAR_REASON, VAR_EMAIL,
            VAR_EULA_VERSION, VAR_EULA_ACCEPTED);
    /** Fields of the approval form, in order (all but the last three are shown read-only). */
    public static final List<String> APPROVAL_FORM_FIELDS = List.of(VAR_ACCOUNT_ID, VAR_UDI, VAR_FEATURE, VAR_DAYS, VAR_REASON,
            VAR_POLICY, VAR_DEVICE_HISTORY, VAR_PRIOR_DECISION, VAR_DECISION, VAR_GRANTED_DAYS, VAR_DECISION_COMMENT);

    /** The flow's names as one declaration, checked against the model and its forms by the model contract test. */
    public static final FlowDeclaration FLOW = new FlowDeclaration(PROCESS_KEY, TOPICS, List.of(ERROR_REFUSED), List.of(),
            Map.of(START_FORM, START_FORM_FIELDS, APPROVAL_FORM, APPROVAL_FORM_FIELDS),
            Map.of(VAR_DECISION, List.of(DECISION_APPROVE, DECISION_REJECT)), FlowDeclaration.variablesOf(ExtensionProcess.class),
            Set.of(APPROVALS_BEAN, CANCELLATIONS_BEAN), Set.of(TAC_GROUP, LEAD_GROUP), new FlowDeclaration.Refusals("Extension refused", Map.of(
                    ExtensionRefusals.REQUEST_INVALID, 400, ExtensionRefusals.UDI_INVALID, 400, ExtensionRefusals.UNKNOWN_UDI, 404,
                    ExtensionRefusals.UNKNOWN_LICENSE, 404, ExtensionRefusals.NOTHING_TO_EXTEND, 409,
                    ExtensionRefusals.EXTENSION_OPEN, 409, ExtensionRefusals.DAYS_OUT_OF_RANGE, 422)));

    private ExtensionProcess() {
    }
}
