package kefu.desk;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import kefu.LogLines;
import kefu.App;
import kefu.TestConfigs;
import kefu.TestServices;
import kefu.config.KefuConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The desk console in a real browser, beside the simulator in another tab: the customer asks for a person, the
 * waiting customer appears in the agent's queue without a reload, the agent accepts and replies, the customer sees
 * it, the agent closes, the customer rates. Before all that, on a first run, the first admin is made at the link
 * in the log.
 */
class DeskPageTest {
  private static final Duration WAIT = Duration.ofSeconds(20);

  @Test
  void anAgentTakesAChatFromTheSimulatorAndTheCustomerRatesIt(@TempDir Path dir) throws Exception {
    TestServices.Chromium chromium = TestServices.chromium();
    KefuConfig config = TestConfigs.embedded(dir);
    App app = App.start(config);
    DeskClient.addUser(DeskClient.configFile(dir, config.db().url()),
        "wangfang", "王芳", "agent");
    DeskClient.addUser(DeskClient.configFile(dir, config.db().url()), "lina", "李娜", "supervisor");
    WebDriver browser = chromium.start(dir);
    try {
      String base = "http://127.0.0.1:" + app.port();
      WebDriverWait wait = new WebDriverWait(browser, WAIT);
      browser.get(base + "/desk");
      wait.until(ExpectedConditions.urlToBe(base + "/desk/login"));
      DeskClient.logIn(browser, wait, base, "wangfang");
      assertThat(browser.findElement(By.id("who")).getText()).isEqualTo("王芳(客服)");
      wait.until(ExpectedConditions.attributeToBe(By.tagName("body"), "data-live", "on"));
      String desk = browser.getWindowHandle();

      browser.switchTo().newWindow(WindowType.TAB);
      String customer = browser.getWindowHandle();
      browser.get(base + "/simulator");
      browser.findElement(By.id("new-openid")).sendKeys("o-desk-1");
      browser.findElement(By.cssSelector("#new-customer button")).click();
      say(browser, "转人工");
      wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("chat"), "正在为您转接人工客服"));

      browser.switchTo().window(desk);
      wait.until(ExpectedConditions.textToBe(By.id("queue-count"), "1"));
      assertThat(browser.findElement(By.cssSelector("#queue tbody tr")).getText()).contains("转人工").contains("客户要求人工");
      Files.write(Path.of("target", "desk-queue.png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
      browser.findElement(By.cssSelector("#queue button.accept")).click();
      wait.until(ExpectedConditions.urlMatches("/desk/tickets/\\d+$"));
      wait.until(ExpectedConditions.attributeToBe(By.tagName("body"), "data-live", "on"));

      browser.switchTo().window(customer);
      wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("chat"), "我是客服王芳"));
      say(browser, "我想把拍摄日期改到下周六");

