package kefu.desk;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.Map;
import java.util.Optional;
import kefu.TestNode;
import kefu.TestServices;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * 今日回访 in a real browser under the console's policy: an agent opens the day's calls, one of them overdue and red,
 * opens a call with the customer's file and script, records that the customer was reached with notes and feedback,
 * and finds the call gone from the list and kept on the record's page; the supervisor reads the coverage page.
 */
class CallPageTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
  private static final String RECORDER = "window.violations = [];"
      + " document.addEventListener('securitypolicyviolation', e => window.violations.push("
      + " e.effectiveDirective + ' blocked ' + (e.blockedURI || 'inline') + ' at ' + e.sourceFile + ':' + e.lineNumber));";

  @Test
  void anAgentRecordsTheOutcomeOfACallAndTheSupervisorReadsTheCoverage(@TempDir Path dir) throws Exception {
    TestServices.Chromium chromium = TestServices.chromium();
    try (TestNode node = TestNode.start(TestNode.config(dir, Optional.empty()))) {
      Path configFile = DeskClient.configFile(dir, node.config().db().url());
      DeskClient.addUser(configFile, "xiaoli", "小李", "agent");
      DeskClient.addUser(configFile, "lina", "李娜", "supervisor");
      long xiaoli = node.one(Long.class, "SELECT id FROM agents WHERE login = 'xiaoli'");
      LocalDate started = LocalDate.now(node.clock());
      record(node, "YL20261201", "studio", "陈美玲", true, xiaoli, "booking", started.minusDays(1));
      long call = record(node, "YL20261205", "studio", "林晓彤", true, xiaoli, "booking", started);
      record(node, "BX20261205", "equipment", "周建国", false, xiaoli, "repair_closed", started);
      node.journeys().runDue(at(started, "10:05"));
      node.journeys().runDue(at(started.plusDays(1), "10:05"));
      // Four days on: yesterday's booking's call is past its three days; today's bookings' are due.
      node.clock().advance(Duration.between(node.clock().instant(), at(started.plusDays(4), "10:30")));

      ChromeDriver browser = (ChromeDriver) chromium.start(dir, 1280, 1300);
      try {
        browser.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", RECORDER));
        String base = "http://127.0.0.1:" + node.port();
        WebDriverWait wait = new WebDriverWait(browser, WAIT);
        browser.get(base + "/desk/login");
        DeskClient.logIn(browser, wait, base, "xiaoli");

        browser.findElement(By.id("calls-link")).click();
        wait.until(ExpectedConditions.urlToBe(base + "/desk/calls"));
        assertThat(browser.findElement(By.id("overdue-count")).getText()).isEqualTo("1");
        assertThat(browser.findElement(By.cssSelector("#calls tr.overdue")).getText()).contains("YL20261201", "已逾期");
        assertThat(browser.findElement(By.cssSelector("#calls tr.overdue td")).getCssValue("color")).isEqualTo("rgba(217, 48, 37, 1)");
        screenshot(browser, "desk-calls.png");

        browser.findElement(By.linkText("YL20261205")).click();
        wait.until(ExpectedConditions.urlMatches("/desk/calls/\\d+$"));
        assertThat(browser.findElement(By.id("call-customer")).getText()).isEqualTo("林晓彤");
        assertThat(browser.findElement(By.id("call-phone")).getText()).isEqualTo("13800138000");
        assertThat(browser.findElement(By.id("call-script")).getText()).startsWith("您好！我是婚纱影楼客服部的（您的名字），请问是林晓彤吗？");
        assertThat(browser.findElements(By.id("call-survey"))).isEmpty();
        screenshot(browser, "desk-call.png");

        browser.findElement(By.id("outcome-reached")).click();
        browser.findElement(By.id("notes")).sendKeys("客户已安排好拍照时间，下周六上午拍摄。");
        browser.findElement(By.id("feedback")).sendKeys("对门市同事的讲解很满意。");
        browser.findElement(By.id("outcome-save")).click();
        wait.until(ExpectedConditions.textToBe(By.id("notice"), "回访结果已保存，谢谢！"));
        assertThat(browser.findElement(By.id("calls")).getText()).doesNotContain("YL20261205").contains("YL20261201", "BX20261205");
        assertNoViolation(browser, "今日回访");

        browser.get(base + "/desk/records/" + call);
        assertThat(browser.findElement(By.id("record-calls")).getText())
            .contains("已完成", "已联系上", "小李", "客户已安排好拍照时间，下周六上午拍摄。", "对门市同事的讲解很满意。");
        assertThat(browser.findElement(By.id("steps")).getText()).contains("预约后回访", "已转为回访任务", "电话回访");
        screenshot(browser, "desk-record-steps.png", "steps");
        assertNoViolation(browser, "the record page");

        browser.get(base + "/desk/calls");
        browser.findElement(By.linkText("BX20261205")).click();
        wait.until(ExpectedConditions.urlMatches("/desk/calls/\\d+$"));
        assertThat(browser.findElement(By.id("call-survey")).getAttribute("href")).matches(".*/desk/surveys/answer\\?task=\\d+$");
        screenshot(browser, "desk-call-survey.png");

        browser.findElement(By.id("logout")).click();
        wait.until(ExpectedConditions.urlToBe(base + "/desk/login"));
        DeskClient.logIn(browser, wait, base, "lina");
        browser.findElement(By.id("coverage-link")).click();
        wait.until(ExpectedConditions.urlToBe(base + "/desk/coverage"));
        assertThat(browser.findElement(By.id("total-done")).getText()).isEqualTo("1");
        assertThat(browser.findElement(By.id("missing-members")).getText()).contains("YL20261201", "已逾期");
        screenshot(browser, "desk-coverage.png");
        assertNoViolation(browser, "the coverage page");
        browser.findElement(By.id("calls-link")).click();
        wait.until(ExpectedConditions.urlToBe(base + "/desk/calls"));
        assertThat(browser.findElement(By.id("team-calls")).getText()).contains("小李");
        screenshot(browser, "desk-calls-supervisor.png");
      } finally {
        browser.quit();
      }
    }
  }

  private static Instant at(LocalDate day, String time) {
    return day.atTime(LocalTime.parse(time)).atZone(SHANGHAI).toInstant();
  }

  /** A customer record owned by {@code owner} with one milestone, as an import makes them; its id. */
  private static long record(TestNode node, String reference, String line, String name, boolean member, long owner, String kind,
      LocalDate date) throws Exception {
    OffsetDateTime t = OffsetDateTime.parse("2026-01-01T00:00:00Z");
    node.execute("INSERT INTO customer_records (reference, line, name, phone, member, owner_agent_id, model, link_code, created_at,"
        + " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", reference, line, name, "13800138000", member, owner,
        line.equals("equipment") ? "夏普AR-2048" : null, "p" + reference, t, t);
    long id = node.one(Long.class, "SELECT id FROM customer_records WHERE reference = ?", reference);
    node.execute("INSERT INTO milestones (record_id, kind, on_date, source, created_at, updated_at) VALUES (?, ?, ?, 'import', ?, ?)",
        id, kind, date, t, t);
    return id;
  }

  private static void screenshot(ChromeDriver browser, String name) throws Exception {
    Files.write(Path.of("target", name), browser.getScreenshotAs(OutputType.BYTES));
  }

  /** A screenshot with the element {@code id} scrolled into view. */
  private static void screenshot(ChromeDriver browser, String name, String id) throws Exception {
    browser.executeScript("arguments[0].scrollIntoView();", browser.findElement(By.id(id)));
    screenshot(browser, name);
  }

  private static void assertNoViolation(ChromeDriver browser, String page) {
    assertThat(browser.executeScript("return window.violations;")).as("violations on " + page).asList().isEmpty();
  }
}
