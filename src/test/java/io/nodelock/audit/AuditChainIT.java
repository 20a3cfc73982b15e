package io.nodelock.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nodelock.account.Role;
import io.nodelock.support.ServiceIT;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The audit trail on PostgreSQL: append-only in the database itself, a hash chain that stays one chain under
 * concurrent writers, anchored by signed checkpoints, and a verification that names the exact entry a database
 * administrator changed behind the service's back.
 */
class AuditChainIT extends ServiceIT {

    @Autowired
    AuditLog audit;
    @Autowired
    AuditVerification verification;
    @Autowired
    AuditCheckpoints checkpoints;
    @Autowired
    TransactionTemplate transactions;

    @Test
    void theDatabaseRefusesUpdateDeleteAndTruncate() {
        String subject = "audit-it:" + UUID.randomUUID();
        audit.record("it", "audit-it.appended", subject, "first");
        long id = jdbc.queryForObject("select id from audit_event where subject = ?", Long.class, subject);

        assertThatThrownBy(() -> jdbc.update("update audit_event set detail = 'changed' where id = ?", id))
                .isInstanceOf(DataIntegrityViolationException.class).rootCause().hasMessageContaining("append-only");
        assertThatThrownBy(() -> jdbc.update("delete from audit_event where id = ?", id))
                .isInstanceOf(DataIntegrityViolationException.class).rootCause().hasMessageContaining("append-only");
        assertThatThrownBy(() -> jdbc.execute("truncate audit_event"))
                .isInstanceOf(DataIntegrityViolationException.class).rootCause().hasMessageContaining("append-only");
        checkpoints.anchor();
        assertThatThrownBy(() -> jdbc.update("delete from audit_checkpoint"))
                .isInstanceOf(DataIntegrityViolationException.class).rootCause().hasMessageContaining("append-only");
        assertThat(jdbc.queryForObject("select detail from audit_event where id = ?", String.class, id)).isEqualTo("first");
    }

    @Test
    void concurrentWritersFormOneUnbrokenChain() throws Exception {
        String subject = "audit-it:" + UUID.randomUUID();
        int writers = 8;
        int transactionsEach = 15;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> done = new ArrayList<>();
        try {
            for (int w = 0; w < writers; w++) {
                int writer = w;
                done.add(pool.submit(() -> {
                    start.await();
                    for (int t = 0; t < transactionsEach; t++) {
                        int n = t;
                        // Two events per transaction, as a step that audits twice: they stay adjacent in the chain.
                        transactions.executeWithoutResult(status -> {
                            audit.record("it", "audit-it.first", subject, writer + "/" + n);
                            audit.record("it", "audit-it.second", subject, writer + "/" + n);
                        });
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> future : done) {
                future.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        List<AuditEvent> events = audit.forSubject(subject, 1000);
        assertThat(events).hasSize(writers * transactionsEach * 2);
        for (int i = 0; i < events.size(); i += 2) {
            assertThat(events.get(i + 1).seq()).isEqualTo(events.get(i).seq() + 1);
            assertThat(events.get(i + 1).prevHash()).isEqualTo(events.get(i).entryHash());
            assertThat(events.get(i + 1).detail()).isEqualTo(events.get(i).detail());
        }
        AuditVerification.Result result = verification.verify();
        assertThat(result.firstBrokenLink()).isNull();
        assertThat(result.intact()).isTrue();
        assertThat(result.lastSeq()).isGreaterThanOrEqualTo(events.get(events.size() - 1).seq());
    }

    @Test
    void verificationNamesTheEntryChangedDirectlyInTheDatabase() {
        String subject = "audit-it:" + UUID.randomUUID();
        audit.record("it", "audit-it.before", subject, "untouched");
        audit.record("it", "audit-it.target", subject, "license issued to acct-1");
        audit.record("it", "audit-it.after", subject, "untouched");
        checkpoints.anchor();
        AuditEvent target = audit.forSubject(subject, 10).get(1);
        assertThat(verification.verify().intact()).isTrue();

        // What a database superuser can still do: switch the triggers off for a session and edit a row.
        tamper("update audit_event set detail = 'license issued to acct-2' where id = " + target.id());
        try {
            AuditVerification.Result result = verification.verify();
            assertThat(result.intact()).isFalse();
            assertThat(result.firstBrokenLink().entryId()).isEqualTo(target.id());
            assertThat(result.firstBrokenLink().seq()).isEqualTo(target.seq());
            assertThat(result.firstBrokenLink().reason()).isEqualTo(AuditVerification.Break.CONTENT_CHANGED);

            // The operator's endpoint says the same; customers may not ask.
            String operator = newAccount(EnumSet.of(Role.OPERATOR)).token();
            Response answer = get("/api/v1/audit/verification", operator);
            assertThat(answer.status()).isEqualTo(200);
            assertThat(answer.body().path("intact").asBoolean()).isFalse();
            assertThat(answer.body().path("firstBrokenLink").path("entryId").asLong()).isEqualTo(target.id());
            assertThat(answer.body().path("firstBrokenLink").path("reason").asText()).isEqualTo("CONTENT_CHANGED");
            assertThat(get("/api/v1/audit/verification", newCustomer().token()).status()).isEqualTo(403);

            // Recomputing the edited entry's hash moves the break to the link after it, and the checkpoint still holds.
            String rehashed = AuditChain.hash(target.prevHash(), target.seq(), target.occurredAt(), target.actor(), target.action(),
                    target.subject(), "license issued to acct-2");
            tamper("update audit_event set entry_hash = '" + rehashed + "' where id = " + target.id());
            AuditVerification.BrokenLink next = verification.verify().firstBrokenLink();
            assertThat(next.seq()).isEqualTo(target.seq() + 1);
            assertThat(next.reason()).isEqualTo(AuditVerification.Break.PREVIOUS_HASH_MISMATCH);
        } finally {
            tamper("update audit_event set detail = 'license issued to acct-1', entry_hash = '" + target.entryHash()
                    + "' where id = " + target.id());
        }
        assertThat(verification.verify().intact()).isTrue();
    }

    @Test
    void aForgedCheckpointIsABrokenLink() {
        audit.record("it", "audit-it.anchored", "audit-it:" + UUID.randomUUID(), null);
        AuditCheckpoints.Checkpoint anchor = checkpoints.anchor().orElseThrow();
        assertThat(checkpoints.signatureValid(anchor)).isTrue();
        String forged = anchor.signature().startsWith("A") ? "B" + anchor.signature().substring(1) : "A" + anchor.signature().substring(1);
        tamper("update audit_checkpoint set signature = '" + forged + "' where seq = " + anchor.seq());
        try {
            AuditVerification.BrokenLink broken = verification.verify().firstBrokenLink();
            assertThat(broken.seq()).isEqualTo(anchor.seq());
            assertThat(broken.reason()).isEqualTo(AuditVerification.Break.CHECKPOINT_SIGNATURE_INVALID);
        } finally {
            tamper("update audit_checkpoint set signature = '" + anchor.signature() + "' where seq = " + anchor.seq());
        }
        assertThat(verification.verify().intact()).isTrue();
    }

    /** One statement with the append-only triggers off for this transaction only, as a superuser can. */
    private void tamper(String sql) {
        transactions.executeWithoutResult(status -> {
            jdbc.execute("set local session_replication_role = replica");
            jdbc.execute(sql);
        });
    }
}