      browser.switchTo().window(desk);
      wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("transcript"), "我想把拍摄日期改到下周六"));
      WebElement text = browser.findElement(By.id("reply-text"));
      text.sendKeys("这个我不知道");
      browser.findElement(By.id("send")).click();
      wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("taboo-warning")));
      assertThat(browser.findElement(By.id("taboo-warning")).getText()).contains("不知道");
      text.clear();
      text.sendKeys("/sorry-wait", Keys.TAB);
      assertThat(text.getAttribute("value")).isEqualTo("对不起，让您久等了。");
      text.clear();
      text.sendKeys("好的,下周六上午十点可以吗?");
      browser.findElement(By.id("send")).click();
      wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("transcript"), "下周六上午十点可以吗"));
      assertThat(browser.findElements(By.cssSelector("#transcript li.agent")).stream().map(WebElement::getText))
          .anyMatch(line -> line.contains("王芳") && line.contains("下周六上午十点可以吗"));
      assertThat(browser.findElement(By.id("reply-text")).getAttribute("value")).isEmpty();
      Files.write(Path.of("target", "desk-chat.png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));

      browser.switchTo().window(customer);
      wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("chat"), "下周六上午十点可以吗"));

      browser.switchTo().window(desk);
      browser.findElement(By.id("close-chat")).click();
      wait.until(ExpectedConditions.urlToBe(base + "/desk"));
      // Located afresh on each try: the live lists may redraw the element just as the page arrives.
      wait.until(ExpectedConditions.textToBe(By.id("chat-count"), "0"));

      browser.switchTo().window(customer);
      wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("chat"), "5 非常不满意"));
      say(browser, "1");
      wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("chat"), "感谢您的评价"));
      Files.write(Path.of("target", "desk-rated.png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));

      assertThat(ratingCredits(config)).isEqualTo("1:wangfang");

      // The supervisor's view of the same desk: the queue, the team with presence and load.
      browser.switchTo().window(desk);
      browser.findElement(By.id("logout")).click();
      wait.until(ExpectedConditions.urlToBe(base + "/desk/login"));
      DeskClient.logIn(browser, wait, base, "lina");
      wait.until(ExpectedConditions.and(ExpectedConditions.textToBePresentInElementLocated(By.id("team"), "王芳"),
          ExpectedConditions.textToBePresentInElementLocated(By.id("team"), "离线")));
      Files.write(Path.of("target", "desk-supervisor.png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    } finally {
      browser.quit();
      app.stop();
    }
  }

  @Test
  void aNewcomerMakesTheFirstAdminAtTheLoggedLinkAndLandsInTheConsole(@TempDir Path dir) throws Exception {
    // Proves the first run in a browser: the login page points to the log, the logged link's form refuses two
    // passwords that differ and keeps what was typed, then makes the admin and opens the console as them.
    TestServices.Chromium chromium = TestServices.chromium();
    try (LogLines log = new LogLines(DeskSetup.class)) {
      App app = App.start(TestConfigs.embedded(dir));
      WebDriver browser = chromium.start(dir);
      try {
        String base = "http://127.0.0.1:" + app.port();
        WebDriverWait wait = new WebDriverWait(browser, WAIT);
        browser.get(base + "/desk");
        wait.until(ExpectedConditions.urlToBe(base + "/desk/login"));
        assertThat(browser.findElement(By.id("first-run")).getText()).contains("No desk user yet");
        Files.write(Path.of("/tmp/setup-login.png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));

        browser.get(base + DeskSetupTest.link(log, app.port()));
        browser.findElement(By.id("setup-login")).sendKeys("lina");
        browser.findElement(By.id("setup-name")).sendKeys("李娜");
        browser.findElement(By.id("setup-password")).sendKeys(DeskClient.PASSWORD);
        browser.findElement(By.id("setup-password-again")).sendKeys(DeskClient.PASSWORD + "?");
        Files.write(Path.of("/tmp/setup.png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
        browser.findElement(By.cssSelector("#setup button")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("setup-problem")));
        assertThat(browser.findElement(By.id("setup-problem")).getText()).contains("两次输入的密码不一致");
        assertThat(browser.findElement(By.id("setup-login")).getAttribute("value")).isEqualTo("lina");

        browser.findElement(By.id("setup-password")).sendKeys(DeskClient.PASSWORD);
        browser.findElement(By.id("setup-password-again")).sendKeys(DeskClient.PASSWORD);
        Files.write(Path.of("/tmp/setup-mismatch.png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
        browser.findElement(By.cssSelector("#setup button")).click();
        wait.until(ExpectedConditions.urlToBe(base + "/desk"));
        assertThat(browser.findElement(By.id("who")).getText()).isEqualTo("李娜(管理员)");
        assertThat(browser.findElement(By.id("manage-agents")).getText()).isEqualTo("客服管理");
        Files.write(Path.of("/tmp/setup-console.png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
      } finally {
        browser.quit();
        app.stop();
      }
    }
  }

  private static void say(WebDriver browser, String text) {
    browser.findElement(By.id("text")).sendKeys(text);
    browser.findElement(By.id("send")).click();
  }

  /** The level of the ticket's rating and the login of the agent it credits. */
  private static String ratingCredits(KefuConfig config) throws Exception {
    try (Connection c = DriverManager.getConnection(config.db().url());
        PreparedStatement select = c.prepareStatement("SELECT r.level, a.login FROM ratings r"
            + " JOIN ticket_agents s ON s.ticket_id = r.ticket_id JOIN agents a ON a.id = s.agent_id");
        ResultSet rs = select.executeQuery()) {
      assertThat(rs.next()).isTrue();
      return rs.getInt(1) + ":" + rs.getString(2);
    }
  }
}
