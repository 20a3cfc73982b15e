package io.nodelock.rehost.process;

import io.nodelock.workflow.FlowDeclaration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Names shared by bpmn/license-rehost.bpmn, its start form and the Java side; a test keeps them in sync. */
public final class RehostProcess {

    public static final String PROCESS_KEY = "license-rehost";
    public static final String START_FORM = "rehost-request";
    public static final String ERROR_REJECTED = "REHOST_REJECTED";
    public static final String MESSAGE_REHOST_TICKET_RECEIVED = "RehostTicketReceived";

    public static final String TOPIC_ISSUE_PERMISSION_TICKET = "issue-permission-ticket";
    public static final String TOPIC_EMAIL_PERMISSION_TICKET = "email-permission-ticket";
    public static final String TOPIC_SIGN_DESTINATION_LICENSES = "sign-destination-licenses";
    public static final String TOPIC_EMAIL_DESTINATION_LICENSES = "email-destination-licenses";
    public static final String TOPIC_NOTIFY_PERMISSION_EXPIRED = "notify-permission-expired";
    public static final String TOPIC_RECORD_REHOST_REJECTION = "record-rehost-rejection";
    public static final List<String> TOPICS = List.of(TOPIC_ISSUE_PERMISSION_TICKET, TOPIC_EMAIL_PERMISSION_TICKET,
            TOPIC_SIGN_DESTINATION_LICENSES, TOPIC_EMAIL_DESTINATION_LICENSES, TOPIC_NOTIFY_PERMISSION_EXPIRED,
            TOPIC_RECORD_REHOST_REJECTION);

    public static final String VAR_REHOST_ID = "rehostId";
    public static final String VAR_ACCOUNT_ID = "accountId";
    public static final String VAR_INITIATOR = "initiator";
    public static final String VAR_CREDENTIAL = "credential";
    public static final String VAR_LICENSE_IDS = "licenseIds";
    public static final String VAR_EMAIL = "email";
    public static final String VAR_PERMISSION_TICKET_ID = "permissionTicketId";
    /** The permission ticket's expiry, ISO-8601 UTC; the timer of the model fires at it. */
    public static final String VAR_PERMISSION_EXPIRES_AT = "permissionExpiresAt";
    /**
     * The end of the late-upload window, ISO-8601 UTC: until then a rehost ticket the device signed while the
     * permission ticket was valid is still redeemed after the expiry.
     */
    public static final String VAR_LATE_UPLOAD_DEADLINE = "lateUploadDeadline";
    /** Set by the upload that correlates {@link #MESSAGE_REHOST_TICKET_RECEIVED}. */
    public static final String VAR_DESTINATION_UDI = "destinationUdi";
    public static final String VAR_REJECTION_CODE = "rejectionCode";
    public static final String VAR_REJECTION_MESSAGE = "rejectionMessage";

    /** Fields of the customer's start form, in order. */
    public static final List<String> START_FORM_FIELDS = List.of(VAR_CREDENTIAL, VAR_LICENSE_IDS, VAR_EMAIL);

    /** The flow's names as one declaration, checked against the model and its form by the model contract test. */
    public static final FlowDeclaration FLOW = new FlowDeclaration(PROCESS_KEY, TOPICS, List.of(ERROR_REJECTED),
            List.of(MESSAGE_REHOST_TICKET_RECEIVED), Map.of(START_FORM, START_FORM_FIELDS), Map.of(),
            FlowDeclaration.variablesOf(RehostProcess.class), Set.of(), Set.of(), new FlowDeclaration.Refusals("Rehost refused", Map.ofEntries(
                    Map.entry("REQUEST_INVALID", 400),
                    Map.entry("BAD_CREDENTIAL", 400),
                    Map.entry("INVALID_REHOST_TICKET", 400),
                    Map.entry("UNKNOWN_UDI", 404),
                    Map.entry("DEVICE_OF_ANOTHER_ACCOUNT", 403),
                    Map.entry("CREDENTIAL_KEY_MISMATCH", 409),
                    Map.entry("UNCERTIFIED_DEVICE", 403),
                    Map.entry("UNTRUSTED_DEVICE_CERTIFICATE", 403),
                    Map.entry("ALREADY_REDEEMED", 409),
                    Map.entry("LICENSES_NO_LONGER_ACTIVE", 409),
                    Map.entry("PERMISSION_TICKET_NOT_ISSUED", 409),
                    Map.entry("REHOST_REJECTED", 409),
                    Map.entry("REHOST_BUSY", 409),
                    Map.entry("PERMISSION_TICKET_EXPIRED", 410))));

    private RehostProcess() {
    }
}
