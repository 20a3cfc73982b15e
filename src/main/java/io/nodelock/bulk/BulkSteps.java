package io.nodelock.bulk;

import static io.nodelock.bulk.process.BulkFulfillmentProcess.*;

import io.nodelock.audit.AuditLog;
import io.nodelock.catalogue.Catalogue;
import io.nodelock.catalogue.Sku;
import io.nodelock.device.Devices;
import io.nodelock.fulfillment.FulfillmentRules;
import io.nodelock.license.IssuedLicenseFile;
import io.nodelock.license.LicenseIssuer;
import io.nodelock.notification.MailOutbox;
import io.nodelock.pak.PakCode;
import io.nodelock.pak.PakService;
import io.nodelock.pak.Redemption;
import io.nodelock.workflow.Refusal;
import io.nodelock.workflow.Step;
import io.nodelock.workflow.StepContext;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.stereotype.Component;

/**
 * The steps of bpmn/bulk-fulfillment.bpmn, bound to its service tasks by topic. Each finds its bulk by the process
 * instance and is safe to run again: a row leaves PENDING once, and its PAK redemption and license file are keyed by
 * the row's operation id, so a batch run twice neither consumes nor signs twice.
 */
@Component
class BulkSteps {

    private static final Logger log = LoggerFactory.getLogger(BulkSteps.class);

    private final BulkFulfillments bulks;
    private final BulkProperties properties;
    private final FulfillmentRules rules;
    private final Devices devices;
    private final PakService paks;
    private final LicenseIssuer issuer;
    private final Catalogue catalogue;
    private final MailOutbox outbox;
    private final AuditLog audit;
    /** One savepoint per row: a row that fails for an unexpected reason is undone alone and the batch goes on. */
    private final TransactionTemplate savepoint;

    BulkSteps(BulkFulfillments bulks, BulkProperties properties, FulfillmentRules rules, Devices devices, PakService paks,
              LicenseIssuer issuer, Catalogue catalogue, MailOutbox outbox, AuditLog audit, PlatformTransactionManager transactions) {
        this.bulks = bulks;
        this.properties = properties;
        this.rules = rules;
        this.devices = devices;
        this.paks = paks;
        this.issuer = issuer;
        this.catalogue = catalogue;
        this.outbox = outbox;
        this.audit = audit;
        this.savepoint = new TransactionTemplate(transactions);
        this.savepoint.setPropagationBehavior(TransactionDefinition.PROPAGATION_NESTED);
    }

