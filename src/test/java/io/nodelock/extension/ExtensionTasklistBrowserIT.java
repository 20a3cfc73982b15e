package io.nodelock.extension;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.nodelock.account.Role;
import io.nodelock.support.TasklistBrowser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A TAC approver decides an extension in the real Tasklist page, in headless Chromium (Debian's chromium and
 * chromium-driver; this test fails, never skips, without them), and the customer's API shows the extension issued.
 */
class ExtensionTasklistBrowserIT extends ExtensionSupport {

    @RegisterExtension
    final TasklistBrowser browser = new TasklistBrowser();

    @Test
    void aTacApproverClaimsSeesTheDeviceHistoryApprovesAndTheCustomerSeesTheExtensionIssued() {
        TestAccount customer = newCustomer();
        Evaluation eval = evaluate(customer);
        String location = extend(customer, eval, 45);
        awaitStatus(location, customer, "AWAITING_TAC");
        engineIdentity.ensureUser("tl-browser-ext", "browser-pw", "Theo", "Approver", Role.TAC.engineGroup());

        browser.signIn(baseUrl(), "tl-browser-ext", "browser-pw")
                .openTaskList()
                .openTask(APPROVAL_TASK + ": securityk9 +45 days on " + eval.udi(), eval.udi())
                .claim();
        assertThat(browser.assignee()).isEqualTo("Theo Approver");
        assertThat(browser.fieldText("Account")).isEqualTo(customer.id());
        assertThat(browser.fieldText("Device")).isEqualTo(eval.udi());
        assertThat(browser.fieldText("Device history: licenses, evaluations and extensions"))
                .contains(eval.licenseId()).contains("securityk9 evaluation 60 days of use");

        browser.choose("Decision", "Approve")
                .type("Reason (sent to the customer; required to reject)", "Approved for the pilot")
                .complete();

        JsonNode issued = awaitStatus(location, customer, "ISSUED");
        assertThat(issued.path("daysGranted").asInt()).isEqualTo(45);
        assertThat(issued.path("decisions").get(0).path("decidedBy").asText()).isEqualTo("tl-browser-ext");
        assertThat(issued.path("licenseIds")).hasSize(1);
    }
}
