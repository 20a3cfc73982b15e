package io.nodelock.support;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The customer portal ({@code /portal/}) in Debian's headless Chromium through Debian's chromedriver (nothing is
 * downloaded; Selenium Manager is never asked), used the way a customer uses it: sign in, open a page, fill in a
 * rendered Camunda Form (form-js) by its fields' labels, submit it, wait for a request's status, download a file,
 * read a table, sign out. It knows the portal's pages, not a particular flow.
 *
 * <p>Register it as a JUnit extension ({@code @RegisterExtension final PortalBrowser browser = new
 * PortalBrowser(() -> "http://localhost:" + port);}): the browser starts at {@link #signIn}, is closed after each
 * test, and leaves a screenshot and the page's HTML in {@code target/portal-screenshots/} when a test fails. One
 * browser is one person's session: use another PortalBrowser for another user. The page is 1280x800, the size of
 * the screenshots in {@code docs/images/}. Downloads go to a fresh folder of this browser's ({@link #downloads()}).
 */
public final class PortalBrowser implements AutoCloseable, AfterTestExecutionCallback, AfterEachCallback {

    public static final Path SCREENSHOTS = Path.of("target", "portal-screenshots");

    private static final Logger CDP_FINDER = Logger.getLogger("org.openqa.selenium.devtools.CdpVersionFinder");

    static {
        CDP_FINDER.setLevel(Level.SEVERE);
    }

    private final Supplier<String> baseUrl;
    private final Duration timeout;
    private ChromeDriver driver;
    private Path profile;
    private Path downloads;
    private boolean failureCaptured;

    /** A browser for the service at {@code baseUrl} (asked when it starts: the port is known only then). */
    public PortalBrowser(Supplier<String> baseUrl) {
        this(baseUrl, Duration.ofSeconds(30));
    }

    public PortalBrowser(Supplier<String> baseUrl, Duration timeout) {
        this.baseUrl = baseUrl;
        this.timeout = timeout;
    }

    // ---- sign-in ----

    /** Starts Chromium, signs in on the portal's sign-in page and waits for the dashboard; fails with the page's message. */
    public PortalBrowser signIn(String email, String password) {
        if (driver == null) {
            start();
        }
        return step("sign in as " + email, () -> {
            driver.get(url("login"));
            WebElement user = until("the sign-in form", d -> d.findElements(By.name("username")).stream().filter(WebElement::isDisplayed).findFirst().orElse(null));
            user.clear();
            user.sendKeys(email);
            WebElement password1 = driver.findElement(By.name("password"));
            password1.clear();
            password1.sendKeys(password);
            password1.sendKeys(Keys.ENTER);
            until("the dashboard, or a refusal", d -> !d.getCurrentUrl().contains("/portal/login?") && !d.findElements(By.id("sign-out")).isEmpty()
                    || d.getCurrentUrl().contains("error"));
            if (driver.findElements(By.id("sign-out")).isEmpty()) {
                throw new AssertionError("The portal refused the sign-in of " + email + ": " + text());
            }
            return this;
        });
    }

    /** Clicks "Sign out" and waits for the sign-in page. */
    public PortalBrowser signOut() {
        return step("sign out", () -> {
            driver.findElement(By.id("sign-out")).click();
            until("the sign-in page", d -> d.getCurrentUrl().contains("/portal/login") && !d.findElements(By.name("username")).isEmpty());
            return this;
        });
    }

    // ---- pages ----

    /**
     * Opens a portal page by its address under {@code /portal/} (e.g. {@code "requests.html?kind=rma"}, or {@code ""}
     * for the dashboard) and waits until its script drew the header (the user is signed in) or the browser was sent
     * to the sign-in page.
     */
    public PortalBrowser open(String page) {
        return step("open " + page, () -> {
            driver.get(url(page));
            until("the page drawn", d -> !d.findElements(By.id("sign-out")).isEmpty() || d.getCurrentUrl().contains("/portal/login"));
            return this;
        });
    }

    /** The page's address. */
    public String currentUrl() {
        return driver.getCurrentUrl();
    }

    /** The text of the page's main part, as a reader sees it. */
    public String text() {
        List<WebElement> main = driver.findElements(By.tagName("main"));
        return main.isEmpty() ? driver.findElement(By.tagName("body")).getText() : main.get(0).getText();
    }

    /** Waits until the page's main part shows this text (lists and statuses load after the page). */
    public PortalBrowser awaitText(String expected) {
        return step("wait for '" + expected + "'", () -> {
            until("the text '" + expected + "'", d -> text().contains(expected));
            return this;
        });
    }

    /** The messages (role alert) the page shows: refusals, errors. */
    public List<String> alerts() {
        return driver.findElements(By.cssSelector("main [role=alert]")).stream().map(WebElement::getText).map(String::trim)
                .filter(s -> !s.isEmpty()).toList();
    }

    /** Waits until the page shows an alert (an error the API answered), and answers its text. */
    public String awaitAlert() {
        return step("wait for an alert", () -> until("an alert", d -> alerts().isEmpty() ? null : String.join("\n", alerts())));
    }

    /**
     * The rows of a table (by id) once loaded, each as its cells' texts; empty when the table shows its "none" row.
     * Waits for the table's first answer (a row, or the "none" row).
     */
    public List<List<String>> rows(String tableId) {
        return step("read the table " + tableId, () -> {
            until("the table " + tableId + " loaded", d -> !d.findElements(By.cssSelector("#" + tableId + " tbody tr")).isEmpty());
            return driver.findElements(By.cssSelector("#" + tableId + " tbody tr")).stream()
                    .filter(r -> !"empty".equals(r.getDomAttribute("class")) && r.isDisplayed())
                    .map(r -> r.findElements(By.cssSelector("th, td")).stream().map(WebElement::getText).map(String::trim).toList())
                    .toList();
        });
    }

    /** Types into an input of the page (not of a form-js form) by its id, replacing what it held. */
    public PortalBrowser typeInto(String inputId, String text) {
        return step("type into #" + inputId, () -> {
            WebElement input = driver.findElement(By.id(inputId));
            input.clear();
            input.sendKeys(text);
            return this;
        });
    }

    /** The value an input of the page (not of a form-js form) holds, by its id. */
    public String inputValue(String inputId) {
        return step("read #" + inputId, () -> driver.findElement(By.id(inputId)).getDomProperty("value"));
    }

    /** Chooses a file for a file input of the page, by the input's id (as a person picking it in the file dialog). */
    public PortalBrowser attach(String inputId, Path file) {
        return step("attach " + file.getFileName() + " to #" + inputId, () -> {
            driver.findElement(By.id(inputId)).sendKeys(file.toAbsolutePath().toString());
            return this;
        });
    }

    /**
     * An attribute of the first element the CSS selector finds, as the page has it now (null when there is no such
     * element or attribute); it does not wait, so a test can sample a value that changes, such as a progress bar's.
     */
    public String attribute(String cssSelector, String name) {
        List<WebElement> found = driver.findElements(By.cssSelector(cssSelector));
        try {
            return found.isEmpty() ? null : found.get(0).getDomAttribute(name);
        } catch (StaleElementReferenceException e) {
            return null;
        }
    }

    /** The entries of the portal's navigation, as shown to the signed-in person. */
    public List<String> navigation() {
        return step("read the navigation", () -> driver.findElements(By.cssSelector("header nav a")).stream()
                .map(WebElement::getText).map(String::trim).toList());
    }

    /** How many form-js fields the page shows (0 when no form is rendered). */
    public int fieldLabelsShown() {
        return driver.findElements(By.cssSelector(".fjs-form .fjs-form-field")).size();
    }

    /** Answers "OK" to the page's confirmation questions (such as "Revoke the token?") from now on. */
    public PortalBrowser acceptConfirmations() {
        js("window.confirm = () => true;");
        return this;
    }

    /** Waits until the page's main part no longer shows this text. */
    public PortalBrowser awaitGone(String gone) {
        return step("wait until '" + gone + "' is gone", () -> {
            until("the text '" + gone + "' gone", d -> !text().contains(gone));
            return this;
        });
    }

    /** Clicks a button or link by its id, its visible text or its accessible name (aria-label). */
    public PortalBrowser click(String idOrText) {
        return step("click '" + idOrText + "'", () -> {
            WebElement target = find(idOrText);
            js("arguments[0].scrollIntoView({block: 'center'});", target);
            target.click();
            return this;
        });
    }

    // ---- the rendered Camunda Form ----

    /** Opens the form with this id ({@code form.html?form=...}) with values in its address, and waits until it is drawn. */
    public PortalBrowser openForm(String formId, Map<String, String> prefill) {
        StringBuilder page = new StringBuilder("form.html?form=").append(formId);
        prefill.forEach((key, value) -> page.append('&').append(key).append('=')
                .append(java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8)));
        open(page.toString());
        return step("wait for the form " + formId, () -> {
            until("the form rendered", d -> !d.findElements(By.cssSelector(".fjs-form .fjs-form-field")).isEmpty());
            return this;
        });
    }

    /** The labels of the rendered form's fields, in order (without the mark of a required field). */
    public List<String> fieldLabels() {
        @SuppressWarnings("unchecked")
        List<String> labels = (List<String>) js(FIELD_JS + "return fields().map(f => labelOf(f)).filter(l => l);");
        return labels;
    }

    /** Types into the form's text field, number field or text area with this label, replacing what it held. */
    public PortalBrowser type(String label, String text) {
        return step("type into '" + label + "'", () -> {
            WebElement input = field(label).findElement(By.cssSelector("textarea, input:not([type=radio]):not([type=checkbox])"));
            js("arguments[0].scrollIntoView({block: 'center'});", input);
            input.click();
            // Keys, not clear(): form-js keeps its data from input events, which clear() does not send.
            input.sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.BACK_SPACE);
            input.sendKeys(text);
            until("'" + label + "' holding the text typed", d -> text.equals(input.getDomProperty("value")));
            return this;
        });
    }

    /** Ticks (or unticks) the form's checkbox with this label. */
    public PortalBrowser tick(String label, boolean ticked) {
        return step("tick '" + label + "'", () -> {
            // The form draws its fields anew on every change: find the box again each time, click until it shows.
            until("'" + label + "' " + (ticked ? "ticked" : "not ticked"), d -> {
                WebElement box = field(label).findElement(By.cssSelector("input[type=checkbox]"));
                if (box.isSelected() == ticked) {
                    return true;
                }
                js("arguments[0].scrollIntoView({block: 'center'});", box);
                box.click();
                return false;
            });
            return this;
        });
    }

    /** What the field with this label holds. */
    public String fieldValue(String label) {
        return step("read '" + label + "'", () -> field(label).findElement(By.cssSelector("textarea, input")).getDomProperty("value"));
    }

    /** The error messages form-js shows under the field with this label (empty when none). */
    public String fieldError(String label) {
        return step("read the error of '" + label + "'", () -> field(label).findElements(By.cssSelector(".fjs-form-field-error"))
                .stream().map(WebElement::getText).map(String::trim).filter(s -> !s.isEmpty()).reduce((a, b) -> a + "\n" + b).orElse(""));
    }

    /**
     * Clicks "Submit" and waits until the API accepted the request (the page moves on to the request) or the form
     * shows why not. Answers whether it was accepted.
     */
    public boolean submitForm() {
        return step("submit the form", () -> {
            String before = driver.getCurrentUrl();
            driver.findElement(By.id("submit-form")).click();
            until("the request page, or the form's errors", d -> !d.getCurrentUrl().equals(before)
                    || !d.findElements(By.cssSelector(".form-errors [role=alert]")).isEmpty()
                    || !d.findElements(By.cssSelector(".fjs-form-field-error")).stream().filter(e -> !e.getText().isBlank()).toList().isEmpty());
            if (driver.getCurrentUrl().equals(before)) {
                return false;
            }
            until("the request shown", d -> !d.findElements(By.cssSelector("#title [data-status]")).isEmpty());
            return true;
        });
    }

    /** Submits and fails unless the API accepted the request. */
    public PortalBrowser submitAccepted() {
        if (!submitForm()) {
            throw new AssertionError("The form was not accepted: " + alerts() + " " + fieldErrors());
        }
        return this;
    }

    /** Every field error the form shows, by the field's label. */
    public Map<String, String> fieldErrors() {
        Map<String, String> errors = new HashMap<>();
        for (String label : fieldLabels()) {
            String error = fieldError(label);
            if (!error.isEmpty()) {
                errors.put(label, error);
            }
        }
        return errors;
    }

    // ---- a request ----

    /** On a request's page: waits (it updates by itself) until the request shows this status. */
    public PortalBrowser awaitStatus(String status) {
        return step("wait for the status " + status, () -> {
            until("the status " + status + " (shown: " + shownStatus() + ")", d -> status.equals(shownStatus()));
            return this;
        });
    }

    /** The status the request page shows. */
    public String shownStatus() {
        List<WebElement> badge = driver.findElements(By.cssSelector("#title [data-status]"));
        return badge.isEmpty() ? null : badge.get(0).getDomAttribute("data-status");
    }

    /** What a request's or device's page says under this label (its facts list), once shown. */
    public String fact(String label) {
        return step("read '" + label + "'", () -> until("'" + label + "' shown", d -> d.findElements(By.cssSelector("dl.facts dt")).stream()
                .filter(dt -> dt.getText().trim().equals(label)).findFirst()
                .map(dt -> dt.findElement(By.xpath("following-sibling::dd[1]")).getText().trim()).orElse(null)));
    }

    /** The request's id, from the page's address. */
    public String requestId() {
        String url = driver.getCurrentUrl();
        int at = url.indexOf("id=");
        return at < 0 ? null : url.substring(at + 3).replaceAll("&.*", "");
    }

    /** Clicks a download link (by id or text) and waits for the file, which it answers. */
    public Path download(String idOrText) {
        return step("download '" + idOrText + "'", () -> {
            List<Path> before = files(downloads);
            find(idOrText).click();
            // Chromium writes into a hidden temp file, then a .crdownload, then renames it: done when only the file is left.
            return until("the download finished", d -> {
                List<Path> now = files(downloads).stream().filter(p -> !before.contains(p)).toList();
                boolean writing = now.stream().map(p -> p.getFileName().toString())
                        .anyMatch(n -> n.startsWith(".") || n.endsWith(".crdownload"));
                return writing ? null : now.stream().findFirst().orElse(null);
            });
        });
    }

    /** The folder downloads go to. */
    public Path downloads() {
        return downloads;
    }

    // ---- evidence ----

    /** Saves a screenshot (the 1280x800 window) and the page's HTML as {@code target/portal-screenshots/<name>.png} and {@code .html}. */
    public Path screenshot(String name) {
        String safe = name.replaceAll("[^A-Za-z0-9._-]+", "-");
        Path png = screenshotTo(SCREENSHOTS.resolve(safe + ".png"));
        try {
            Files.writeString(SCREENSHOTS.resolve(safe + ".html"), driver.getPageSource());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return png;
    }

    /** Saves a screenshot of the window to this file. */
    public Path screenshotTo(Path png) {
        try {
            Files.createDirectories(png.toAbsolutePath().getParent());
            Files.write(png, driver.getScreenshotAs(OutputType.BYTES));
            return png.toAbsolutePath();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void afterTestExecution(ExtensionContext context) {
        if (context.getExecutionException().isPresent() && driver != null && !failureCaptured) {
            try {
                System.err.println("The portal at the failure: "
                        + screenshot(context.getRequiredTestClass().getSimpleName() + "-" + context.getRequiredTestMethod().getName()));
            } catch (RuntimeException e) {
                System.err.println("No screenshot of the failure: " + e);
            }
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        close();
    }

    /** Quits Chromium and deletes its profile and downloads. */
    @Override
    public void close() {
        if (driver != null) {
            try {
                driver.quit();
            } finally {
                driver = null;
                delete(profile);
                delete(downloads);
                profile = null;
                downloads = null;
            }
        }
    }

    // ---- inside ----

    private String url(String page) {
        String root = baseUrl.get();
        return (root.endsWith("/") ? root.substring(0, root.length() - 1) : root) + "/portal/" + page;
    }

    private void start() {
        if (!Files.isExecutable(TasklistBrowser.CHROMIUM) || !Files.isExecutable(TasklistBrowser.CHROMEDRIVER)) {
            throw new IllegalStateException("The portal browser tests need Debian's Chromium and its driver, " + TasklistBrowser.CHROMIUM
                    + " and " + TasklistBrowser.CHROMEDRIVER + ": install the packages with 'apt-get install chromium chromium-driver'"
                    + " (.ci/run installs them when absent)");
        }
        failureCaptured = false;
        try {
            profile = Files.createTempDirectory("nodelock-portal-chromium-");
            downloads = Files.createTempDirectory("nodelock-portal-downloads-");
            Files.createDirectories(SCREENSHOTS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(TasklistBrowser.CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--hide-scrollbars",
                "--user-data-dir=" + profile, "--window-size=1280,800", "--lang=en-US");
        Map<String, Object> prefs = new HashMap<>();
        prefs.put("download.default_directory", downloads.toAbsolutePath().toString());
        prefs.put("download.prompt_for_download", false);
        prefs.put("intl.accept_languages", "en-US");
        options.setExperimentalOption("prefs", prefs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(TasklistBrowser.CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .withLogFile(SCREENSHOTS.resolve("chromedriver.log").toFile())
                .build();
        try {
            driver = new ChromeDriver(service, options);
            // The window holds more than the page: make the page itself 1280x800, the size of the screenshots.
            long chrome = (Long) js("return window.outerHeight - window.innerHeight;");
            driver.manage().window().setSize(new Dimension(1280, 800 + (int) chrome));
        } catch (RuntimeException e) {
            if (driver != null) {
                driver.quit();
                driver = null;
            }
            delete(profile);
            delete(downloads);
            throw e;
        }
    }

    private static List<Path> files(Path folder) {
        try (Stream<Path> files = Files.list(folder)) {
            return files.toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void delete(Path folder) {
        if (folder == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(folder)) {
            files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        } catch (IOException e) {
            // Chromium may still be writing while it exits; a temp dir left behind harms nothing.
        }
    }

    private WebElement find(String idOrText) {
        return until("'" + idOrText + "' on the page", d -> {
            List<WebElement> byId = d.findElements(By.id(idOrText));
            if (!byId.isEmpty()) {
                return byId.get(0);
            }
            return d.findElements(By.cssSelector("main a, main button, header button")).stream()
                    .filter(e -> e.isDisplayed() && (e.getText().trim().equals(idOrText) || idOrText.equals(e.getDomAttribute("aria-label"))))
                    .findFirst().orElse(null);
        });
    }

    private WebElement field(String label) {
        until("a form shown", d -> !d.findElements(By.cssSelector(".fjs-form .fjs-form-field")).isEmpty());
        WebElement field = (WebElement) js(FIELD_JS + "return fieldBy(arguments[0]);", label);
        if (field == null) {
            throw new AssertionError("The form has no field labelled '" + label + "'; its labels: " + fieldLabels());
        }
        return field;
    }

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
            throw new AssertionError("Portal: could not " + what + " (" + shot + "): " + e.getMessage(), e);
        }
    }

    private <T> T until(String condition, Function<WebDriver, T> check) {
        return new WebDriverWait(driver, timeout, Duration.ofMillis(100))
                .ignoring(StaleElementReferenceException.class)
                .withMessage(() -> "waited for " + condition)
                .until(check);
    }

    private Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    /** form-js fields by label: a label's own text, without the required mark form-js adds in a child element. */
    private static final String FIELD_JS = """
            const fields = () => Array.from(document.querySelectorAll('.fjs-form .fjs-form-field'));
            const own = l => Array.from(l.childNodes).filter(n => n.nodeType === 3).map(n => n.textContent).join('').trim();
            const labelOf = f => { const l = f.querySelector('label.fjs-form-field-label'); return l ? own(l) : null; };
            const fieldBy = name => fields().find(f => labelOf(f) === name) || null;
            """;

    @Override
    public String toString() {
        return "PortalBrowser[" + (driver == null ? "not started" : driver.getCurrentUrl()) + "]";
    }
}
