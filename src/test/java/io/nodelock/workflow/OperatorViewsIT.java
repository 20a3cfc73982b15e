package io.nodelock.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.nodelock.account.EngineIdentity;
import io.nodelock.account.Role;
import io.nodelock.fulfillment.process.PakFulfillmentProcess;
import io.nodelock.pak.Pak;
import io.nodelock.pak.PakService.NewLine;
import io.nodelock.support.HeadlessChromium;
import io.nodelock.support.ServiceIT;
import io.nodelock.support.TasklistBrowser;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.operaton.bpm.engine.RepositoryService;
import org.operaton.bpm.engine.TaskService;
import org.operaton.bpm.engine.task.Task;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * What operators and TAC members see in the engine's webapps: Cockpit's "Finished instances" tab with each finished
 * instance's activities (Cockpit's community edition lists running instances only), and the TAC groups' Tasklist
 * filters (their group's tasks, overdue, escalated), each counting exactly the tasks it should.
 */
class OperatorViewsIT extends ServiceIT {

    @Autowired
    EngineIdentity engineIdentity;
    @Autowired
    TaskService tasks;
    @Autowired
    RepositoryService repository;

    @Test
    void theTacGroupsFiltersExistAndCountTheirTasks() {
        engineIdentity.ensureUser("it-filter-tac", "tac-pw", "IT", "TAC", Role.TAC.engineGroup());
        engineIdentity.ensureUser("it-filter-lead", "lead-pw", "IT", "Lead", Role.TAC_LEAD.engineGroup());
        Map<String, String> approverFilters = filters("it-filter-tac", "tac-pw");
        assertThat(approverFilters).containsKeys("TAC approvers: my group's tasks", "TAC approvers: overdue");
        Map<String, String> leadFilters = filters("it-filter-lead", "lead-pw");
        assertThat(leadFilters).containsKeys("TAC leads: my group's tasks", "TAC leads: overdue", "TAC leads: escalated");

        long groupBefore = count(leadFilters.get("TAC leads: my group's tasks"), "it-filter-lead", "lead-pw");
        long overdueBefore = count(leadFilters.get("TAC leads: overdue"), "it-filter-lead", "lead-pw");
        long escalatedBefore = count(leadFilters.get("TAC leads: escalated"), "it-filter-lead", "lead-pw");
        long approversOverdueBefore = count(approverFilters.get("TAC approvers: overdue"), "it-filter-tac", "tac-pw");
        // An approval escalated to the leads, as ExtensionApprovals leaves it: renamed OVERDUE, past due, offered to both groups.
        Task escalated = tasks.newTask("it-" + UUID.randomUUID());
        escalated.setName(TasklistFilters.ESCALATED_PREFIX + "Approve extension: it");
        escalated.setDueDate(Date.from(Instant.now().minus(Duration.ofHours(1))));
        tasks.saveTask(escalated);
        tasks.addCandidateGroup(escalated.getId(), Role.TAC.engineGroup());
        tasks.addCandidateGroup(escalated.getId(), Role.TAC_LEAD.engineGroup());
        // A second-approval task, not yet due.
        Task due = tasks.newTask("it-" + UUID.randomUUID());
        due.setName("Confirm extension (TAC lead): it");
        due.setDueDate(Date.from(Instant.now().plus(Duration.ofHours(8))));
        tasks.saveTask(due);
        tasks.addCandidateGroup(due.getId(), Role.TAC_LEAD.engineGroup());
        try {
            assertThat(count(leadFilters.get("TAC leads: my group's tasks"), "it-filter-lead", "lead-pw")).isEqualTo(groupBefore + 2);
            assertThat(count(leadFilters.get("TAC leads: overdue"), "it-filter-lead", "lead-pw")).isEqualTo(overdueBefore + 1);
            assertThat(count(leadFilters.get("TAC leads: escalated"), "it-filter-lead", "lead-pw")).isEqualTo(escalatedBefore + 1);
            assertThat(count(approverFilters.get("TAC approvers: overdue"), "it-filter-tac", "tac-pw")).isEqualTo(approversOverdueBefore + 1);
        } finally {
            tasks.deleteTask(escalated.getId(), true);
            tasks.deleteTask(due.getId(), true);
        }
    }

    @Test
    void operatorsSeeFinishedInstancesAndTheirHistoryInCockpit() {
        TestAccount customer = newCustomer();
        Pak pak = newPak(customer, new NewLine("FL-C1111-SEC-K9", 1));
        Response accepted = post("/api/v1/fulfillments", customer.token(), fulfillmentJson(pak.code().formatted(), "FL-C1111-SEC-K9",
                "PID:C1111-4P,SN:" + randomSerial(), customer.email(), false));
        String fulfillmentId = accepted.body().path("id").asText();
        awaitMailSent(accepted.headers().firstValue("Location").orElseThrow(), customer.token());
        engineIdentity.ensureUser("it-cockpit-operator", "operator-pw", "IT", "Operator", Role.OPERATOR.engineGroup());

        // The engine's history API answers the operator: what the tab shows.
        Response finished = engineGet("/engine-rest/history/process-instance?finished=true&processInstanceBusinessKey=" + fulfillmentId,
                "it-cockpit-operator", "operator-pw");
        assertThat(finished.status()).isEqualTo(200);
        assertThat(finished.body()).hasSize(1);
        assertThat(finished.body().get(0).path("state").asText()).isEqualTo("COMPLETED");

        String definitionId = repository.createProcessDefinitionQuery().processDefinitionKey(PakFulfillmentProcess.PROCESS_KEY)
                .latestVersion().singleResult().getId();
        try (HeadlessChromium browser = new HeadlessChromium(1400, 1000, Duration.ofSeconds(30))) {
            var driver = browser.driver();
            driver.get("http://localhost:" + port + "/operaton/app/cockpit/default/");
            browser.until("the sign-in form", d -> d.findElements(By.cssSelector("input[ng-model='username']")).stream()
                    .filter(WebElement::isDisplayed).findFirst().orElse(null)).sendKeys("it-cockpit-operator");
            driver.findElement(By.cssSelector("input[ng-model='password']")).sendKeys("operator-pw");
            driver.findElement(By.cssSelector("form button[type='submit']")).click();
            browser.until("the dashboard", d -> d.findElements(By.cssSelector("input[ng-model='username']")).isEmpty());
            driver.get("http://localhost:" + port + "/operaton/app/cockpit/default/#/process-definition/" + definitionId + "/runtime");
            WebElement tab = browser.until("the Finished instances tab", d -> d.findElements(By.xpath("//a[normalize-space()='Finished instances']"))
                    .stream().findFirst().orElse(null));
            tab.click();
            WebElement row = browser.until("the fulfillment's finished instance", d -> d.findElements(By.cssSelector("tr.nodelock-finished-instance"))
                    .stream().filter(r -> r.getText().contains(fulfillmentId)).findFirst().orElse(null));
            assertThat(row.getText()).contains("COMPLETED");
            row.click();
            WebElement history = browser.until("its history", d -> d.findElements(By.cssSelector("tr.nodelock-history table")).stream()
                    .filter(t -> t.getText().contains("Sign license")).findFirst().orElse(null));
            assertThat(history.getText()).contains("License issued");
            browser.screenshot(TasklistBrowser.SCREENSHOTS.resolve("cockpit-finished-instances.png"));
        }
    }

    private Map<String, String> filters(String user, String password) {
        Response list = engineGet("/engine-rest/filter?resourceType=Task", user, password);
        assertThat(list.status()).isEqualTo(200);
        Map<String, String> byName = new HashMap<>();
        list.body().forEach(f -> byName.put(f.path("name").asText(), f.path("id").asText()));
        return byName;
    }

    private long count(String filterId, String user, String password) {
        Response count = engineGet("/engine-rest/filter/" + filterId + "/count", user, password);
        assertThat(count.status()).as(count.raw()).isEqualTo(200);
        return count.body().path("count").asLong();
    }

    private Response engineGet(String path, String user, String password) {
        return send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Authorization", basicAuth(user, password)).header("Accept", "application/json").GET().build());
    }
}
