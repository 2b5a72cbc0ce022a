package kefu.channel.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import kefu.App;
import kefu.TestConfigs;
import kefu.TestServices;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/** The simulator page in a real browser: a customer is created, writes, and the bot's reply shows. */
class SimulatorPageTest {
  private static final Duration WAIT = Duration.ofSeconds(20);

  @Test
  void aCustomerChatsWithTheBotInTheBrowser(@TempDir Path dir) throws Exception {
    TestServices.Chromium chromium = TestServices.chromium();
    App app = App.start(TestConfigs.embedded(dir));
    WebDriver browser = browser(chromium, dir);
    try {
      browser.get("http://127.0.0.1:" + app.port() + "/simulator");
      WebDriverWait wait = new WebDriverWait(browser, WAIT);
      // The menu comes from templates/wechat/menu.yaml.
      wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("menu"), "转人工"));

      browser.findElement(By.id("new-openid")).sendKeys("o-browser-1");
      browser.findElement(By.cssSelector("#new-customer button")).click();
      browser.findElement(By.id("text")).sendKeys("你好");
      browser.findElement(By.id("send")).click();

      WebElement reply = wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#chat li.out .bubble")));
      assertThat(reply.getText()).isEqualTo("您好,很高兴为您服务!请问有什么可以帮您?");
      List<String> customers = browser.findElements(By.cssSelector("#customer-list button")).stream().map(WebElement::getText).toList();
      assertThat(customers).containsExactly("o-browser-1");
      Files.write(Path.of("target", "simulator.png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    } finally {
      browser.quit();
      app.stop();
    }
  }

  private static WebDriver browser(TestServices.Chromium chromium, Path dir) {
    ChromeOptions options = new ChromeOptions()
        .setBinary(chromium.browser().toFile())
        .addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
            "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--window-size=1100,900", "--user-data-dir=" + dir.resolve("chromium"));
    ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(chromium.driver().toFile()).build();
    return new ChromeDriver(service, options);
  }
}
