package kefu.desk;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import kefu.TestNode;
import kefu.TestServices;
import kefu.config.KefuConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The campaigns page in a real browser, as marketing uses it: a segment built with its live count, a sample message,
 * a preview to a test follower, the launch and its progress to WeChat's report; marketing sees campaigns and greetings
 * only, and to agents the page does not exist.
 */
class CampaignPageTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
  private static final OffsetDateTime CREATED = OffsetDateTime.now(ZoneOffset.UTC);
  private static final String RECORDER = "window.violations = [];"
      + " document.addEventListener('securitypolicyviolation', e => window.violations.push(e.effectiveDirective));";

  /** Moves the node's clock to 10:00 in Shanghai if it is outside 09:00–20:00 there: campaigns go in daytime only. */
  static void daytime(TestNode node) {
    ZonedDateTime local = node.clock().instant().atZone(SHANGHAI);
    if (local.getHour() < 9 || local.getHour() >= 20) {
      ZonedDateTime morning = (local.getHour() >= 20 ? local.toLocalDate().plusDays(1) : local.toLocalDate()).atTime(10, 0).atZone(SHANGHAI);
      node.clock().advance(Duration.between(local, morning));
    }
  }

  private static void follower(TestNode node, String openid, String reference, boolean member, boolean optedOut) throws Exception {
    node.execute("INSERT INTO customers (openid, subscribed, opted_out_at, created_at, updated_at) VALUES (?, TRUE, ?, ?, ?)", openid,
        optedOut ? CREATED : null, CREATED, CREATED);
    long customer = node.count("SELECT id FROM customers WHERE openid = ?", openid);
    node.execute("INSERT INTO customer_records (reference, line, customer_id, name, member, link_code, created_at, updated_at)"
        + " VALUES (?, 'studio', ?, '客户', ?, ?, ?, ?)", reference, customer, member, "q" + reference, CREATED, CREATED);
  }

  @Test
  void marketingBuildsASegmentPreviewsLaunchesAndWatchesACampaign(@TempDir Path dir) throws Exception {
    TestServices.Chromium chromium = TestServices.chromium();
    KefuConfig config = TestNode.config(dir, Optional.empty());
    try (TestNode node = TestNode.start(config)) {
      daytime(node);
      node.say("o-tester", "你好"); // the marketing colleague's own WeChat: the test follower
      for (int i = 1; i <= 4; i++) {
        follower(node, "o-member-" + i, "M-" + i, true, false);
      }
      follower(node, "o-guest-1", "N-1", false, false);
      follower(node, "o-guest-2", "N-2", false, false);
      follower(node, "o-member-out", "M-9", true, true);

      Path configFile = DeskClient.configFile(dir, config.db().url());
      DeskClient.addUser(configFile, "mali", "马丽", "marketing");
      DeskClient.addUser(configFile, "xiaoli", "小李", "agent");
      DeskClient http = new DeskClient(node.port());
      String agent = http.logIn("xiaoli").cookie();
      assertThat(http.get("/desk/campaigns", agent).statusCode()).as("agents do not see campaigns").isEqualTo(404);
      String marketing = http.logIn("mali").cookie();
      assertThat(http.get("/desk/records", marketing).statusCode()).as("marketing does not see the customer file").isEqualTo(404);
      assertThat(http.get("/desk/tickets/1", marketing).statusCode()).isEqualTo(404);
      assertThat(http.get("/desk/greetings", marketing).statusCode()).isEqualTo(200);
      // Nonsense is named and nothing is kept: the form comes back with what was typed.
      DeskClient.Session session = http.logIn("mali");
      var refused = http.post("/desk/campaigns", session, Map.of("name", "春季活动", "message", "欢迎到店。", "birthday-month", "13"));
      assertThat(refused.statusCode()).isEqualTo(400);
      assertThat(refused.body()).contains("生日月份应为 1–12").contains("value=\"春季活动\"");
      assertThat(http.post("/desk/campaigns", session, Map.of("name", "", "message", "欢迎到店。")).body()).contains("请填写活动名称");
      assertThat(http.get("/desk/campaigns/count?member=maybe", session.cookie()).body()).isEqualTo("{\"problem\":\"member\"}");
      assertThat(node.count("SELECT COUNT(*) FROM campaigns")).isZero();

      ChromeDriver browser = (ChromeDriver) chromium.start(dir, 1280, 1600);
      try {
        browser.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", RECORDER));
        String base = "http://127.0.0.1:" + node.port();
        WebDriverWait wait = new WebDriverWait(browser, WAIT);
        browser.get(base + "/desk/login");
        browser.findElement(By.id("login-name")).sendKeys("mali");
        browser.findElement(By.id("password")).sendKeys(DeskClient.PASSWORD);
        browser.findElement(By.cssSelector("#login button")).click();
        wait.until(ExpectedConditions.urlToBe(base + "/desk/campaigns"));
        assertThat(browser.findElements(By.id("records-link"))).as("no customer file in marketing's bar").isEmpty();
        assertThat(browser.findElement(By.id("greetings-link")).isDisplayed()).isTrue();

        // The live count: everyone following (the opted-out left out), then members only.
        wait.until(ExpectedConditions.textToBe(By.id("segment-count"), "7"));
        new Select(browser.findElement(By.id("segment-member"))).selectByValue("yes");
        wait.until(ExpectedConditions.textToBe(By.id("segment-count"), "4"));
        new Select(browser.findElement(By.id("segment-birthday-month"))).selectByValue("3");
        wait.until(ExpectedConditions.textToBe(By.id("segment-count"), "0"));
        new Select(browser.findElement(By.id("segment-birthday-month"))).selectByValue("");
        wait.until(ExpectedConditions.textToBe(By.id("segment-count"), "4"));

        browser.findElement(By.id("campaign-name")).sendKeys("会员专享日");
        new Select(browser.findElement(By.id("campaign-sample"))).selectByIndex(2);
        assertThat(browser.findElement(By.id("campaign-message")).getAttribute("value")).contains("会员专享日来了");
        browser.findElement(By.id("campaign-create")).click();
        wait.until(ExpectedConditions.urlMatches(base + "/desk/campaigns/\\d+$"));
        assertThat(browser.findElement(By.id("campaign-count")).getText()).isEqualTo("4");
        assertThat(browser.findElement(By.id("campaign-text")).getText()).endsWith("请回复“退订”。");
        assertThat(browser.findElement(By.id("campaign-segment")).getText()).contains("仅会员");

        browser.findElement(By.id("preview-openid")).sendKeys("o-tester");
        browser.findElement(By.id("preview-button")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("notice"), "预览已发送"));
        assertThat(node.sent("o-tester").stream().filter(m -> m.getString("channel").equals("preview")).toList()).hasSize(1);

        browser.findElement(By.id("launch-button")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("notice"), "活动已开始发送"));
        // The progress fills in as the campaign goes and WeChat reports the mass message.
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("progress-reports"), "成功 4"));
        assertThat(browser.findElement(By.id("progress-percent")).getText()).isEqualTo("100%");
        assertThat(browser.findElement(By.id("progress-sent")).getText()).isEqualTo("4");
        wait.until(ExpectedConditions.textToBe(By.id("campaign-status"), "已完成"));
        assertThat(node.sent("o-member-1").stream().filter(m -> m.getString("channel").equals("mass")).toList()).hasSize(1);
        assertThat(node.sent("o-guest-1")).as("not in the segment").isEmpty();
        assertThat((List<?>) ((JavascriptExecutor) browser).executeScript("return window.violations;")).isEmpty();
        Files.write(Path.of("target", "desk-campaign.png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));

        browser.findElement(By.cssSelector("a[href='/desk/campaigns']")).click();
        wait.until(ExpectedConditions.urlToBe(base + "/desk/campaigns"));
        assertThat(browser.findElement(By.id("campaign-list")).getText()).contains("会员专享日");
      } finally {
        browser.quit();
      }
    }
  }
}
