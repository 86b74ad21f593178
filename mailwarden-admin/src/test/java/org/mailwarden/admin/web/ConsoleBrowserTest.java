package org.mailwarden.admin.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailwarden.core.policy.IpRange;
import org.mailwarden.store.testing.TestStores;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * The web console in a real browser, headless Chromium driven by Selenium: log in with the admin token, add
 * a domain, a user and a relay range, and see them listed and in the policy text, with no script or CSP
 * error in the browser console. Screenshots go to {@code target/screenshots/}. Skips, saying why, only when
 * Chromium or its driver is not installed ({@code apt-get install -y chromium chromium-driver}).
 */
class ConsoleBrowserTest {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final Path SCREENSHOTS = Path.of("target", "screenshots");

    @TempDir
    Path dir;

    AdminHttpFixture http;
    ChromeDriver browser;

    @BeforeEach
    void start() {
        assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "Chromium is not installed, so the browser test cannot run: apt-get install -y chromium chromium-driver");
        http = new AdminHttpFixture(TestStores.sqlite(dir), dir);
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--no-first-run", "--window-size=1280,1000", "--force-device-scale-factor=1");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER.toString())).usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        browser.manage().timeouts().implicitlyWait(Duration.ZERO);
    }

    @AfterEach
    void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (http != null) {
            http.close();
        }
    }

    @Test
    void anAdministratorLogsInAndSetsUpADomainAUserAndARelayRange() throws Exception {
        browser.get(http.base.toString());
        waitVisible(By.id("login-form"));
        screenshot("1-login");

        browser.findElement(By.id("token")).sendKeys("not-the-token");
        browser.findElement(By.cssSelector("#login-form button")).click();
        await().untilAsserted(() -> assertThat(text(By.id("message"))).isEqualTo("wrong admin token (see: mailwarden admin token)"));

        WebElement token = browser.findElement(By.id("token"));
        token.clear();
        token.sendKeys(http.token.value());
        browser.findElement(By.cssSelector("#login-form button")).click();
        waitVisible(By.id("tab-relay"));
        await().untilAsserted(() -> assertThat(text(By.id("policy"))).contains("match auth", "action relay"));

        tab("domains");
        fill("#domain-form", "name", "example.test");
        fill("#domain-form", "short_name", "example");
        browser.findElement(By.cssSelector("#domain-form button")).click();
        await().untilAsserted(() -> assertThat(text(By.id("domains"))).contains("example.test"));
        assertThat(text(By.id("message"))).isEqualTo("domain example.test added");
        assertThat(browser.findElement(By.cssSelector("#domains input")).getDomProperty("value")).isEqualTo("EXAMPLE");
        screenshot("2-domains");

        tab("users");
        fill("#user-form", "address", "alice@example.test");
        fill("#user-form", "password", "correct horse battery staple");
        browser.findElement(By.cssSelector("#user-form button")).click();
        await().untilAsserted(() -> assertThat(text(By.id("users"))).contains("alice@example.test", "enabled"));
        screenshot("3-users");

        tab("relay");
        fill("#list-allow form", "range", "192.0.2.0/24");
        browser.findElement(By.cssSelector("#list-allow form button")).click();
        await().untilAsserted(() -> assertThat(text(By.cssSelector("#list-allow tbody"))).contains("192.0.2.0/24"));
        assertThat(text(By.id("policy"))).contains("match from 192.0.2.0/24", "rule 2: allowed client");
        fill("#list-deny form", "range", "not-a-range");
        browser.findElement(By.cssSelector("#list-deny form button")).click();
        await().untilAsserted(() -> assertThat(browser.findElement(By.id("message")).getAttribute("class")).contains("error"));
        screenshot("4-relay");

        // What the browser did is what the store holds.
        assertThat(http.store.domains().find("example.test").orElseThrow().shortName()).isEqualTo("EXAMPLE");
        assertThat(AdminHttpFixture.HASHER.verify("correct horse battery staple",
                http.store.accounts().find("alice", "example.test").orElseThrow().passwordHash())).isTrue();
        assertThat(http.store.relayRules().current().allowedClients()).containsExactly(IpRange.parse("192.0.2.0/24"));

        // A reload keeps the session; the lists come back from the server.
        browser.navigate().refresh();
        waitVisible(By.id("tab-relay"));
        await().untilAsserted(() -> assertThat(text(By.cssSelector("#list-allow tbody"))).contains("192.0.2.0/24"));

        browser.findElement(By.id("logout")).click();
        waitVisible(By.id("login-form"));
        assertThat(browser.findElement(By.id("tabs")).isDisplayed()).isFalse();

        List<LogEntry> errors = browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
                // The refused login and the refused range answer 401 and 400 on purpose; Chromium logs those.
                .filter(e -> !e.getMessage().contains("the server responded with a status of"))
                .toList();
        assertThat(errors).as("browser console errors (script or CSP)").isEmpty();
    }

    private void tab(String name) {
        browser.findElement(By.cssSelector("#tabs button[data-tab='" + name + "']")).click();
        waitVisible(By.id("tab-" + name));
    }

    private void fill(String form, String field, String value) {
        WebElement input = browser.findElement(By.cssSelector(form + " input[name='" + field + "']"));
        input.clear();
        input.sendKeys(value);
    }

    private String text(By by) {
        return browser.findElement(by).getText();
    }

    private void waitVisible(By by) {
        await().atMost(Duration.ofSeconds(15)).until(() -> browser.findElement(by).isDisplayed());
    }

    private void screenshot(String name) throws Exception {
        Files.createDirectories(SCREENSHOTS);
        byte[] png = ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES);
        Files.write(SCREENSHOTS.resolve("console-" + name + ".png"), png);
    }
}
