package io.nodelock.eula;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nodelock.audit.AuditEvent;
import io.nodelock.audit.AuditLog;
import io.nodelock.support.ServiceIT;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.IllegalTransactionStateException;
import org.springframework.transaction.support.TransactionTemplate;

/** Recording a consent, as the flows that need one call it: in their transaction, with every fact, audited. */
class EulaConsentsIT extends ServiceIT {

    @Autowired
    EulaConsents eulas;
    @Autowired
    TransactionTemplate transactions;
    @Autowired
    AuditLog audit;

    @Test
    void recordsEveryFactInTheCallersTransactionAndInTheAuditTrail() {
        TestAccount customer = newCustomer();
        String subject = "extension:" + UUID.randomUUID();
        ConsentOrigin origin = new ConsentOrigin("portal", "2001:db8::7", "Mozilla/5.0\n(forged line)");
        Instant before = Instant.now();
        EulaConsent consent = transactions.execute(s -> eulas.record(customer.id(), "jane@acme.example", "2026-11", origin, subject));

        assertThat(consent.accountId()).isEqualTo(customer.id());
        assertThat(consent.acceptedBy()).isEqualTo("jane@acme.example");
        assertThat(consent.eulaVersion()).isEqualTo("2026-11");
        assertThat(consent.textSha256()).isEqualTo(eulas.current().sha256()).matches("[0-9a-f]{64}");
        assertThat(consent.acceptedAt()).isBetween(before.minusMillis(1), Instant.now());
        assertThat(consent.subject()).isEqualTo(subject);
        // control characters never reach the record or the audit line
        assertThat(consent.origin()).isEqualTo(new ConsentOrigin("portal", "2001:db8::7", "Mozilla/5.0?(forged line)"));
        assertThat(eulas.forSubject(subject)).containsExactly(consent);
        assertThat(eulas.consent(consent.id())).contains(consent);

        List<AuditEvent> events = audit.forSubject(subject, 10);
        assertThat(events).hasSize(1);
        assertThat(events.get(0).action()).isEqualTo("eula.accepted");
        assertThat(events.get(0).actor()).isEqualTo("jane@acme.example");
        assertThat(events.get(0).detail()).contains("EULA 2026-11", consent.textSha256(), "jane@acme.example", customer.id(),
                "via portal from 2001:db8::7", consent.id().toString()).doesNotContain("\n");
    }

    @Test
    void aConsentRollsBackWithWhatItWasGivenFor() {
        TestAccount customer = newCustomer();
        String subject = "evaluation:" + UUID.randomUUID();
        assertThatThrownBy(() -> transactions.executeWithoutResult(s -> {
            eulas.record(customer.id(), customer.id(), "2026-11", ConsentOrigin.api("127.0.0.1", null), subject);
            throw new IllegalStateException("the evaluation failed");
        })).hasMessage("the evaluation failed");
        assertThat(eulas.forSubject(subject)).isEmpty();
        assertThat(audit.forSubject(subject, 10)).isEmpty();
    }

    @Test
    void isRefusedOutsideATransactionAndForAnythingButTheCurrentVersion() {
        TestAccount customer = newCustomer();
        String subject = "evaluation:" + UUID.randomUUID();
        ConsentOrigin origin = ConsentOrigin.api("127.0.0.1", "test");
        assertThatThrownBy(() -> eulas.record(customer.id(), customer.id(), "2026-11", origin, subject))
                .isInstanceOf(IllegalTransactionStateException.class);
        for (String version : new String[] {"2025-06", "1999-01", null}) {
            assertThatThrownBy(() -> transactions.execute(s -> eulas.record(customer.id(), customer.id(), version, origin, subject)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cannot record consent");
        }
        assertThatThrownBy(() -> transactions.execute(s -> eulas.record(customer.id(), customer.id(), "2026-11", origin, "x".repeat(121))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("subject");
        assertThat(eulas.forSubject(subject)).isEmpty();
        assertThat(jdbc.queryForObject("select count(*) from eula_consent where account_id = ?", Integer.class, customer.id())).isZero();
    }
}
