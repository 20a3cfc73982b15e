package io.nodelock.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.nodelock.pak.Pak;
import io.nodelock.pak.PakService.NewLine;
import io.nodelock.support.ServiceIT;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.operaton.bpm.engine.ManagementService;
import org.operaton.bpm.engine.RuntimeService;
import org.operaton.bpm.engine.runtime.Incident;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * How the {@link ChainingJobExecutor} commits a flow's steps, observed in PostgreSQL itself: triggers note the
 * transaction id of the rows each step writes.
 */
class StepChainIT extends ServiceIT {

    @Autowired
    RuntimeService runtime;
    @Autowired
    ManagementService management;

    @AfterEach
    void dropTriggers() {
        jdbc.execute("drop trigger if exists it_note_tx on pak_redemption");
        jdbc.execute("drop trigger if exists it_note_tx on license_file");
        jdbc.execute("drop trigger if exists it_note_tx on mail_outbox");
        jdbc.execute("drop trigger if exists it_refuse_mail on mail_outbox");
    }

    @Test
    void consecutiveStepsCommitTogetherAndTheRedemptionCommitsAlone() {
        jdbc.execute("create table if not exists it_step_tx (tbl varchar(40), row_key varchar(120), txid bigint)");
        jdbc.execute("""
                create or replace function it_note_tx() returns trigger language plpgsql as $$
                begin
                  insert into it_step_tx values (tg_table_name, coalesce(to_jsonb(new) ->> 'operation_id',
                      to_jsonb(new) ->> 'issue_id', to_jsonb(new) ->> 'fulfillment_id'), txid_current());
                  return new;
                end $$""");
        for (String table : new String[] {"pak_redemption", "license_file", "mail_outbox"}) {
            jdbc.execute("create trigger it_note_tx after insert on " + table + " for each row execute function it_note_tx()");
        }
        TestAccount customer = newCustomer();
        Pak pak = newPak(customer, new NewLine("FL-C1111-SEC-K9", 1));
        Response accepted = post("/api/v1/fulfillments", customer.token(), fulfillmentJson(pak.code().formatted(), "FL-C1111-SEC-K9",
                "PID:C1111-4P,SN:" + randomSerial(), customer.email(), false));
        String id = accepted.body().path("id").asText();
        awaitMailSent(accepted.headers().firstValue("Location").orElseThrow(), customer.token());

        long redeemed = txOf("pak_redemption", id);
        long signed = txOf("license_file", id);
        long mailed = txOf("mail_outbox", "license-mail:" + id);
        // sign-license and email-license ran in one transaction; redeem-pak committed before them, alone, so the PAK
        // line's row lock was not held while signing.
        assertThat(signed).isEqualTo(mailed);
        assertThat(redeemed).isNotEqualTo(signed);
    }

    @Test
    void aStepFailingLateInAChainFailsAloneAfterTheStepsBeforeItCommitted() {
        TestAccount customer = newCustomer();
        String email = "chain-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        jdbc.execute("""
                create or replace function it_refuse_mail() returns trigger language plpgsql as $$
                begin
                  if new.recipient = '%s' then raise exception 'it: the outbox refuses this mail'; end if;
                  return new;
                end $$""".formatted(email));
        jdbc.execute("create trigger it_refuse_mail before insert on mail_outbox for each row execute function it_refuse_mail()");
        Pak pak = newPak(customer, new NewLine("FL-C1111-SEC-K9", 2));
        Response accepted = post("/api/v1/fulfillments", customer.token(), fulfillmentJson(pak.code().formatted(), "FL-C1111-SEC-K9",
                "PID:C1111-4P,SN:" + randomSerial(), email, false));
        UUID id = UUID.fromString(accepted.body().path("id").asText());
        String instance = jdbc.queryForObject("select process_instance_id from fulfillment where id = ?", String.class, id);

        await().atMost(Duration.ofSeconds(30)).until(() -> runtime.createIncidentQuery().processInstanceId(instance).count() == 1);
        Incident incident = runtime.createIncidentQuery().processInstanceId(instance).singleResult();
        assertThat(incident.getIncidentType()).isEqualTo("failedJob");
        assertThat(incident.getActivityId()).isEqualTo("ServiceTask_EmailLicense");
        assertThat(incident.getIncidentMessage()).contains("the outbox refuses this mail");
        // Everything before the failing step is committed, once: the unit, the license, the status.
        assertThat(jdbc.queryForObject("select consumed from pak_line where id = ?", Integer.class, pak.lines().get(0).id())).isEqualTo(1);
        assertThat(jdbc.queryForObject("select count(*) from license_file where issue_id = ?", Integer.class, id)).isEqualTo(1);
        assertThat(jdbc.queryForObject("select status from fulfillment where id = ?", String.class, id)).isEqualTo("ISSUED");
        assertThat(jdbc.queryForObject("select count(*) from mail_outbox where operation_id = ?", Integer.class, "license-mail:" + id)).isZero();

        // An operator fixes the cause and retries the step from Cockpit: the instance goes on from there.
        jdbc.execute("drop trigger it_refuse_mail on mail_outbox");
        management.setJobRetries(management.createJobQuery().processInstanceId(instance).singleResult().getId(), 1);
        await().atMost(Duration.ofSeconds(30)).until(() -> runtime.createProcessInstanceQuery().processInstanceId(instance).count() == 0);
        assertThat(jdbc.queryForObject("select count(*) from mail_outbox where operation_id = ?", Integer.class, "license-mail:" + id)).isEqualTo(1);
        assertThat(jdbc.queryForObject("select consumed from pak_line where id = ?", Integer.class, pak.lines().get(0).id())).isEqualTo(1);
    }

    private long txOf(String table, String key) {
        return jdbc.queryForObject("select txid from it_step_tx where tbl = ? and row_key = ?", Long.class, table, key);
    }
}
