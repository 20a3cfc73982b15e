package io.nodelock.apidocs;

import static org.assertj.core.api.Assertions.assertThat;

import io.nodelock.pak.Pak;
import io.nodelock.pak.PakService.NewLine;
import io.nodelock.support.HeadlessChromium;
import io.nodelock.support.ServiceIT;
import io.nodelock.support.TasklistBrowser;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * Swagger UI as a developer uses it, in headless Chromium: authorise once with an API token, then "Try it out" on
 * {@code GET /api/v1/paks/{code}} answers 200 with the PAK (the document's bearer scheme makes the page send the token).
 */
class SwaggerUiBrowserIT extends ServiceIT {

    @Test
    void tryItOutWithATokenAnswers200() {
        TestAccount customer = newCustomer();
        Pak pak = newPak(customer, new NewLine("FL-C1111-SEC-K9", 2));
        try (HeadlessChromium browser = new HeadlessChromium(1400, 1600, Duration.ofSeconds(30))) {
            var driver = browser.driver();
            try {
                driver.get("http://localhost:" + port + "/swagger-ui/index.html");
                browser.until("the API's title", d -> d.findElements(By.cssSelector(".info .title")).stream()
                        .filter(t -> t.getText().contains("Nodelock API")).findFirst().orElse(null));

                driver.findElement(By.cssSelector("button.authorize")).click();
                WebElement token = browser.until("the token field", d -> d.findElements(By.cssSelector(".modal-ux input")).stream()
                        .filter(WebElement::isDisplayed).findFirst().orElse(null));
                token.sendKeys(customer.token());
                driver.findElement(By.cssSelector(".modal-ux .auth-btn-wrapper button.authorize")).click();
                browser.until("the authorised state", d -> !d.findElements(By.xpath("//div[contains(@class,'modal-ux')]//button[normalize-space()='Logout']")).isEmpty());
                driver.findElement(By.xpath("//div[contains(@class,'modal-ux')]//button[normalize-space()='Close']")).click();

                WebElement operation = browser.until("GET /api/v1/paks/{code}", d -> d.findElements(By.id("operations-PAKs-pakGet"))
                        .stream().findFirst().orElse(null));
                operation.findElement(By.cssSelector(".opblock-summary")).click();
                browser.until("Try it out", d -> operation.findElements(By.cssSelector("button.try-out__btn")).stream()
                        .findFirst().orElse(null)).click();
                WebElement code = browser.until("the code parameter", d -> operation.findElements(By.cssSelector("input[placeholder='code']"))
                        .stream().findFirst().orElse(null));
                code.sendKeys(pak.code().formatted());
                operation.findElement(By.cssSelector("button.execute")).click();
                WebElement status = browser.until("the live response", d -> operation.findElements(
                        By.cssSelector(".live-responses-table .response .response-col_status")).stream().findFirst().orElse(null));
                assertThat(status.getText().trim()).startsWith("200");
                assertThat(operation.findElement(By.cssSelector(".live-responses-table .response .response-col_description")).getText())
                        .contains(pak.code().formatted()).contains("FL-C1111-SEC-K9");
                // The request Swagger UI shows carried the bearer token.
                assertThat(operation.findElement(By.cssSelector(".curl-command")).getText()).contains("Authorization: Bearer");
                browser.screenshot(TasklistBrowser.SCREENSHOTS.resolve("swagger-ui-try-it-out.png"));
            } catch (RuntimeException | AssertionError e) {
                browser.screenshot(TasklistBrowser.SCREENSHOTS.resolve("swagger-ui-failure.png"));
                throw e;
            }
        }
    }
}
