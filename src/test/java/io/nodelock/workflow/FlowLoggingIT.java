package io.nodelock.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.nodelock.fulfillment.process.PakFulfillmentProcess;
import io.nodelock.support.ServiceIT;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.operaton.bpm.engine.RuntimeService;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * Every line written for a flow's step carries the request's id and the process instance id, including the engine's
 * own lines about a failing job (logged after the step returned, while the job executor still runs the job).
 */
@ExtendWith(OutputCaptureExtension.class)
class FlowLoggingIT extends ServiceIT {

    @Autowired
    RuntimeService runtime;

    @Test
    void theEnginesLinesAboutAFailingStepCarryTheBusinessIdAndProcessInstanceId(CapturedOutput output) {
        String businessId = UUID.randomUUID().toString();
        // No fulfillment row backs this instance: its first step fails technically on every attempt.
        String instance = runtime.startProcessInstanceByKey(PakFulfillmentProcess.PROCESS_KEY, businessId,
                Map.of(PakFulfillmentProcess.VAR_FULFILLMENT_ID, businessId)).getId();
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> output.getOut().lines()
                    .anyMatch(line -> line.contains("not started by Nodelock's intake") && line.contains(instance)));
            String line = output.getOut().lines().filter(l -> l.contains("not started by Nodelock's intake") && l.contains("ENGINE-"))
                    .findFirst().orElseThrow();
            assertThat(line).contains("[" + businessId + " " + instance + "]");
            // Lines outside a flow keep no empty brackets.
            assertThat(output.getOut().lines().filter(l -> l.contains("[ ]"))).isEmpty();
        } finally {
            runtime.deleteProcessInstance(instance, "test cleanup");
        }
    }
}
