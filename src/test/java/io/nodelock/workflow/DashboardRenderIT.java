package io.nodelock.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.nodelock.account.Role;
import io.nodelock.fulfillment.process.PakFulfillmentProcess;
import io.nodelock.pak.Pak;
import io.nodelock.pak.PakService.NewLine;
import io.nodelock.support.HeadlessChromium;
import io.nodelock.support.ServiceIT;
import io.nodelock.support.TasklistBrowser;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.operaton.bpm.engine.RuntimeService;
import org.operaton.bpm.engine.TaskService;
import org.operaton.bpm.engine.task.Task;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The Grafana dashboard (docs/grafana-dashboard.json) queries only metrics the service publishes, and each of its
 * panels has data after some work. Its picture in the README (docs/images/dashboard.png) is this test's rendering of
 * the dashboard's panels from one real scrape, in headless Chromium (there is no Grafana here); write it anew with
 * {@code ./mvnw verify -Dit.test=DashboardRenderIT -Dnodelock.dashboard.update=true}.
 */
class DashboardRenderIT extends ServiceIT {

    static final Path DASHBOARD = Path.of("docs", "grafana-dashboard.json");
    static final Path IMAGE = Path.of("docs", "images", "dashboard.png");

    @Autowired
    RuntimeService runtime;
    @Autowired
    TaskService tasks;

    @Test
    void everyPanelOfTheDashboardHasDataFromARealScrape() throws Exception {
        TestAccount customer = newCustomer();
        String operator = newAccount(EnumSet.of(Role.OPERATOR)).token();
        Pak pak = newPak(customer, new NewLine("FL-C1111-SEC-K9", 3));
        List<String> locations = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            // The fourth finds the PAK exhausted: a refusal.
            locations.add(post("/api/v1/fulfillments", customer.token(), fulfillmentJson(pak.code().formatted(), "FL-C1111-SEC-K9",
                    "PID:C1111-4P,SN:" + randomSerial(), customer.email(), false)).headers().firstValue("Location").orElseThrow());
        }
        for (String location : locations) {
            awaitOutcome(location, customer.token());
        }
        String orphan = runtime.startProcessInstanceByKey(PakFulfillmentProcess.PROCESS_KEY, Map.of(PakFulfillmentProcess.VAR_FULFILLMENT_ID,
                UUID.randomUUID().toString())).getId();
        Task overdue = tasks.newTask("dashboard-" + UUID.randomUUID());
        overdue.setName("OVERDUE Approve extension: dashboard");
        overdue.setDueDate(Date.from(Instant.now().minus(Duration.ofHours(1))));
        tasks.saveTask(overdue);
        tasks.addCandidateGroup(overdue.getId(), "tac-approvers");
        tasks.addCandidateGroup(overdue.getId(), "tac-leads");
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> runtime.createIncidentQuery().processInstanceId(orphan).count() == 1);
            await().atMost(Duration.ofSeconds(30)).until(() -> locations.stream().allMatch(l ->
                    !"PENDING".equals(get(l, customer.token()).body().path("mail").path("status").asText("PENDING"))));
            // The gauges are a snapshot refreshed every FlowMetrics.SNAPSHOT_AGE: scrape until it shows the incident and task.
            String[] scraped = new String[1];
            await().atMost(FlowMetrics.SNAPSHOT_AGE.plusSeconds(30)).until(() -> {
                scraped[0] = get("/actuator/prometheus", operator).raw();
                return atLeastOne(scraped[0], "nodelock_incidents_open", "flow=\"pak-fulfillment\"")
                        && atLeastOne(scraped[0], "nodelock_tasks_overdue", "group=\"tac-approvers\"");
            });
            String scrape = scraped[0];
            JsonNode dashboard = JSON.readTree(Files.readString(DASHBOARD));

            Pattern metric = Pattern.compile("(nodelock_[a-z_]+)");
            List<String> missing = new ArrayList<>();
            dashboard.path("panels").forEach(panel -> panel.path("targets").forEach(target -> {
                Matcher m = metric.matcher(target.path("expr").asText());
                while (m.find()) {
                    if (!scrape.contains("\n" + m.group(1) + "{") && !scrape.contains("\n" + m.group(1) + " ")) {
                        missing.add(panel.path("title").asText() + ": " + m.group(1));
                    }
                }
            }));
            assertThat(missing).as("metrics the dashboard queries but the service does not publish").isEmpty();

            String template = new String(getClass().getResourceAsStream("/dashboard/render.html").readAllBytes(), StandardCharsets.UTF_8);
            String data = "<script>const DASHBOARD = " + safe(JSON.writeValueAsString(dashboard)) + ";\nconst SCRAPE = "
                    + safe(JSON.writeValueAsString(scrape)) + ";\nconst STAMP = " + safe(JSON.writeValueAsString(Instant.now().toString()))
                    + ";</script>\n";
            Path page = Path.of("target", "dashboard", "index.html");
            Files.createDirectories(page.getParent());
            Files.writeString(page, template.replace("<script>\n// DASHBOARD", data + "<script>\n// DASHBOARD"));
            try (HeadlessChromium browser = new HeadlessChromium(1400, 1500, Duration.ofSeconds(20))) {
                browser.driver().get(page.toAbsolutePath().toUri().toString());
                browser.until("the rendered panels", d -> "true".equals(d.findElement(By.tagName("body")).getDomAttribute("data-rendered")));
                assertThat(browser.driver().findElements(By.cssSelector(".panel"))).hasSize(dashboard.path("panels").size());
                assertThat(browser.driver().findElements(By.cssSelector(".nodata"))).as("panels without data").isEmpty();
                Path shot = browser.screenshot(TasklistBrowser.SCREENSHOTS.resolve("dashboard.png"));
                if (Boolean.getBoolean("nodelock.dashboard.update")) {
                    Files.copy(shot, IMAGE, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } finally {
            runtime.deleteProcessInstance(orphan, "test cleanup");
            tasks.deleteTask(overdue.getId(), true);
        }
    }

    /** A JSON literal that cannot end the script element it is written into. */
    private static String safe(String json) {
        return json.replace("</", "<\\/");
    }

    /** Whether a series of the metric with that label has a value of at least 1 in the scrape. */
    private static boolean atLeastOne(String scrape, String metric, String label) {
        Matcher m = Pattern.compile("(?m)^" + metric + "\\{[^}]*" + Pattern.quote(label) + "[^}]*\\} ([0-9.eE+-]+)$").matcher(scrape);
        while (m.find()) {
            if (Double.parseDouble(m.group(1)) >= 1) {
                return true;
            }
        }
        return false;
    }

}
