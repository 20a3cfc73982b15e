package io.nodelock.bulk.process;

import io.nodelock.bulk.BulkRefusals;
import io.nodelock.workflow.FlowDeclaration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Names shared by bpmn/bulk-fulfillment.bpmn and the Java side; a test keeps them in sync. */
public final class BulkFulfillmentProcess {

    public static final String PROCESS_KEY = "bulk-fulfillment";

    public static final String TOPIC_FULFILL_ROW_BATCH = "fulfill-row-batch";
    public static final String TOPIC_COMPLETE_BULK = "complete-bulk";
    public static final String TOPIC_EMAIL_BULK_RESULT = "email-bulk-result";
    public static final List<String> TOPICS = List.of(TOPIC_FULFILL_ROW_BATCH, TOPIC_COMPLETE_BULK, TOPIC_EMAIL_BULK_RESULT);

    public static final String VAR_BULK_ID = "bulkId";
    public static final String VAR_ACCOUNT_ID = "accountId";
    /** Set by fulfill-row-batch: whether rows of the bulk are still waiting; the loop's gateway reads it. */
    public static final String VAR_MORE_ROWS = "moreRows";

    /**
     * No BPMN error: nothing refuses a whole bulk once it is accepted (each row's refusal is recorded on the row), so
     * the model has no rejection path. The statuses are those of the intake's refusals.
     */
    public static final FlowDeclaration FLOW = new FlowDeclaration(PROCESS_KEY, TOPICS, List.of(), List.of(), Map.of(), Map.of(),
            FlowDeclaration.variablesOf(BulkFulfillmentProcess.class), Set.of(), Set.of(),
            new FlowDeclaration.Refusals("Bulk fulfillment refused", Map.ofEntries(
                    Map.entry(BulkRefusals.REQUEST_INVALID, 400),
                    Map.entry(BulkRefusals.ROWS_MALFORMED, 400),
                    Map.entry(BulkRefusals.TOO_MANY_ROWS, 400),
                    Map.entry(BulkRefusals.DUPLICATE_ROWS, 400),
                    Map.entry(BulkRefusals.SKU_UNKNOWN, 400),
                    Map.entry(BulkRefusals.PAK_UNKNOWN, 422),
                    Map.entry(BulkRefusals.SKU_NOT_ON_PAK, 422),
                    Map.entry(BulkRefusals.PAK_EXHAUSTED, 422))));

    private BulkFulfillmentProcess() {
    }
}
