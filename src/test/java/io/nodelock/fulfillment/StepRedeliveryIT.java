package io.nodelock.fulfillment;

import static org.assertj.core.api.Assertions.assertThat;

import static io.nodelock.fulfillment.process.PakFulfillmentProcess.*;

import io.nodelock.pak.Pak;
import io.nodelock.pak.PakService.NewLine;
import io.nodelock.support.ServiceIT;
import io.nodelock.workflow.FlowSteps;
import io.nodelock.workflow.StepContext;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Jobs run at least once: a node may run a step again after its job's lock expired, and a chain that failed later
 * runs again from its first step. Every step's effect is keyed by the fulfillment, so running them all twice more
 * changes nothing.
 */
class StepRedeliveryIT extends ServiceIT {

    @Autowired
    FlowSteps steps;
    @Autowired
    TransactionTemplate transactions;

    @Test
    void runningEveryStepAgainIssuesNoSecondLicenseAndSendsNoSecondMail() {
        TestAccount customer = newCustomer();
        Pak pak = newPak(customer, new NewLine("FL-C1111-SEC-K9", 5));
        Response accepted = post("/api/v1/fulfillments", customer.token(),
                fulfillmentJson(pak.code().formatted(), "FL-C1111-SEC-K9", "PID:C1111-4P,SN:" + randomSerial(), customer.email(), false));
        String location = accepted.headers().firstValue("Location").orElseThrow();
        awaitMailSent(location, customer.token());
        String id = accepted.body().path("id").asText();
        String fileBefore = jdbc.queryForObject("select content from license_file where issue_id = ?", String.class, UUID.fromString(id));

        String instance = jdbc.queryForObject("select process_instance_id from fulfillment where id = ?", String.class, UUID.fromString(id));
        for (int i = 0; i < 2; i++) {
            transactions.executeWithoutResult(s -> {
                for (String topic : List.of(TOPIC_CHECK_UDI, TOPIC_REDEEM_PAK, TOPIC_SIGN_LICENSE, TOPIC_EMAIL_LICENSE)) {
                    steps.step(topic).orElseThrow().invoke(new StepContext(topic, "replay", instance, id, name -> null));
                }
            });
        }

        assertThat(jdbc.queryForObject("select consumed from pak_line where id = ?", Integer.class, pak.lines().get(0).id())).isEqualTo(1);
        assertThat(jdbc.queryForObject("select count(*) from license where issue_id = ?", Integer.class, UUID.fromString(id))).isEqualTo(1);
        assertThat(jdbc.queryForObject("select content from license_file where issue_id = ?", String.class, UUID.fromString(id)))
                .isEqualTo(fileBefore);
        assertThat(jdbc.queryForObject("select count(*) from mail_outbox where operation_id = ?", Integer.class, "license-mail:" + id))
                .isEqualTo(1);
        assertThat(get(location, customer.token()).body().path("mail").path("attempts").asInt()).isEqualTo(1);
    }
}
