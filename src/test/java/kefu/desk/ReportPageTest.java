package kefu.desk;

import static kefu.report.ReportFixtures.NEXT_MONDAY;
import static kefu.report.ReportFixtures.at;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import kefu.TestNode;
import kefu.TestServices;
import kefu.config.KefuConfig;
import kefu.report.Period;
import kefu.report.ReportFixtures;
import kefu.report.Reports;
import kefu.store.Database;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The service reports in a real browser, as a supervisor reads them: the notice of the reports made at start, the
 * list reached from the console's bar, last week's report with its charts (trends, distribution, hours, ranking), the
 * problems, bot, follow-ups and days, no policy violation, as printed; the ratings as CSV and the workbook; a range of
 * days with the same page and downloads; a re-run as version 2; and to an agent the pages do not exist. Screenshots:
 * target/desk-report.png, target/desk-report-print.png, target/desk-report-range.png.
 */
class ReportPageTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final String RECORDER = "window.violations = [];"
      + " document.addEventListener('securitypolicyviolation', e => window.violations.push(e.effectiveDirective));";

  @Test
  void aSupervisorReadsLastWeeksReportWithItsChartAndDownloadsTheRatings(@TempDir Path dir) throws Exception {
    TestServices.Chromium chromium = TestServices.chromium();
    KefuConfig config = TestNode.config(dir, Optional.empty());
    long weekly = madeBeforeStart(config);
    try (TestNode node = TestNode.start(config)) {
      // The node makes at start what fell due while it was not running: last week's and last month's reports.
      Period lastMonth = Period.lastDue(Period.Kind.MONTHLY, node.clock().instant(), config.desk().calendar().zone(),
          config.report().monthlyAt());
      await().atMost(WAIT).until(() -> node.count(
          "SELECT COUNT(*) FROM reports WHERE kind = 'monthly' AND period_start = ?", lastMonth.start()) == 1);
      DeskClient.addUser(DeskClient.configFile(dir, config.db().url()), "lina", "李娜", "supervisor");
      DeskClient.addUser(DeskClient.configFile(dir, config.db().url()), "xiaoli", "小李", "agent");
      DeskClient http = new DeskClient(node.port());
      DeskClient.Session agent = http.logIn("xiaoli");
      assertThat(http.get("/desk/reports", agent.cookie()).statusCode()).isEqualTo(404);
      assertThat(http.get("/desk/reports/" + weekly + "/ratings.csv", agent.cookie()).statusCode()).isEqualTo(404);

      DeskClient.Session supervisor = http.logIn("lina");
      HttpResponse<String> csv = http.get("/desk/reports/" + weekly + "/ratings.csv", supervisor.cookie());
      assertThat(csv.statusCode()).isEqualTo(200);
      assertThat(csv.headers().firstValue("Content-Type")).hasValue("text/csv; charset=utf-8");
      assertThat(csv.body()).startsWith("\uFEFF日期,时间,工单,客服,评价,分数").contains("2026-11-16,00:00,");
      assertThat(csv.body().lines().count()).isEqualTo(16);
      assertThat(http.get("/desk/reports/99999", supervisor.cookie()).statusCode()).isEqualTo(404);
      HttpResponse<String> xlsx = http.get("/desk/reports/" + weekly + "/report.xlsx", supervisor.cookie());
      assertThat(xlsx.statusCode()).isEqualTo(200);
      assertThat(xlsx.headers().firstValue("Content-Disposition")).hasValue("attachment; filename=\"weekly-2026-11-16-v1.xlsx\"");
      HttpResponse<String> rangeCsv = http.get("/desk/reports/range/ratings.csv?from=2026-11-16&to=2026-11-22", supervisor.cookie());
      assertThat(rangeCsv.statusCode()).isEqualTo(200);
      assertThat(rangeCsv.headers().firstValue("Content-Disposition")).hasValue("attachment; filename=\"range-2026-11-16-2026-11-22.csv\"");
      assertThat(rangeCsv.body()).isEqualTo(csv.body());
      assertThat(http.get("/desk/reports/range/report.xlsx?from=2026-11-16&to=2026-11-22", supervisor.cookie()).statusCode()).isEqualTo(200);
      assertThat(http.get("/desk/reports/range?from=2026-11-22&to=2026-11-16", supervisor.cookie()).statusCode()).as("backwards").isEqualTo(400);
      assertThat(http.get("/desk/reports/range?from=2025-01-01&to=2026-11-16", supervisor.cookie()).statusCode()).as("too long").isEqualTo(400);
      assertThat(http.get("/desk/reports/range?from=yesterday&to=2026-11-16", supervisor.cookie()).statusCode()).isEqualTo(400);

      ChromeDriver browser = (ChromeDriver) chromium.start(dir, 1280, 1400);
      try {
        browser.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", RECORDER));
        String base = "http://127.0.0.1:" + node.port();
        WebDriverWait wait = new WebDriverWait(browser, WAIT);
        browser.get(base + "/desk/login");
        DeskClient.logIn(browser, wait, base, "lina");
        // The reports the node made at start are in the supervisors' notice, with how they reached the manager: none is set.
        // The lists refresh themselves when the live connection opens: the notice is read as it stands then.
        wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class).until(d -> {
          String notice = d.findElement(By.id("new-reports")).getText();
          return notice.contains("月报：" + lastMonth.start()) && notice.contains("请在此查看");
        });
        browser.findElement(By.id("reports")).click();
        wait.until(ExpectedConditions.urlToBe(base + "/desk/reports"));
        assertThat(browser.findElement(By.id("report-list")).getText()).contains("周报").contains("2026-11-16 至 2026-11-22");
        assertNoViolation(browser);
        browser.findElement(By.id("report-" + weekly)).click();
        wait.until(ExpectedConditions.urlToBe(base + "/desk/reports/" + weekly));

        assertThat(browser.findElement(By.id("report-title")).getText()).isEqualTo("周报：2026-11-16 至 2026-11-22");
        assertThat(browser.findElement(By.id("head-ratings")).getText()).isEqualTo("15");
        assertThat(browser.findElement(By.id("head-mean")).getText()).isEqualTo("0.960");
        WebElement chart = browser.findElement(By.id("ranking-chart"));
        assertThat(chart.findElements(By.tagName("rect"))).hasSize(4).allSatisfy(bar -> assertThat(bar.getSize().getWidth()).isPositive());
        assertThat(chart.findElements(By.cssSelector("g.rank-bar text")).get(0).getText()).isEqualTo("1. 王芳");
        List<WebElement> rows = browser.findElements(By.cssSelector("#ranking tbody tr"));
        assertThat(rows).extracting(WebElement::getText).containsExactly(
            "1 王芳 1.067 3", "2 刘洋 0.975 4", "2 李明 0.975 4", "4 张伟 0.967 3");
        assertThat(browser.findElement(By.id("unranked")).getText()).contains("赵丽 0.750 2");
        assertThat(browser.findElement(By.id("complaints")).getText()).contains("重大投诉").contains("2 天 23 小时").contains("张伟");
        assertThat(browser.findElements(By.cssSelector("#low-scores tbody tr"))).hasSize(3);
        assertThat(browser.findElements(By.cssSelector("#days tbody tr"))).hasSize(7);
        assertThat(browser.findElement(By.id("head-messages")).getText()).isEqualTo("4");
        assertThat(browser.findElement(By.id("head-breaches")).getText()).isEqualTo("3");
        // The charts, drawn by the server: a dot per day with ratings, three lines of volumes, five levels, 24 hours.
        assertThat(browser.findElements(By.cssSelector("#score-trend .score circle"))).hasSize(7);
        assertThat(browser.findElements(By.cssSelector("#volume-trend polyline"))).hasSize(3);
        assertThat(browser.findElements(By.cssSelector("#score-distribution rect.column"))).hasSize(5);
        assertThat(browser.findElement(By.id("score-distribution")).getText()).contains("非常满意").contains("非常不满意");
        assertThat(browser.findElements(By.cssSelector("#hour-chart rect.column"))).hasSize(24);
        assertThat(browser.findElement(By.id("hour-chart")).getText()).contains("9时");
        assertThat(browser.findElement(By.id("breaches")).getText()).contains("投诉回复超时").contains("排队超时");
        assertThat(browser.findElement(By.id("subjects")).getText()).contains("设备修好后又坏了");
        assertThat(browser.findElement(By.id("unanswered")).getText()).contains("能开发票吗");
        assertThat(browser.findElement(By.id("follow-ups")).getText()).contains("4 2 1 2 2");
        assertNoViolation(browser);
        Files.write(Path.of("target", "desk-report.png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
        // As printed (the browser's print to PDF): the console's bar and the buttons are left out.
        browser.executeCdpCommand("Emulation.setEmulatedMedia", Map.of("media", "print"));
        assertThat(browser.findElement(By.id("report-xlsx")).isDisplayed()).isFalse();
        assertThat(browser.findElement(By.id("score-trend")).isDisplayed()).isTrue();
        assertThat(browser.findElements(By.cssSelector("#ranking-chart g.rank-bar"))).hasSize(4).allSatisfy(g -> assertThat(g.isDisplayed()).isTrue());
        Files.write(Path.of("target", "desk-report-print.png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
        browser.executeCdpCommand("Emulation.setEmulatedMedia", Map.of("media", ""));

        browser.get(base + "/desk/reports");
        ((JavascriptExecutor) browser).executeScript("document.getElementById('range-from').value = '2026-11-16';"
            + " document.getElementById('range-to').value = '2026-11-22';");
        browser.findElement(By.id("range-show")).click();
        wait.until(ExpectedConditions.urlContains("/desk/reports/range?"));
        assertThat(browser.findElement(By.id("report-title")).getText()).isEqualTo("自选时段报告：2026-11-16 至 2026-11-22");
        assertThat(browser.findElements(By.cssSelector("#ranking tbody tr"))).extracting(WebElement::getText).containsExactly(
            "1 王芳 1.067 3", "2 刘洋 0.975 4", "2 李明 0.975 4", "4 张伟 0.967 3");
        assertThat(browser.findElements(By.id("rerun"))).isEmpty();
        assertThat(browser.findElement(By.id("report-xlsx")).getAttribute("href")).endsWith("/desk/reports/range/report.xlsx?from=2026-11-16&to=2026-11-22");
        assertNoViolation(browser);
        Files.write(Path.of("target", "desk-report-range.png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
        browser.get(base + "/desk/reports/" + weekly);

        browser.findElement(By.id("rerun")).click();
        wait.until(ExpectedConditions.not(ExpectedConditions.urlToBe(base + "/desk/reports/" + weekly)));
        assertThat(browser.getCurrentUrl()).matches(".*/desk/reports/\\d+$");
        assertThat(browser.findElement(By.id("report-meta")).getText()).startsWith("第 2 版（重新生成）");
        assertThat(browser.findElement(By.id("head-ratings")).getText()).isEqualTo("15");
        assertNoViolation(browser);
      } finally {
        browser.quit();
      }
    }
  }

  /** The fixture's week on the node's database, and its reports made on Monday at 09:00: the weekly one's id. */
  private static long madeBeforeStart(KefuConfig config) throws Exception {
    Vertx vertx = Vertx.vertx();
    try (Database db = Database.open(config.db(), vertx, new SimpleMeterRegistry())) {
      ReportFixtures fixtures = new ReportFixtures();
      db.inTransaction(fixtures::load);
      db.inTransaction(fixtures::loadMore);
      return ReportFixtures.reports(db, config.report()).runDue(at(NEXT_MONDAY, 9, 0)).stream()
          .filter(s -> s.period().kind() == Period.Kind.WEEKLY).findFirst().orElseThrow().id();
    } finally {
      vertx.close().await();
    }
  }

  private static void assertNoViolation(WebDriver browser) {
    assertThat((List<?>) ((JavascriptExecutor) browser).executeScript("return window.violations;")).isEmpty();
  }
}
