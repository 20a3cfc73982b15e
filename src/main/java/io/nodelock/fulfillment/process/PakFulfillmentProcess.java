package io.nodelock.fulfillment.process;

import io.nodelock.workflow.FlowDeclaration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Names shared by bpmn/pak-fulfillment.bpmn, forms/pak-registration.form and the Java side; a test keeps them in sync. */
public final class PakFulfillmentProcess {

    public static final String PROCESS_KEY = "pak-fulfillment";
    public static final String START_FORM = "pak-registration";
    public static final String ERROR_REJECTED = "FULFILLMENT_REJECTED";

    public static final String TOPIC_CHECK_UDI = "check-udi";
    public static final String TOPIC_REDEEM_PAK = "redeem-pak";
    public static final String TOPIC_SIGN_LICENSE = "sign-license";
    public static final String TOPIC_EMAIL_LICENSE = "email-license";
    public static final String TOPIC_RECORD_REJECTION = "record-rejection";
    public static final List<String> TOPICS = List.of(TOPIC_CHECK_UDI, TOPIC_REDEEM_PAK, TOPIC_SIGN_LICENSE,
            TOPIC_EMAIL_LICENSE, TOPIC_RECORD_REJECTION);

    public static final String VAR_FULFILLMENT_ID = "fulfillmentId";
    public static final String VAR_ACCOUNT_ID = "accountId";
    public static final String VAR_INITIATOR = "initiator";
    public static final String VAR_PAK_CODE = "pakCode";
    public static final String VAR_UDI = "udi";
    public static final String VAR_SKU = "sku";
    public static final String VAR_EMAIL = "email";
    public static final String VAR_EULA_ACCEPTED = "eulaAccepted";
    public static final String VAR_REJECTION_CODE = "rejectionCode";
    public static final String VAR_REJECTION_MESSAGE = "rejectionMessage";
    public static final String VAR_LICENSE_IDS = "licenseIds";
    /** The fields of the start form, in the order the form shows them. */
    public static final List<String> FORM_FIELDS = List.of(VAR_PAK_CODE, VAR_UDI, VAR_SKU, VAR_EMAIL, VAR_EULA_ACCEPTED);

    /** The flow's names as one declaration, checked against the model and its form by the model contract test. */
    public static final FlowDeclaration FLOW = new FlowDeclaration(PROCESS_KEY, TOPICS, List.of(ERROR_REJECTED), List.of(),
            Map.of(START_FORM, FORM_FIELDS), Map.of(), FlowDeclaration.variablesOf(PakFulfillmentProcess.class), Set.of(), Set.of(),
            new FlowDeclaration.Refusals("Fulfillment refused", Map.of()));

    private PakFulfillmentProcess() {
    }
}
