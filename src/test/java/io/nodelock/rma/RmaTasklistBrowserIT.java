package io.nodelock.rma;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.nodelock.account.Role;
import io.nodelock.support.TasklistBrowser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A TAC approver decides an RMA review in the real Tasklist page, in headless Chromium (Debian's chromium and
 * chromium-driver; this test fails, never skips, without them), and the customer's API shows the outcome.
 */
class RmaTasklistBrowserIT extends RmaReviewSupport {

    @RegisterExtension
    final TasklistBrowser browser = new TasklistBrowser();

    @Test
    void aTacApproverApprovesTheReviewInTasklistAndTheCustomerSeesItIssued() {
        RmaInReview rma = rmaInReview();
        staffUser("tl-browser-tac", "browser-pw", "Tina", "Browser", Role.TAC);

        browser.signIn(baseUrl(), "tl-browser-tac", "browser-pw")
                .openTaskList()
                .openTask(REVIEW_TASK, rma.number())
                .claim();
        assertThat(browser.assignee()).isEqualTo("Tina Browser");
        assertThat(browser.fieldText("RMA number")).isEqualTo(rma.number());
        assertThat(browser.fieldText("Failed device")).isEqualTo(rma.failedUdi());
        assertThat(browser.fieldText("Device history"))
                .contains(rma.failedUdi()).contains("LOCKED: RMA " + rma.number()).contains("Replacement in RMA");

        // The reason goes to the customer: the form will not complete without one.
        browser.choose("Decision", "Approve");
        assertThat(browser.completeExpectingError()).contains("submitting the task form");
        assertThat(customerView(rma).path("status").asText()).isEqualTo("IN_REVIEW");

        browser.type("Reason (sent to the customer)", "Field failure confirmed by TAC case 5150").complete();

        JsonNode issued = awaitStatus(rma, "ISSUED");
        assertThat(issued.path("reviewedBy").asText()).isEqualTo("tl-browser-tac");
        assertThat(issued.path("reviewComment").asText()).isEqualTo("Field failure confirmed by TAC case 5150");
    }
}