    /**
     * The operation id of one row: its PAK redemption's and its license file's, so a batch that runs again finds what
     * the row did before instead of consuming or signing again.
     */
    static UUID operationId(UUID bulkId, int rowNo) {
        return UUID.nameUUIDFromBytes(("bulk:" + bulkId + ":" + rowNo).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * fulfill-row-batch: the next rows of the bulk, at most the configured batch size, in this step's own transaction.
     * Each row is fulfilled as one fulfillment would be (the same rules, the device claimed for the account, one unit
     * of its SKU redeemed, its license signed) or refused with the code that fulfillment would have got; a PAK that
     * runs out meanwhile refuses the rest of its SKU's rows ({@code PAK_EXHAUSTED}) and the others go on. Answers
     * whether rows are still waiting.
     */
    @Step(value = TOPIC_FULFILL_ROW_BATCH, commitsAlone = true)
    Map<String, Object> fulfillRowBatch(StepContext step) {
        BulkFulfillment b = step.rowOf(bulks::findByProcessInstance, "bulk fulfillment");
        if (b.status() == BulkStatus.COMPLETED) {
            return Map.of(VAR_MORE_ROWS, false); // a replay after the last batch
        }
        long started = System.nanoTime();
        bulks.markRunning(b.id());
        List<BulkFulfillments.Outcome> outcomes = new ArrayList<>();
        PakCode pak = PakCode.parse(b.pakCode());
        for (BulkRow row : bulks.pendingForUpdate(b.id(), properties.batchSize())) {
            outcomes.add(fulfillAlone(b, pak, row));
        }
        int recorded = bulks.record(b.id(), outcomes);
        BulkFulfillment now = bulks.find(b.id()).orElseThrow();
        long issued = outcomes.stream().filter(o -> o instanceof BulkFulfillments.Outcome.Issued).count();
        audit.record(AuditLog.SYSTEM, "bulk.batch-done", BulkIntake.subject(b.id()), issued + " issued, " + (recorded - issued)
                + " refused in " + (System.nanoTime() - started) / 1_000_000 + " ms; " + now.rowsDone() + " of " + now.rowCount()
                + " done (" + now.percent() + "%)");
        return Map.of(VAR_MORE_ROWS, now.rowsPending() > 0);
    }

    /** One row in a savepoint of the batch; an unexpected fault of the row is tried once more, then recorded on it. */
    private BulkFulfillments.Outcome fulfillAlone(BulkFulfillment b, PakCode pak, BulkRow row) {
        RuntimeException last = null;
        for (int attempt = 1; attempt <= 2; attempt++) {
            try {
                return savepoint.execute(status -> fulfill(b, pak, row));
            } catch (TransientDataAccessException | DataAccessResourceFailureException | Error fault) {
                throw fault; // the database or the connection, not the row: the whole batch is retried
            } catch (RuntimeException fault) {
                // e.g. another account's fulfillment registered this new UDI between the check and the claim: the second
                // attempt sees its owner and refuses the row the usual way.
                last = fault;
            }
        }
        log.warn("Row {} of bulk {} failed twice; recorded as {}", row.rowNo(), b.id(), BulkRefusals.ROW_FAILED, last);
        return new BulkFulfillments.Outcome.Refused(row.rowNo(), BulkRefusals.ROW_FAILED, "This row could not be fulfilled "
                + "because of an error in the service (" + last.getClass().getSimpleName() + "); no PAK unit was used. Submit it "
                + "again later, or ask support with bulk " + b.id() + ", row " + row.rowNo() + ".");
    }

    private BulkFulfillments.Outcome fulfill(BulkFulfillment b, PakCode pak, BulkRow row) {
        Optional<Sku> sku = catalogue.sku(row.sku());
        if (sku.isEmpty()) {
            return refused(row, Refusal.of(BulkRefusals.SKU_UNKNOWN, "SKU " + row.sku() + " is no longer in the catalogue ("
                    + catalogue.revision() + ")."));
        }
        Optional<Refusal> refusal = rules.refusal(b.accountId(), sku.get(), row.udi(), b.eulaVersion() != null);
        if (refusal.isPresent()) {
            return refused(row, refusal.get());
        }
        // Claim the device for the account before any unit is used, so a unit is never spent on another's device.
        if (!devices.claim(row.udi(), b.accountId()).equals(b.accountId())) {
            return refused(row, FulfillmentRules.anotherAccounts(row.udi()).orElseThrow());
        }
        String operation = operationId(b.id(), row.rowNo()).toString();
        Redemption redemption = paks.redeem(operation, b.accountId(), pak, row.sku());
        if (redemption instanceof Redemption.Refused no) {
            return refused(row, Refusal.of(no.code(), no.message()));
        }
        IssuedLicenseFile file = issuer.issue(operation, b.accountId(), sku.get(), row.udi(),
                sku.get().eulaRequired() ? b.eulaVersion() : null);
        return new BulkFulfillments.Outcome.Issued(row.rowNo(), file.licenseIds(), file.content());
    }

    private static BulkFulfillments.Outcome refused(BulkRow row, Refusal refusal) {
        return new BulkFulfillments.Outcome.Refused(row.rowNo(), refusal.code(), refusal.message());
    }

    /** complete-bulk: every row is done; the bulk is complete and its archive can be downloaded. */
    @Step(TOPIC_COMPLETE_BULK)
    void completeBulk(StepContext step) {
        BulkFulfillment b = step.rowOf(bulks::findByProcessInstance, "bulk fulfillment");
        if (b.status() == BulkStatus.COMPLETED) {
            return; // a replay
        }
        if (bulks.countPending(b.id()) > 0) {
            throw new IllegalStateException("bulk " + b.id() + " has rows waiting: refusing to complete it");
        }
        if (bulks.markCompleted(b.id())) {
            audit.record(AuditLog.SYSTEM, "bulk.completed", BulkIntake.subject(b.id()), b.rowsIssued() + " of " + b.rowCount()
                    + " rows issued, " + b.rowsRefused() + " refused");
        }
    }

    /** email-bulk-result: tells the customer the counts and where the archive is (once per bulk). */
    @Step(TOPIC_EMAIL_BULK_RESULT)
    void emailBulkResult(StepContext step) {
        BulkFulfillment b = step.rowOf(bulks::findByProcessInstance, "bulk fulfillment");
        if (b.status() != BulkStatus.COMPLETED) {
            throw new IllegalStateException("bulk " + b.id() + " is " + b.status() + ": nothing to announce");
        }
        if (outbox.enqueue(BulkMails.result(b))) {
            audit.record(AuditLog.SYSTEM, "mail.queued", BulkIntake.subject(b.id()), "bulk result to " + b.email());
        }
    }
}
