package kefu.desk;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import kefu.App;
import kefu.TestConfigs;
import kefu.TestServices;
import kefu.cli.KefuCommand;
import kefu.config.KefuConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import picocli.CommandLine;

/** The desk console in a real browser: a customer asks for a person in the simulator, an agent logs in and sees them waiting. */
class DeskPageTest {
  private static final Duration WAIT = Duration.ofSeconds(20);

  @Test
  void anAgentLogsInAndSeesTheCustomerWhoAskedForAPerson(@TempDir Path dir) throws Exception {
    TestServices.Chromium chromium = TestServices.chromium();
    KefuConfig config = TestConfigs.embedded(dir);
    App app = App.start(config);
    Path configFile = Files.writeString(dir.resolve("kefu.yaml"), "db:\n  url: " + config.db().url() + "\n");
    assertThat(new CommandLine(new KefuCommand()).setOut(new PrintWriter(new StringWriter())).execute("user", "add",
        "--login", "lina", "--name", "李娜", "--role", "supervisor", "--password=a-long-password", "--config", configFile.toString()))
        .isEqualTo(0);
    WebDriver browser = chromium.start(dir);
    try {
      String base = "http://127.0.0.1:" + app.port();
      WebDriverWait wait = new WebDriverWait(browser, WAIT);
      browser.get(base + "/simulator");
      browser.findElement(By.id("new-openid")).sendKeys("o-desk-1");
      browser.findElement(By.cssSelector("#new-customer button")).click();
      browser.findElement(By.id("text")).sendKeys("转人工");
      browser.findElement(By.id("send")).click();
      wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#chat li.out .bubble")));

      browser.get(base + "/desk");
      wait.until(ExpectedConditions.urlToBe(base + "/desk/login"));
      browser.findElement(By.id("login-name")).sendKeys("lina");
      browser.findElement(By.id("password")).sendKeys("a-long-password");
      browser.findElement(By.cssSelector("#login button")).click();

      wait.until(ExpectedConditions.urlToBe(base + "/desk"));
      assertThat(browser.findElement(By.id("who")).getText()).isEqualTo("李娜(主管)");
      assertThat(browser.findElement(By.id("queue-count")).getText()).isEqualTo("1");
      assertThat(browser.findElement(By.cssSelector("#queue tbody tr")).getText()).contains("转人工").contains("客户要求人工");
      Files.write(Path.of("target", "desk-queue.png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));

      browser.findElement(By.id("logout")).click();
      wait.until(ExpectedConditions.urlToBe(base + "/desk/login"));
    } finally {
      browser.quit();
      app.stop();
    }
  }
}
