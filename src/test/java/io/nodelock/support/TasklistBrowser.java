package io.nodelock.support;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.openqa.selenium.By;
import org.openqa.selenium.ElementClickInterceptedException;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Operaton's Tasklist web page, driven in Debian's headless Chromium (through Debian's chromedriver; Selenium Manager
 * is never asked, nothing is downloaded) the way a staff member uses it: sign in, pick a filter, open a task by its
 * name, claim it, read the rendered Camunda Form (form-js) by its fields' labels, fill it in and complete it. Nothing
 * here knows a particular flow or form.
 *
 * <p>Register it as a JUnit extension ({@code @RegisterExtension final TasklistBrowser browser = new TasklistBrowser();})
 * and the browser starts at {@link #signIn}, is closed after each test, and leaves a screenshot and the page's HTML in
 * {@code target/tasklist-screenshots/} when a test fails (chromedriver's log is there too); a failing step of its own
 * names its screenshot in the message. Without the extension, close it yourself (try-with-resources). Every wait is
 * an explicit WebDriverWait.
 */
public final class TasklistBrowser implements AutoCloseable, AfterTestExecutionCallback, AfterEachCallback {

    /** Debian's Chromium (package {@code chromium}) and its driver (package {@code chromium-driver}). */
    public static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    public static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    public static final Path SCREENSHOTS = Path.of("target", "tasklist-screenshots");
    public static final String ALL_TASKS = "All tasks";

    // Selenium looks for a devtools (CDP) binding matching the browser's version and warns when the Debian build is
    // older than the ones it ships; nothing here uses CDP. A strong reference keeps the level set.
    private static final Logger CDP_FINDER = Logger.getLogger("org.openqa.selenium.devtools.CdpVersionFinder");

    static {
        CDP_FINDER.setLevel(Level.SEVERE);
    }

    private final Duration timeout;
    private ChromeDriver driver;
    private Path profile;
    private boolean failureCaptured;

    /** A browser that waits at most 30 s for any page state. */
    public TasklistBrowser() {
        this(Duration.ofSeconds(30));
    }

    public TasklistBrowser(Duration timeout) {
        this.timeout = timeout;
    }

    // ---- sign-in and lists ----

    /**
     * Starts Chromium, opens Tasklist under {@code baseUrl} (the service's root, e.g. {@code http://localhost:8080})
     * and signs in; fails with Tasklist's message if the sign-in is refused. One browser is one person's session:
     * use another TasklistBrowser for another user.
     */
    public TasklistBrowser signIn(String baseUrl, String userId, String password) {
        if (driver != null) {
            throw new IllegalStateException("This browser has signed in already; use another TasklistBrowser for " + userId);
        }
        start();
        return step("sign in as " + userId, () -> {
            String root = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
            driver.get(root + "/operaton/app/tasklist/default/");
            WebElement user = until("the sign-in form", ExpectedConditions.visibilityOfElementLocated(By.cssSelector("input[ng-model='username']")));
            user.sendKeys(userId);
            driver.findElement(By.cssSelector("input[ng-model='password']")).sendKeys(password);
            // A fresh page shows no notification yet; a refused sign-in shows its reason as an error notification.
            driver.findElement(By.cssSelector("form button[type='submit']")).click();
            until("the task filters, or a refusal", d -> errorCount() > 0
                    || d.findElements(By.cssSelector("input[ng-model='username']")).isEmpty() && filtersLoaded());
            if (!driver.findElements(By.cssSelector("input[ng-model='username']")).isEmpty()) {
                throw new AssertionError("Tasklist refused the sign-in of " + userId + ": " + lastError());
            }
            return this;
        });
    }

    /** Selects the "All tasks" filter (the one the service creates, {@code operaton.bpm.filter.create}). */
    public TasklistBrowser openTaskList() {
        return openTaskList(ALL_TASKS);
    }

    /** Selects the task filter of this name in the sidebar and waits for its list. */
    public TasklistBrowser openTaskList(String filterName) {
        return step("open the task list '" + filterName + "'", () -> {
            until("the task filters", d -> filtersLoaded());
            WebElement filter = filters().stream().filter(f -> filterName(f).equals(filterName)).findFirst()
                    .orElseThrow(() -> new AssertionError("No task filter named '" + filterName + "'; the filters shown: "
                            + filters().stream().map(TasklistBrowser::filterName).toList()));
            click(filter.findElement(By.cssSelector("h4.name a")));
            until("the list of filter '" + filterName + "'", d -> filter.getDomAttribute("class").contains("active") && taskListLoaded());
            return this;
        });
    }

    /** The names of the tasks in the list shown (its first page, newest first). */
    public List<String> taskNames() {
        return step("read the task list", () -> {
            until("the task list", d -> taskListLoaded());
            return taskLinks().stream().map(WebElement::getText).map(String::trim).toList();
        });
    }

    // ---- one task ----

    /** Opens the newest task in the list shown whose name contains {@code nameContains}. */
    public TasklistBrowser openTask(String nameContains) {
        return openTask(nameContains, null);
    }

    /**
     * Opens the newest task in the list shown whose name contains {@code nameContains} and whose rendered form shows
     * {@code formShows} (in a field's value or the form's text; {@code null} for any), e.g. the request's number.
     */
    public TasklistBrowser openTask(String nameContains, String formShows) {
        String what = "open the task '" + nameContains + "'" + (formShows == null ? "" : " whose form shows '" + formShows + "'");
        return step(what, () -> {
            until("the task list", d -> taskListLoaded());
            List<String> hrefs = taskLinks().stream().filter(a -> a.getText().contains(nameContains))
                    .map(a -> a.getDomAttribute("href")).toList();
            if (hrefs.isEmpty()) {
                throw new AssertionError("No task named like '" + nameContains + "' in the list; it shows "
                        + taskLinks().stream().map(a -> a.getText().trim()).toList());
            }
            for (String href : hrefs) {
                WebElement link = taskLinks().stream().filter(a -> href.equals(a.getDomAttribute("href"))).findFirst().orElseThrow();
                showTask(link, taskIdOf(href));
                if (formShows == null || formText().contains(formShows)) {
                    return this;
                }
            }
            throw new AssertionError(hrefs.size() + " tasks named like '" + nameContains + "', none of whose forms shows '" + formShows + "'");
        });
    }

    /** The id of the task shown, from the page's address. */
    public Optional<String> currentTaskId() {
        String url = driver.getCurrentUrl();
        int at = url.indexOf("task=");
        if (at < 0) {
            return Optional.empty();
        }
        String rest = url.substring(at + 5);
        int end = rest.indexOf('&');
        return Optional.of(end < 0 ? rest : rest.substring(0, end));
    }

    /**
     * Claims the task shown for the signed-in user (nothing to do if it is already theirs); fails with Tasklist's
     * error message if the claim is refused.
     */
    public TasklistBrowser claim() {
        return step("claim the task", () -> {
            if (!driver.findElements(By.cssSelector("[cam-tasklist-task-meta] button.unclaim")).isEmpty()) {
                return this;
            }
            String refusal = clickClaim();
            if (refusal != null) {
                throw new AssertionError("Tasklist could not claim the task: " + refusal);
            }
            return this;
        });
    }

    /** Clicks "Claim" expecting a refusal, and answers Tasklist's error message (fails if the claim succeeds). */
    public String claimExpectingError() {
        return step("claim the task, expecting a refusal", () -> {
            String refusal = clickClaim();
            if (refusal == null) {
                throw new AssertionError("The claim was expected to be refused, but succeeded");
            }
            return refusal;
        });
    }

    /** The task's assignee as the task card shows it (first and last name, else the id); empty when unclaimed. */
    public String assignee() {
        return step("read the assignee", () -> {
            List<WebElement> assigned = driver.findElements(By.cssSelector("[cam-tasklist-task-meta] li.assignee:not(.set-value)"));
            return assigned.isEmpty() ? "" : assigned.get(0).getText().trim();
        });
    }

    // ---- the rendered Camunda Form ----

    /** The labels of the rendered form's fields, in order. */
    public List<String> fieldLabels() {
        return step("read the form's labels", () -> {
            @SuppressWarnings("unchecked")
            List<String> labels = (List<String>) js(FIELD_JS + "return fields().map(f => labelOf(f)).filter(l => l);");
            return labels;
        });
    }

    /**
     * What the form field with this label shows: a text field's or text area's value, the label of the chosen radio
     * option (or the chosen checklist options' labels, joined by ", "), "true"/"false" for a checkbox.
     */
    public String fieldText(String label) {
        return step("read the field '" + label + "'", () -> {
            field(label);
            return (String) js(FIELD_JS + """
                    const f = fieldBy(arguments[0]);
                    const choices = Array.from(f.querySelectorAll('input[type=radio], input[type=checkbox]'));
                    if (choices.length > 0) {
                      if (f.classList.contains('fjs-form-field-checkbox')) return String(choices[0].checked);
                      return choices.filter(c => c.checked).map(c => optionLabel(f, c)).join(', ');
                    }
                    const input = f.querySelector('textarea, input, select');
                    if (input) return input.value;
                    return f.innerText.replace(labelOf(f), '').trim();""", label);
        });
    }

    /** The form's text and every field's value, one per line: what a reader of the form sees. */
    public String formText() {
        return step("read the form", () -> (String) js("""
                const form = document.querySelector('.fjs-form');
                if (!form) return '';
                const values = Array.from(form.querySelectorAll('input:not([type=radio]):not([type=checkbox]), textarea'))
                    .map(e => e.value);
                return [form.innerText, ...values].join('\\n');"""));
    }

    /** Chooses the option of a radio (or checklist) field by its label, or a unique start of it. */
    public TasklistBrowser choose(String label, String option) {
        return step("choose '" + option + "' in '" + label + "'", () -> {
            WebElement field = field(label);
            List<WebElement> inputs = field.findElements(By.cssSelector("input[type=radio], input[type=checkbox]"));
            List<WebElement> exact = new ArrayList<>();
            List<WebElement> starting = new ArrayList<>();
            List<String> options = new ArrayList<>();
            for (WebElement input : inputs) {
                String text = driver.findElement(By.cssSelector("label[for='" + input.getDomAttribute("id") + "']")).getText().trim();
                options.add(text);
                if (text.equals(option)) {
                    exact.add(input);
                } else if (text.startsWith(option)) {
                    starting.add(input);
                }
            }
            List<WebElement> matches = exact.isEmpty() ? starting : exact;
            if (matches.size() != 1) {
                throw new AssertionError("'" + label + "' has " + (matches.isEmpty() ? "no" : "more than one")
                        + " option '" + option + "'; its options: " + options);
            }
            WebElement input = matches.get(0);
            requireEditable(field);
            if (!input.isSelected()) {
                click(input);
            }
            until("'" + option + "' chosen", d -> input.isSelected());
            return this;
        });
    }

    /** Types into the text field or text area with this label, replacing what it held. */
    public TasklistBrowser type(String label, String text) {
        return step("type into '" + label + "'", () -> {
            WebElement field = field(label);
            requireEditable(field);
            WebElement input = field.findElement(By.cssSelector("textarea, input:not([type=radio]):not([type=checkbox])"));
            if (input.getDomAttribute("readonly") != null || !input.isEnabled()) {
                throw new AssertionError("'" + label + "' is read-only");
            }
            click(input);
            // Keys, not clear(): form-js keeps its data from input events, which clear() does not send.
            input.sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.BACK_SPACE);
            input.sendKeys(text);
            until("'" + label + "' holding the text typed", d -> text.equals(input.getDomProperty("value")));
            return this;
        });
    }

    /** Clicks "Complete" and waits until Tasklist closes the task; fails with Tasklist's error message otherwise. */
    public TasklistBrowser complete() {
        return step("complete the task", () -> {
            String refusal = clickComplete();
            if (refusal != null) {
                throw new AssertionError("Tasklist could not complete the task: " + refusal);
            }
            return this;
        });
    }

    /** Clicks "Complete" expecting a refusal, and answers Tasklist's error message (fails if the task completes). */
    public String completeExpectingError() {
        return step("complete the task, expecting a refusal", () -> {
            String refusal = clickComplete();
            if (refusal == null) {
                throw new AssertionError("Completing the task was expected to be refused, but it completed");
            }
            return refusal;
        });
    }

    // ---- evidence ----

    /** Saves a screenshot and the page's HTML as {@code target/tasklist-screenshots/<name>.png} and {@code .html}. */
    public Path screenshot(String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
            String safe = name.replaceAll("[^A-Za-z0-9._-]+", "-");
            Path png = SCREENSHOTS.resolve(safe + ".png").toAbsolutePath();
            Files.write(png, driver.getScreenshotAs(OutputType.BYTES));
            Files.writeString(SCREENSHOTS.resolve(safe + ".html"), driver.getPageSource());
            return png;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void afterTestExecution(ExtensionContext context) {
        if (context.getExecutionException().isPresent() && driver != null && !failureCaptured) {
            try {
                Path png = screenshot(context.getRequiredTestClass().getSimpleName() + "-" + context.getRequiredTestMethod().getName());
                System.err.println("Tasklist at the failure: " + png);
            } catch (RuntimeException e) {
                System.err.println("No screenshot of the failure: " + e);
            }
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        close();
    }

    /** Quits Chromium and deletes its profile. */
    @Override
    public void close() {
        if (driver != null) {
            try {
                driver.quit();
            } finally {
                driver = null;
                deleteProfile();
            }
        }
    }

    // ---- inside ----

    private void start() {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            throw new IllegalStateException("The Tasklist browser tests need Debian's Chromium and its driver, " + CHROMIUM
                    + " and " + CHROMEDRIVER + ": install the packages with 'apt-get install chromium chromium-driver'"
                    + " (.ci/run installs them when absent)");
        }
        failureCaptured = false;
        try {
            profile = Files.createTempDirectory("nodelock-chromium-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + profile, "--window-size=1400,1200");
        // An explicit driver executable and browser binary: Selenium Manager (which would download) is not consulted.
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .withLogFile(logFile())
                .build();
        try {
            driver = new ChromeDriver(service, options);
        } catch (RuntimeException e) {
            deleteProfile();
            throw e;
        }
    }

    /** chromedriver's own log, beside the screenshots: where to look when Chromium does not start. */
    private static File logFile() {
        try {
            Files.createDirectories(SCREENSHOTS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return SCREENSHOTS.resolve("chromedriver.log").toFile();
    }

    private void deleteProfile() {
        if (profile == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(profile)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // Chromium may still be writing while it exits; a temp dir left behind harms nothing.
        }
        profile = null;
    }

    /** Runs a step; on failure leaves a screenshot and names it in the error. */
    private <T> T step(String what, Supplier<T> action) {
        if (driver == null) {
            throw new IllegalStateException("Sign in first: the browser is not started (" + what + ")");
        }
        try {
            return action.get();
        } catch (RuntimeException | AssertionError e) {
            String shot;
            try {
                shot = screenshot("failed-" + System.currentTimeMillis() + "-" + what).toString();
                failureCaptured = true;
            } catch (RuntimeException screenshotFailed) {
                shot = "no screenshot: " + screenshotFailed;
            }
            throw new AssertionError("Tasklist: could not " + what + " (" + shot + "): " + e.getMessage(), e);
        }
    }

    /** Waits for a condition of the page; a timeout names the condition. */
    private <T> T until(String condition, Function<WebDriver, T> check) {
        return new WebDriverWait(driver, timeout, Duration.ofMillis(100))
                .ignoring(StaleElementReferenceException.class)
                .withMessage(() -> "waited for " + condition)
                .until(check);
    }

    private Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    /**
     * Scrolls an element to the middle of the window first: Tasklist's footer covers the bottom. Its notifications
     * cover the bottom too, until closed: a click they intercept is tried again once they are.
     */
    private void click(WebElement element) {
        js("arguments[0].scrollIntoView({block: 'center'});", element);
        try {
            until("a clickable " + element.getTagName(), ExpectedConditions.elementToBeClickable(element)).click();
        } catch (ElementClickInterceptedException covered) {
            dismissNotifications();
            js("arguments[0].scrollIntoView({block: 'center'});", element);
            element.click();
        }
    }

    /** Closes the notifications shown, as a person would before going on. */
    private void dismissNotifications() {
        for (WebElement close : driver.findElements(By.cssSelector(".page-notifications .alert button.close"))) {
            if (close.isDisplayed()) {
                close.click();
            }
        }
        until("the notifications closed", d -> d.findElements(By.cssSelector(".page-notifications .alert")).isEmpty());
    }

    private boolean filtersLoaded() {
        return !driver.findElements(By.cssSelector(".task-filter")).isEmpty()
                || !driver.findElements(By.xpath("//*[contains(@class,'well') and contains(normalize-space(.),'No filter available')]"))
                .stream().filter(WebElement::isDisplayed).toList().isEmpty();
    }

    private List<WebElement> filters() {
        return driver.findElements(By.cssSelector(".task-filter"));
    }

    private static String filterName(WebElement filter) {
        // The link's text is the name followed by the focused filter's counter.
        String text = filter.findElement(By.cssSelector("h4.name a")).getText().trim();
        List<WebElement> counter = filter.findElements(By.cssSelector("h4.name a .counter"));
        String count = counter.isEmpty() ? "" : counter.get(0).getText().trim();
        return !count.isEmpty() && text.endsWith(count) ? text.substring(0, text.length() - count.length()).trim() : text;
    }

    private boolean taskListLoaded() {
        List<WebElement> loader = driver.findElements(By.cssSelector("[cam-tasks] > .loader"));
        return !loader.isEmpty() && !loader.get(0).isDisplayed();
    }

    private List<WebElement> taskLinks() {
        return driver.findElements(By.cssSelector("ol.tasks-list li.task h4.task a"));
    }

    private static String taskIdOf(String href) {
        return href.substring(href.indexOf("task=") + 5);
    }

    private void showTask(WebElement link, String taskId) {
        if (currentTaskId().filter(taskId::equals).isPresent()) {
            awaitForm(taskId, null);
            return;
        }
        List<WebElement> shown = driver.findElements(By.cssSelector(".fjs-container"));
        click(link);
        awaitForm(taskId, shown.isEmpty() ? null : shown.get(0));
    }

    /** Waits until the task card shows this task and its Camunda Form is rendered (the previous one gone). */
    private void awaitForm(String taskId, WebElement previous) {
        until("task " + taskId + " shown", d -> currentTaskId().filter(taskId::equals).isPresent());
        if (previous != null) {
            until("the previous task's form gone", d -> {
                try {
                    previous.isDisplayed();
                    return false;
                } catch (StaleElementReferenceException gone) {
                    return true;
                }
            });
        }
        until("the task's Camunda Form rendered", d -> !d.findElements(By.cssSelector(".fjs-form .fjs-form-field")).isEmpty());
    }

    private String clickClaim() {
        dismissNotifications();
        int errors = errorCount();
        click(until("the Claim button", ExpectedConditions.presenceOfElementLocated(By.cssSelector("[cam-tasklist-task-meta] button.claim"))));
        until("the task claimed, or a refusal", d -> errorCount() > errors
                || !d.findElements(By.cssSelector("[cam-tasklist-task-meta] button.unclaim")).isEmpty());
        if (!driver.findElements(By.cssSelector("[cam-tasklist-task-meta] button.unclaim")).isEmpty()) {
            until("the task's Camunda Form rendered", d -> !d.findElements(By.cssSelector(".fjs-form .fjs-form-field")).isEmpty());
            return null;
        }
        return lastError();
    }

    private String clickComplete() {
        String taskId = currentTaskId().orElseThrow(() -> new AssertionError("No task is open"));
        dismissNotifications();
        int errors = errorCount();
        WebElement button = driver.findElement(By.xpath("//div[contains(@class,'form-actions')]/button[normalize-space(.)='Complete']"));
        click(button);
        until("the task closed, or a refusal", d -> errorCount() > errors || currentTaskId().filter(taskId::equals).isEmpty());
        return currentTaskId().filter(taskId::equals).isPresent() ? lastError() : null;
    }

    private int errorCount() {
        return driver.findElements(By.cssSelector(".page-notifications .alert-danger")).size();
    }

    /** The newest error notification's text ("status : message"). */
    private String lastError() {
        List<WebElement> alerts = driver.findElements(By.cssSelector(".page-notifications .alert-danger"));
        return alerts.isEmpty() ? "(no message shown)" : alerts.get(alerts.size() - 1).getText().replace("×", "").trim();
    }

    private WebElement field(String label) {
        until("a Camunda Form shown", d -> !d.findElements(By.cssSelector(".fjs-form .fjs-form-field")).isEmpty());
        WebElement field = (WebElement) js(FIELD_JS + "return fieldBy(arguments[0]);", label);
        if (field == null) {
            throw new AssertionError("The form has no field labelled '" + label + "'; its labels: " + fieldLabels());
        }
        return field;
    }

    /** Tasklist covers the form of a task that is not the signed-in user's own with a "disabled-form" layer. */
    private void requireEditable(WebElement field) {
        if (!field.findElements(By.xpath("ancestor::*[contains(concat(' ', normalize-space(@class), ' '), ' disabled-form ')]")).isEmpty()) {
            throw new AssertionError("Tasklist shows the form disabled: only the task's assignee may fill it in (claim it first)");
        }
    }

    /** form-js's markup: a field is a .fjs-form-field whose first label names it (its asterisk aside). */
    private static final String FIELD_JS = """
            const fields = () => Array.from(document.querySelectorAll('.fjs-form .fjs-form-field'));
            const own = l => Array.from(l.childNodes).filter(n => n.nodeType === 3).map(n => n.textContent).join('').trim();
            const labelOf = f => { const l = f.querySelector('label.fjs-form-field-label'); return l ? own(l) : null; };
            const fieldBy = name => fields().find(f => labelOf(f) === name) || null;
            const optionLabel = (f, input) => { const l = f.querySelector('label[for="' + input.id + '"]'); return l ? own(l) : ''; };
            """;

    @Override
    public String toString() {
        try {
            return "TasklistBrowser[" + (driver == null ? "not started" : driver.getCurrentUrl()) + "]";
        } catch (WebDriverException e) {
            return "TasklistBrowser[" + e.getMessage() + "]";
        }
    }
}
