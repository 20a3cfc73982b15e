package io.nodelock.resend.process;

import io.nodelock.resend.ResendRefusals;
import io.nodelock.workflow.FlowDeclaration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Names shared by bpmn/license-resend.bpmn, its form and the Java side; a test keeps them in sync. */
public final class ResendProcess {

    public static final String PROCESS_KEY = "license-resend";
    public static final String START_FORM = "resend-request";
    public static final String ERROR_REFUSED = "RESEND_REFUSED";

    public static final String TOPIC_CHECK_RESEND_REQUEST = "check-resend-request";
    public static final String TOPIC_ASSEMBLE_LICENSE_FILE = "assemble-license-file";
    public static final String TOPIC_EMAIL_RESENT_LICENSES = "email-resent-licenses";
    public static final String TOPIC_RECORD_RESEND_REJECTION = "record-resend-rejection";
    public static final List<String> TOPICS = List.of(TOPIC_CHECK_RESEND_REQUEST, TOPIC_ASSEMBLE_LICENSE_FILE,
            TOPIC_EMAIL_RESENT_LICENSES, TOPIC_RECORD_RESEND_REJECTION);

    public static final String VAR_RESEND_ID = "resendId";
    public static final String VAR_ACCOUNT_ID = "accountId";
    public static final String VAR_UDI = "udi";
    public static final String VAR_CHANNEL = "channel";
    public static final String VAR_REJECTION_CODE = FlowDeclaration.VAR_REJECTION_CODE;
    public static final String VAR_REJECTION_MESSAGE = FlowDeclaration.VAR_REJECTION_MESSAGE;

    /** Fields of the customer's start form: the device only; the file always goes to the account's registered address. */
    public static final List<String> START_FORM_FIELDS = List.of(VAR_UDI);

    public static final FlowDeclaration FLOW = new FlowDeclaration(PROCESS_KEY, TOPICS, List.of(ERROR_REFUSED), List.of(),
            Map.of(START_FORM, START_FORM_FIELDS), Map.of(), FlowDeclaration.variablesOf(ResendProcess.class), Set.of(), Set.of(),
            new FlowDeclaration.Refusals("Resend refused", Map.of(ResendRefusals.REQUEST_INVALID, 400, ResendRefusals.UDI_INVALID, 400,
                    ResendRefusals.UNKNOWN_UDI, 404, ResendRefusals.DEVICE_LOCKED, 422, ResendRefusals.NO_ACTIVE_LICENSES, 422,
                    ResendRefusals.RESEND_LIMIT_REACHED, 429)));

    private ResendProcess() {
    }
}
