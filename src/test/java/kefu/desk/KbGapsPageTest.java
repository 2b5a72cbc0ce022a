package kefu.desk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import kefu.TestNode;
import kefu.TestServices;
import kefu.gaps.GapFixtures;
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
 * The page of the questions the knowledge base lacks in a real browser, as a supervisor uses it: reached from the
 * console's bar, the groups largest first with their signals and the day's figures, no policy violation, and a
 * suggestion the customers passed over added as a similar question — answered after the next build.
 */
class KbGapsPageTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final String RECORDER = "window.violations = [];"
      + " document.addEventListener('securitypolicyviolation', e => window.violations.push(e.effectiveDirective));";

  @Test
  void aSupervisorSeesTheGroupsAndAddsAQuestionToAnEntry(@TempDir Path dir) throws Exception {
    TestServices.Chromium chromium = TestServices.chromium();
    try (TestNode node = GapFixtures.start(dir)) {
      DeskClient.addUser(DeskClient.configFile(dir, node.config().db().url()), "lina", "李娜", "supervisor");
      node.say("o-page-1", "有停车位吗");
      node.say("o-page-2", "有停車位嗎");
      node.say("o-page-3", "有停车位吗");
      node.say("o-page-4", "可以刷卡吗");
      for (String openid : List.of("o-page-5", "o-page-6")) {
        node.say(openid, GapFixtures.SUGGESTED);
        node.say(openid, "你好");
      }
      ChromeDriver browser = (ChromeDriver) chromium.start(dir, 1280, 1000);
      try {
        browser.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", RECORDER));
        String base = "http://127.0.0.1:" + node.port();
        WebDriverWait wait = new WebDriverWait(browser, WAIT);
        browser.get(base + "/desk/login");
        DeskClient.logIn(browser, wait, base, "lina");
        browser.findElement(By.id("kb-gaps")).click();
        wait.until(ExpectedConditions.urlToBe(base + "/desk/kb/gaps"));

        List<WebElement> groups = browser.findElements(By.className("gap-cluster"));
        assertThat(groups).extracting(g -> g.findElement(By.className("wording")).getText())
            .containsExactly("有停车位吗", GapFixtures.SUGGESTED, "可以刷卡吗");
        assertThat(groups.get(0).findElement(By.className("count")).getText()).isEqualTo("3");
        assertThat(groups.get(1).getText()).contains("推荐问题未被选用 2").contains("婚纱照套餐价格是多少？").contains("置信度");
        assertThat(browser.findElements(By.cssSelector("#bot-days tbody tr"))).hasSize(7);
        assertThat(browser.findElement(By.cssSelector("#bot-days tbody tr")).getText()).startsWith(
            java.time.LocalDate.now(node.clock()) + " 6 0 2 0 4 0");
        assertNoViolation(browser);
        screenshot(browser, "desk-kb-gaps");

        WebElement suggested = groups.get(1);
        suggested.findElement(By.cssSelector(".gap-action summary")).click();
        WebElement form = suggested.findElement(By.className("similar-form"));
        assertThat(form.findElement(By.name("entry")).getAttribute("value")).as("the nearest entry, offered").isEqualTo("price");
        form.findElement(By.tagName("button")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("gap-done")));
        assertThat(browser.findElements(By.className("wording"))).extracting(WebElement::getText)
            .containsExactly("有停车位吗", "可以刷卡吗");
        assertNoViolation(browser);
        await().atMost(WAIT).until(() -> node.say("o-page-7", GapFixtures.SUGGESTED).equals("您好，套餐从三千九百元起。"));
      } finally {
        browser.quit();
      }
    }
  }

  private static void assertNoViolation(WebDriver browser) {
    assertThat((List<?>) ((JavascriptExecutor) browser).executeScript("return window.violations;")).isEmpty();
  }

  private static void screenshot(WebDriver browser, String name) throws Exception {
    Files.write(Path.of("target", name + ".png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
  }
}
