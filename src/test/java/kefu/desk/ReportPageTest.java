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
 * The service reports in a real browser, as a supervisor reads them: the list reached from the console's bar, last
 * week's report with its ranking drawn as bars, the problems and the days, no policy violation; the ratings as CSV
 * and the workbook; a re-run as version 2; the reports due made at start; and to an agent the pages do not exist.
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

      ChromeDriver browser = (ChromeDriver) chromium.start(dir, 1280, 1400);
      try {
        browser.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", RECORDER));
        String base = "http://127.0.0.1:" + node.port();
        WebDriverWait wait = new WebDriverWait(browser, WAIT);
        browser.get(base + "/desk/login");
        DeskClient.logIn(browser, wait, base, "lina");
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
        assertThat(chart.findElements(By.cssSelector("g.bar text")).get(0).getText()).isEqualTo("1. 王芳");
        List<WebElement> rows = browser.findElements(By.cssSelector("#ranking tbody tr"));
        assertThat(rows).extracting(WebElement::getText).containsExactly(
            "1 王芳 1.067 3", "2 刘洋 0.975 4", "2 李明 0.975 4", "4 张伟 0.967 3");
        assertThat(browser.findElement(By.id("unranked")).getText()).contains("赵丽 0.750 2");
        assertThat(browser.findElement(By.id("complaints")).getText()).contains("重大投诉").contains("2 天 23 小时").contains("张伟");
        assertThat(browser.findElements(By.cssSelector("#low-scores tbody tr"))).hasSize(3);
        assertThat(browser.findElements(By.cssSelector("#days tbody tr"))).hasSize(7);
        assertNoViolation(browser);
        Files.write(Path.of("target", "desk-report.png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));

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
      db.inTransaction(new ReportFixtures()::load);
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
