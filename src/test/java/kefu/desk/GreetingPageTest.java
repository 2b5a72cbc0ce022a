package kefu.desk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
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
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The greetings page in a real browser, as a supervisor reads it: today's greetings by channel and the excluded with
 * why, the month's mass messages with WeChat's report, and the customer file showing a refusal; to agents it does not exist.
 */
class GreetingPageTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
  private static final OffsetDateTime CREATED = OffsetDateTime.now(ZoneOffset.UTC);
  private static final String RECORDER = "window.violations = [];"
      + " document.addEventListener('securitypolicyviolation', e => window.violations.push(e.effectiveDirective));";

  private static long follower(TestNode node, String openid, boolean optedOut) throws Exception {
    node.execute("INSERT INTO customers (openid, subscribed, opted_out_at, created_at, updated_at) VALUES (?, TRUE, ?, ?, ?)", openid,
        optedOut ? CREATED : null, CREATED, CREATED);
    return node.count("SELECT id FROM customers WHERE openid = ?", openid);
  }

  private static void record(TestNode node, String reference, Long customer, String name, LocalDate birthday, boolean member) throws Exception {
    node.execute("INSERT INTO customer_records (reference, line, customer_id, name, member, birthday_month, birthday_day, link_code,"
        + " created_at, updated_at) VALUES (?, 'studio', ?, ?, ?, ?, ?, ?, ?, ?)", reference, customer, name, member, birthday.getMonthValue(),
        birthday.getDayOfMonth(), "q" + reference, CREATED, CREATED);
  }

  @Test
  void aSupervisorSeesTodaysGreetingsByChannelAndWhySomeWereNotSent(@TempDir Path dir) throws Exception {
    TestServices.Chromium chromium = TestServices.chromium();
    KefuConfig config = TestNode.config(dir, Optional.empty());
    try (TestNode node = TestNode.start(config)) {
      LocalDate today = node.clock().instant().atZone(SHANGHAI).toLocalDate();
      node.say("o-page-window", "你好");
      record(node, "YL-101", node.count("SELECT id FROM customers WHERE openid = 'o-page-window'"), "王小姐", today, false);
      record(node, "YL-102", follower(node, "o-page-a", false), "李先生", today, false);
      record(node, "YL-103", follower(node, "o-page-b", false), "赵女士", today, false);
      record(node, "YL-104", follower(node, "o-page-out", true), "孙先生", today, false);
      record(node, "YL-105", null, "周女士", today, false);
      record(node, "YL-106", follower(node, "o-page-member", false), "钱先生", today, true);
      node.greetings().runDue(today.atTime(10, 30).atZone(SHANGHAI).toInstant());
      await().atMost(WAIT).until(() -> node.count("SELECT COUNT(*) FROM mass_sends WHERE status = 'finished'") == 2);

      DeskClient.addUser(DeskClient.configFile(dir, config.db().url()), "lina", "李娜", "supervisor");
      DeskClient.addUser(DeskClient.configFile(dir, config.db().url()), "xiaoli", "小李", "agent");
      DeskClient http = new DeskClient(node.port());
      assertThat(http.get("/desk/greetings", http.logIn("xiaoli").cookie()).statusCode()).isEqualTo(404);

      ChromeDriver browser = (ChromeDriver) chromium.start(dir, 1280, 1500);
      try {
        browser.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", RECORDER));
        String base = "http://127.0.0.1:" + node.port();
        WebDriverWait wait = new WebDriverWait(browser, WAIT);
        browser.get(base + "/desk/login");
        DeskClient.logIn(browser, wait, base, "lina");
        browser.findElement(By.id("greetings-link")).click();
        wait.until(ExpectedConditions.urlToBe(base + "/desk/greetings"));

        assertThat(browser.findElement(By.id("today-sent")).getText()).isEqualTo("4");
        assertThat(browser.findElement(By.id("today-service")).getText()).isEqualTo("1");
        assertThat(browser.findElement(By.id("today-mass")).getText()).isEqualTo("2");
        assertThat(browser.findElement(By.id("today-tag")).getText()).isEqualTo("1");
        assertThat(browser.findElement(By.id("today-excluded")).getText()).isEqualTo("2");
        assertThat(browser.findElement(By.id("today-reasons")).getText()).contains("客户已退订祝福与活动消息").contains("档案未关联微信");
        assertThat(browser.findElements(By.cssSelector("#today-greetings tbody tr"))).hasSize(6);
        // Plans by their names from templates/greetings, not their file names.
        assertThat(browser.findElement(By.id("today-greetings")).getText()).contains("客户生日祝福").contains("会员生日关怀")
            .doesNotContain("member-birthday");
        assertThat(browser.findElement(By.id("month-schedule")).getText()).contains(today + " 客户生日祝福 3 0 2")
            .contains(today + " 会员生日关怀 1 0 0");
        assertThat(browser.findElement(By.id("greeting-plans")).getText()).contains("新春祝福 春节 全部客户 09:30")
            .contains("七夕祝福 七夕 影楼客户，有结婚日期").contains("会员生日关怀 生日（按客户习惯的公历或农历） 会员 10:00 文字消息 提前 3 天");
        assertThat(browser.findElement(By.id("mass-sends")).getText()).contains("临时标签").contains("共 1，过滤 0，成功 1，失败 0")
            .contains("名单").contains("共 2，过滤 0，成功 2，失败 0").contains("客户生日祝福").doesNotContain("birthday");
        assertThat(browser.findElement(By.id("month-sent")).getText()).isEqualTo("4");
        assertThat((List<?>) ((JavascriptExecutor) browser).executeScript("return window.violations;")).isEmpty();
        Files.write(Path.of("target", "desk-greetings.png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));

        long refused = node.count("SELECT id FROM customer_records WHERE reference = 'YL-104'");
        browser.get(base + "/desk/records/" + refused);
        assertThat(browser.findElement(By.id("record-opt-out")).getText()).startsWith("已退订");
      } finally {
        browser.quit();
      }
    }
  }

  @Test
  void aGreetingHeldByTheRestHoursPastItsDayIsNotSentTheDayAfterAndThePageSaysSo(@TempDir Path dir) throws Exception {
    // Proves: a birthday imported at 23:00 (the quiet hours run to 09:00 by default) is still to go, and the page says
    // it will not go the day after — where "today is your birthday" would be wrong —, and the next morning it is not
    // sent, with that reason.
    KefuConfig config = TestNode.config(dir, Optional.empty());
    try (TestNode node = TestNode.start(config)) {
      var now = node.clock().instant().atZone(SHANGHAI);
      var late = now.toLocalDate().atTime(23, 0).atZone(SHANGHAI);
      node.clock().advance(Duration.between(now, late.isAfter(now) ? late : late.plusDays(1)));
      LocalDate day = node.clock().instant().atZone(SHANGHAI).toLocalDate();
      record(node, "YL-201", follower(node, "o-page-night", false), "吴女士", day, false);
      node.greetings().runDue(node.clock().instant());

      DeskClient.addUser(DeskClient.configFile(dir, config.db().url()), "lina", "李娜", "supervisor");
      DeskClient http = new DeskClient(node.port());
      String page = http.get("/desk/greetings", http.logIn("lina").cookie()).body();
      assertThat(page).contains("已到发送时间，但今天余下的时间都是客户的休息时间；过了当天不再补发");

      node.clock().advance(Duration.ofHours(11)); // 10:00 the next day
      assertThat(node.greetings().runDue(node.clock().instant()).excluded()).isEqualTo(1);
      assertThat(node.one(String.class, "SELECT reason FROM greetings")).isEqualTo("day-passed");
      assertThat(node.count("SELECT COUNT(*) FROM mass_sends")).isZero();
    }
  }
}
