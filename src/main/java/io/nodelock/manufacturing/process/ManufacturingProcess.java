package io.nodelock.manufacturing.process;

import io.nodelock.manufacturing.ManufacturingRefusals;
import io.nodelock.workflow.FlowDeclaration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Names shared by bpmn/manufacturing-preinstall.bpmn and the Java side; a test keeps them in sync. */
public final class ManufacturingProcess {

    public static final String PROCESS_KEY = "manufacturing-preinstall";
    public static final String ERROR_REFUSED = "MANUFACTURING_REFUSED";

    public static final String TOPIC_REDEEM_ORDER_UNITS = "redeem-order-units";
    public static final String TOPIC_MAKE_DEVICE_BATCH = "make-device-batch";
    public static final String TOPIC_BUILD_FACTORY_ARCHIVE = "build-factory-archive";
    public static final String TOPIC_EMAIL_ORDER_READY = "email-order-ready";
    public static final String TOPIC_RECORD_ORDER_REJECTION = "record-order-rejection";
    public static final List<String> TOPICS = List.of(TOPIC_REDEEM_ORDER_UNITS, TOPIC_MAKE_DEVICE_BATCH,
            TOPIC_BUILD_FACTORY_ARCHIVE, TOPIC_EMAIL_ORDER_READY, TOPIC_RECORD_ORDER_REJECTION);

    public static final String VAR_ORDER_ID = "orderId";
    public static final String VAR_ACCOUNT_ID = "accountId";
    /** Set by make-device-batch: whether devices of the order are still waiting; the loop's gateway reads it. */
    public static final String VAR_MORE_DEVICES = "moreDevices";
    public static final String VAR_REJECTION_CODE = FlowDeclaration.VAR_REJECTION_CODE;
    public static final String VAR_REJECTION_MESSAGE = FlowDeclaration.VAR_REJECTION_MESSAGE;

    public static final FlowDeclaration FLOW = new FlowDeclaration(PROCESS_KEY, TOPICS, List.of(ERROR_REFUSED), List.of(),
            Map.of(), Map.of(), FlowDeclaration.variablesOf(ManufacturingProcess.class), Set.of(), Set.of(),
            new FlowDeclaration.Refusals("Manufacturing order refused", Map.ofEntries(
                    Map.entry(ManufacturingRefusals.REQUEST_INVALID, 400),
                    Map.entry(ManufacturingRefusals.UDI_INVALID, 400),
                    Map.entry(ManufacturingRefusals.SKU_UNKNOWN, 400),
                    Map.entry(ManufacturingRefusals.DUPLICATE_UDI, 400),
                    Map.entry(ManufacturingRefusals.TOO_MANY_DEVICES, 400),
                    Map.entry(ManufacturingRefusals.UDI_NOT_VALID_FOR_SKU, 422),
                    Map.entry(ManufacturingRefusals.EULA_NOT_ACCEPTED, 422),
                    Map.entry(ManufacturingRefusals.DEVICE_OF_ANOTHER_ACCOUNT, 409),
                    Map.entry(ManufacturingRefusals.DEVICE_ALREADY_CERTIFIED, 409),
                    Map.entry(ManufacturingRefusals.DEVICE_LOCKED, 409),
                    Map.entry(ManufacturingRefusals.DEVICE_IN_OPEN_ORDER, 409),
                    Map.entry(ManufacturingRefusals.PAK_UNKNOWN, 422),
                    Map.entry(ManufacturingRefusals.SKU_NOT_ON_PAK, 422),
                    Map.entry(ManufacturingRefusals.PAK_EXHAUSTED, 422))));

    private ManufacturingProcess() {
    }
}
