package io.nodelock.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.nodelock.account.Role;
import io.nodelock.fulfillment.process.PakFulfillmentProcess;
import io.nodelock.pak.Pak;
import io.nodelock.pak.PakService.NewLine;
import io.nodelock.support.ServiceIT;
import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.operaton.bpm.engine.RuntimeService;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * What Prometheus scrapes after a fulfillment, by the names docs/operations.md documents and the Grafana dashboard
 * (docs/grafana-dashboard.json) queries: step timers with histogram buckets, flow starts, ends and refusals by code,
 * the mail queue, open incidents, user tasks by group. Only an operator's token may scrape.
 */
class PrometheusScrapeIT extends ServiceIT {

    private static final String FLOW = PakFulfillmentProcess.PROCESS_KEY;

    @Autowired
    RuntimeService runtime;

    @Test
    void aScrapeAfterAFulfillmentShowsTheDocumentedCountersAndTimers() {
        TestAccount customer = newCustomer();
        String operator = newAccount(EnumSet.of(Role.OPERATOR)).token();
        assertThat(get("/actuator/prometheus", null).status()).isEqualTo(401);
        assertThat(get("/actuator/prometheus", customer.token()).status()).isEqualTo(403);

        Pak pak = newPak(customer, new NewLine("FL-C1111-SEC-K9", 1));
        Response issued = post("/api/v1/fulfillments", customer.token(), fulfillmentJson(pak.code().formatted(), "FL-C1111-SEC-K9",
                "PID:C1111-4P,SN:" + randomSerial(), customer.email(), false));
        awaitMailSent(issued.headers().firstValue("Location").orElseThrow(), customer.token());
        // The PAK has no unit left: the second request is refused by the redeem step with PAK_EXHAUSTED.
        Response refused = post("/api/v1/fulfillments", customer.token(), fulfillmentJson(pak.code().formatted(), "FL-C1111-SEC-K9",
                "PID:C1111-4P,SN:" + randomSerial(), customer.email(), false));
        assertThat(awaitOutcome(refused.headers().firstValue("Location").orElseThrow(), customer.token()).path("rejection")
                .path("code").asText()).isEqualTo("PAK_EXHAUSTED");
        // An instance no intake started fails its first step until it is an incident.
        String orphan = runtime.startProcessInstanceByKey(FLOW, Map.of(PakFulfillmentProcess.VAR_FULFILLMENT_ID,
                UUID.randomUUID().toString())).getId();
        await().atMost(Duration.ofSeconds(30)).until(() -> runtime.createIncidentQuery().processInstanceId(orphan).count() == 1);

        try {
            await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
                Response scrape = get("/actuator/prometheus", operator);
                assertThat(scrape.status()).isEqualTo(200);
                assertThat(scrape.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
                String text = scrape.raw();

                for (String topic : new String[] {"check-udi", "redeem-pak", "sign-license", "email-license"}) {
                    assertThat(value(text, "nodelock_step_seconds_count", "flow", FLOW, "topic", topic, "outcome", "ok"))
                            .as("runs of %s", topic).isGreaterThanOrEqualTo(1);
                    assertThat(value(text, "nodelock_step_seconds_bucket", "flow", FLOW, "topic", topic, "outcome", "ok", "le", "+Inf"))
                            .isGreaterThanOrEqualTo(1);
                    assertThat(value(text, "nodelock_step_seconds_sum", "flow", FLOW, "topic", topic, "outcome", "ok")).isPositive();
                }
                assertThat(value(text, "nodelock_step_seconds_bucket", "flow", FLOW, "topic", "sign-license", "outcome", "ok", "le", "0.005"))
                        .isNotNull();
                assertThat(value(text, "nodelock_step_seconds_count", "flow", FLOW, "topic", "redeem-pak", "outcome", "refused"))
                        .isGreaterThanOrEqualTo(1);
                assertThat(value(text, "nodelock_step_seconds_count", "flow", FLOW, "topic", "check-udi", "outcome", "error"))
                        .isGreaterThanOrEqualTo(3);
                assertThat(value(text, "nodelock_step_failures_total", "topic", "check-udi")).isGreaterThanOrEqualTo(3);
                assertThat(value(text, "nodelock_flow_refusals_total", "flow", FLOW, "code", "PAK_EXHAUSTED")).isGreaterThanOrEqualTo(1);
                assertThat(value(text, "nodelock_flow_started_total", "flow", FLOW)).isGreaterThanOrEqualTo(3);
                assertThat(value(text, "nodelock_flow_ended_total", "flow", FLOW, "end", "EndEvent_LicenseIssued", "code", "none"))
                        .isGreaterThanOrEqualTo(1);
                assertThat(value(text, "nodelock_flow_ended_total", "flow", FLOW, "end", "EndEvent_FulfillmentRejected", "code", "PAK_EXHAUSTED"))
                        .isGreaterThanOrEqualTo(1);
                assertThat(value(text, "nodelock_flow_duration_seconds_count", "flow", FLOW, "end", "EndEvent_LicenseIssued"))
                        .isGreaterThanOrEqualTo(1);
                assertThat(value(text, "nodelock_fulfillments_total", "outcome", "rejected", "code", "PAK_EXHAUSTED")).isGreaterThanOrEqualTo(1);

                assertThat(value(text, "nodelock_incidents_open", "flow", FLOW)).isGreaterThanOrEqualTo(1);
                assertThat(value(text, "nodelock_tasks_open", "group", "tac-approvers")).isNotNull();
                assertThat(value(text, "nodelock_tasks_overdue", "group", "tac-leads")).isNotNull();

                assertThat(value(text, "nodelock_mail_total", "result", "sent")).isGreaterThanOrEqualTo(1);
                assertThat(value(text, "nodelock_mail_queue_depth")).isNotNull();
                assertThat(value(text, "nodelock_mail_queue_oldest_age_seconds")).isNotNull();
                assertThat(value(text, "nodelock_mail_failed_parked")).isNotNull();
                assertThat(value(text, "hikaricp_connections_active", "pool", "HikariPool-1")).isNotNull();
            });
        } finally {
            runtime.deleteProcessInstance(orphan, "test cleanup");
        }
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofSeconds(1)).until(() ->
                value(get("/actuator/prometheus", operator).raw(), "nodelock_flow_ended_total", "flow", FLOW, "end", "cancelled",
                        "code", "none") != null);
    }

    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})? (\\S+)$", Pattern.MULTILINE);
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    /** The value of the sample with this name whose labels include these (name, value) pairs; null if there is none. */
    static Double value(String scrape, String name, String... labels) {
        Map<String, String> wanted = new LinkedHashMap<>();
        for (int i = 0; i + 1 < labels.length; i += 2) {
            wanted.put(labels[i], labels[i + 1]);
        }
        Matcher sample = SAMPLE.matcher(scrape);
        while (sample.find()) {
            if (!sample.group(1).equals(name)) {
                continue;
            }
            Map<String, String> found = new LinkedHashMap<>();
            Matcher label = LABEL.matcher(sample.group(2) == null ? "" : sample.group(2));
            while (label.find()) {
                found.put(label.group(1), label.group(2));
            }
            if (found.entrySet().containsAll(wanted.entrySet())) {
                return Double.parseDouble(sample.group(3));
            }
        }
        return null;
    }
}
