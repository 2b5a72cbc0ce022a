package kefu.desk;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import kefu.LogLines;
import kefu.TestNode;
import kefu.TestServices;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Every page of the console under its Content-Security-Policy in a real browser: the first-run login, the setup
 * form, the queue of an admin, an agent and a supervisor, the users' page, the chat pane with the customer's file,
 * the setup page once closed. The browser reports no violation on any of them, and their scripts still work: the
 * live connection, the queue redrawn, a reply sent in place, presence changed in place.
 */
class ConsolePolicyPageTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  /** Added to every document before its own scripts run: keeps what the browser reports as violated. */
  private static final String RECORDER = "window.violations = [];"
      + " document.addEventListener('securitypolicyviolation', e => window.violations.push("
      + " e.effectiveDirective + ' blocked ' + (e.blockedURI || 'inline') + ' at ' + e.sourceFile + ':' + e.lineNumber));";

  @Test
  void everyConsolePagePassesItsPolicyAndItsScriptsWork(@TempDir Path dir) throws Exception {
    TestServices.Chromium chromium = TestServices.chromium();
    try (LogLines log = new LogLines(DeskSetup.class); TestNode node = TestNode.start(TestNode.config(dir, Optional.empty()))) {
      ChromeDriver browser = (ChromeDriver) chromium.start(dir);
      try {
        browser.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", RECORDER));
        String base = "http://127.0.0.1:" + node.port();
        WebDriverWait wait = new WebDriverWait(browser, WAIT);

        browser.get(base + "/desk/login");
        assertThat(browser.findElement(By.id("first-run")).isDisplayed()).isTrue();
        assertNoViolation(browser, "the first-run login");
        theRecorderSeesAnInlineScript(browser, wait);

        String setup = DeskSetupTest.link(log, node.port());
        browser.get(base + setup);
        assertNoViolation(browser, "the setup form");
        browser.findElement(By.id("setup-login")).sendKeys("admin");
        browser.findElement(By.id("setup-name")).sendKeys("管理员");
        browser.findElement(By.id("setup-password")).sendKeys(DeskClient.PASSWORD);
        browser.findElement(By.id("setup-password-again")).sendKeys(DeskClient.PASSWORD);
        browser.findElement(By.cssSelector("#setup button")).click();
        wait.until(ExpectedConditions.urlToBe(base + "/desk"));
        live(wait);
        assertNoViolation(browser, "the admin's queue");

        browser.get(base + "/desk/agents");
        assertNoViolation(browser, "the users' page");
        addUser(browser, wait, "王芳", "wangfang", "agent");
        addUser(browser, wait, "李娜", "lina", "supervisor");
        assertNoViolation(browser, "the users' page after adding");

        browser.get(base + setup);
        assertNoViolation(browser, "the setup page once closed");

        browser.get(base + "/desk");
        logOut(browser, wait, base);
        assertNoViolation(browser, "the login");
        DeskClient.logIn(browser, wait, base, "wangfang");
        live(wait);
        // Presence changes in place, by script; the customer then waiting appears without a reload.
        new Select(browser.findElement(By.id("presence"))).selectByValue("away");
        wait.until(ExpectedConditions.attributeContains(By.id("presence-form"), "class", "away"));
        node.say("o-policy", "转人工");
        wait.until(ExpectedConditions.textToBe(By.id("queue-count"), "1"));
        assertNoViolation(browser, "the agent's queue");
        Files.write(Path.of("target", "desk-queue-policy.png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));

        browser.findElement(By.cssSelector("#queue button.accept")).click();
        wait.until(ExpectedConditions.urlMatches("/desk/tickets/\\d+$"));
        live(wait);
        browser.findElement(By.id("reply-text")).sendKeys("您好,我是客服王芳,请问有什么可以帮您?");
        browser.findElement(By.id("send")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("transcript"), "请问有什么可以帮您"));
        assertThat(browser.findElement(By.id("reply-text")).getAttribute("value")).as("sent in place").isEmpty();
        assertNoViolation(browser, "the chat pane");
        browser.findElement(By.cssSelector("#customer-file summary")).click();
        browser.findElement(By.cssSelector("#customer-form input[name=tags]")).sendKeys("老客户");
        browser.findElement(By.id("save-customer")).click();
        wait.until(ExpectedConditions.textToBe(By.id("file-tags"), "老客户"));
        live(wait);
        assertNoViolation(browser, "the chat pane with the customer's file saved");
        Files.write(Path.of("target", "desk-chat-policy.png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));

        logOut(browser, wait, base);
        DeskClient.logIn(browser, wait, base, "lina");
        live(wait);
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("team"), "王芳"));
        assertNoViolation(browser, "the supervisor's queue and team");
        Files.write(Path.of("target", "desk-supervisor-policy.png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
      } finally {
        browser.quit();
      }
    }
  }

  /** Proves the check can fail: a script the page adds inline is refused, and the recorder hears of it. */
  private static void theRecorderSeesAnInlineScript(WebDriver browser, WebDriverWait wait) {
    JavascriptExecutor js = (JavascriptExecutor) browser;
    Object ran = js.executeScript("const s = document.createElement('script'); s.textContent = 'window.inlineRan = true;';"
        + " document.body.append(s); return window.inlineRan === true;");
    assertThat(ran).as("an inline script ran").isEqualTo(false);
    wait.until(driver -> !violations(driver).isEmpty());
    assertThat(violations(browser)).singleElement().asString().startsWith("script-src-elem blocked inline");
    js.executeScript("window.violations = [];");
  }

  private static void assertNoViolation(WebDriver browser, String page) {
    assertThat(violations(browser)).as("violations on " + page).isEmpty();
  }

  @SuppressWarnings("unchecked")
  private static List<String> violations(WebDriver browser) {
    return (List<String>) ((JavascriptExecutor) browser).executeScript("return window.violations;");
  }

  /** The page's script connected the live socket: it ran, and the policy let it connect. */
  private static void live(WebDriverWait wait) {
    wait.until(ExpectedConditions.attributeToBe(By.tagName("body"), "data-live", "on"));
  }

  private static void addUser(WebDriver browser, WebDriverWait wait, String name, String login, String role) {
    browser.findElement(By.id("new-name")).sendKeys(name);
    browser.findElement(By.id("new-login")).sendKeys(login);
    new Select(browser.findElement(By.id("new-role"))).selectByValue(role);
    browser.findElement(By.id("new-password")).sendKeys(DeskClient.PASSWORD);
    browser.findElement(By.cssSelector("#add-agent button")).click();
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("main"), login));
  }

  private static void logOut(WebDriver browser, WebDriverWait wait, String base) {
    browser.findElement(By.id("logout")).click();
    wait.until(ExpectedConditions.urlToBe(base + "/desk/login"));
  }
}
