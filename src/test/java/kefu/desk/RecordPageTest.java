package kefu.desk;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import kefu.App;
import kefu.TestConfigs;
import kefu.TestServices;
import kefu.config.KefuConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Customer records in the console, in a real browser under the console's policy: a supervisor uploads the shipped
 * sample list and reads the report, opens a record, sees its QR code, moves and cancels milestones; the simulator
 * scans the record's code and the record shows the follower linked.
 */
class RecordPageTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final String RECORDER = "window.violations = [];"
      + " document.addEventListener('securitypolicyviolation', e => window.violations.push("
      + " e.effectiveDirective + ' blocked ' + (e.blockedURI || 'inline') + ' at ' + e.sourceFile + ':' + e.lineNumber));";

  @Test
  void aSupervisorImportsTheSamplesSetsMilestonesAndTheSimulatorLinksAFollower(@TempDir Path dir) throws Exception {
    TestServices.Chromium chromium = TestServices.chromium();
    KefuConfig config = TestConfigs.embedded(dir);
    App app = App.start(config);
    DeskClient.addUser(DeskClient.configFile(dir, config.db().url()), "lina", "李娜", "supervisor");
    ChromeDriver browser = (ChromeDriver) chromium.start(dir);
    try {
      browser.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", RECORDER));
      String base = "http://127.0.0.1:" + app.port();
      WebDriverWait wait = new WebDriverWait(browser, WAIT);
      // The page redraws its tables after each save: chromedriver may then report the row it just found as a node no
      // longer in the document ("unknown error", not a stale element); the condition is looked at again.
      wait.ignoring(WebDriverException.class);
      browser.get(base + "/desk/login");
      DeskClient.logIn(browser, wait, base, "lina");

      browser.findElement(By.id("records-link")).click();
      wait.until(ExpectedConditions.urlToBe(base + "/desk/records"));
      browser.findElement(By.id("import-file")).sendKeys(Path.of("samples/customers-studio.csv").toAbsolutePath().toString());
      new Select(browser.findElement(By.id("import-line"))).selectByValue("studio");
      browser.findElement(By.id("import-submit")).click();
      wait.until(ExpectedConditions.textToBe(By.id("import-summary"), "共 4 行：新建 4 份，更新 0 份，设置或改期 18 个节点，0 行未导入。"));
      assertNoViolation(browser, "the records page");

      browser.get(base + "/desk/records?q=YL20260102");
      browser.findElement(By.linkText("YL20260102")).click();
      wait.until(ExpectedConditions.urlMatches("/desk/records/\\d+$"));
      String record = browser.getCurrentUrl();
      assertThat(browser.findElement(By.id("record-name")).getText()).isEqualTo("林晓彤");
      assertThat(browser.findElement(By.id("record-birthday")).getText()).isEqualTo("农历1995-08-15");
      assertThat(browser.findElement(By.id("record-linked")).getText()).startsWith("未关联");
      WebElement qr = browser.findElement(By.cssSelector("#record-qr img"));
      wait.until(driver -> ((Number) ((JavascriptExecutor) driver).executeScript("return arguments[0].naturalWidth;", qr)).intValue() > 0);
      String code = browser.findElement(By.id("record-code")).getText();

      new Select(browser.findElement(By.id("milestone-kind"))).selectByValue("wedding");
      ((JavascriptExecutor) browser).executeScript("arguments[0].value = '2027-05-01';", browser.findElement(By.id("milestone-date")));
      browser.findElement(By.id("milestone-save")).click();
      wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#milestones tr[data-kind=wedding]"), "2027-05-01"));
      assertThat(browser.findElement(By.cssSelector("#milestones tr[data-kind=wedding]")).getText()).contains("客服");

      new Select(browser.findElement(By.id("cancel-kind"))).selectByValue("pickup");
      browser.findElement(By.id("cancel-reason")).sendKeys("客户改为快递寄送");
      browser.findElement(By.id("milestone-cancel")).click();
      wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#milestones tr[data-kind=pickup]"),
          "已取消：客户改为快递寄送"));
      assertNoViolation(browser, "the record page");
      Files.write(Path.of("target", "desk-record.png"), browser.getScreenshotAs(OutputType.BYTES));

      browser.findElement(By.id("qr-simulate")).click();
      List<String> tabs = List.copyOf(browser.getWindowHandles());
      browser.switchTo().window(tabs.get(tabs.size() - 1));
      wait.until(ExpectedConditions.attributeToBe(By.id("scene"), "value", code));
      browser.findElement(By.id("new-openid")).sendKeys("o-record-scan");
      browser.findElement(By.cssSelector("#new-customer button")).click();
      browser.findElement(By.id("scan-button")).click();
      wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("chat"), "扫描了二维码：" + code));

      browser.switchTo().window(tabs.get(0));
      wait.until(driver -> {
        driver.get(record);
        return driver.findElement(By.id("record-linked")).getText().equals("已关联");
      });
    } finally {
      browser.quit();
      app.stop();
    }
  }

  private static void assertNoViolation(ChromeDriver browser, String page) {
    assertThat(browser.executeScript("return window.violations;")).as("violations on " + page).asList().isEmpty();
  }
}
