package io.nodelock.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.function.Function;
import java.util.stream.Stream;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's headless Chromium through Debian's chromedriver (nothing downloaded), for tests of pages other than
 * Tasklist (Cockpit, Swagger UI) and for rendering the docs' screenshots; {@link TasklistBrowser} is the Tasklist one.
 * Close it (try-with-resources); {@link #screenshot} keeps what the page showed.
 */
public final class HeadlessChromium implements AutoCloseable {

    private final ChromeDriver driver;
    private final Path profile;
    private final Duration timeout;

    public HeadlessChromium(int width, int height, Duration timeout) {
        if (!Files.isExecutable(TasklistBrowser.CHROMIUM) || !Files.isExecutable(TasklistBrowser.CHROMEDRIVER)) {
            throw new IllegalStateException("The browser tests need Debian's Chromium and its driver, " + TasklistBrowser.CHROMIUM
                    + " and " + TasklistBrowser.CHROMEDRIVER + ": 'apt-get install chromium chromium-driver' (.ci/run installs them)");
        }
        this.timeout = timeout;
        try {
            profile = Files.createTempDirectory("nodelock-chromium-");
            Files.createDirectories(TasklistBrowser.SCREENSHOTS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(TasklistBrowser.CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + profile, "--window-size=" + width + "," + height, "--hide-scrollbars");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(TasklistBrowser.CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .withLogFile(TasklistBrowser.SCREENSHOTS.resolve("chromedriver-headless.log").toFile())
                .build();
        driver = new ChromeDriver(service, options);
    }

    public ChromeDriver driver() {
        return driver;
    }

    /** Waits (at most the timeout) until the condition holds and returns its value. */
    public <T> T until(String what, Function<WebDriver, T> condition) {
        return new WebDriverWait(driver, timeout).withMessage(() -> "waiting for " + what + " on " + driver.getCurrentUrl())
                .until(condition);
    }

    /** Saves what the page shows now as a PNG. */
    public Path screenshot(Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                // a temp profile left behind
            }
        }
    }
}
