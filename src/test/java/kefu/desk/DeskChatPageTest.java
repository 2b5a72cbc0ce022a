package kefu.desk;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import kefu.TestNode;
import kefu.TestServices;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The console as a newcomer meets it on a laptop's screen (1280 × 900): their own presence labelled apart from the
 * page's live connection, the queue showing what the customer wrote, the reply box in view beside a long
 * conversation, and the 服务忌语 warning lasting exactly as long as the phrase does.
 */
class DeskChatPageTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final String COMPLAINT = "我要投诉,样片里好几张都拍糊了";

  @Test
  void aNewcomerSeesTheirPresenceTheCustomersWordsAndTheReplyBox(@TempDir Path dir) throws Exception {
    TestServices.Chromium chromium = TestServices.chromium();
    try (TestNode node = TestNode.start(TestNode.config(dir, Optional.empty()))) {
      DeskClient.addUser(DeskClient.configFile(dir, node.config().db().url()), "wangfang", "王芳", "agent");
      String openid = "o-blurred";
      node.say(openid, COMPLAINT);
      WebDriver browser = chromium.start(dir, 1280, 900);
      try {
        String base = "http://127.0.0.1:" + node.port();
        WebDriverWait wait = new WebDriverWait(browser, WAIT);
        browser.get(base + "/desk/login");
        DeskClient.logIn(browser, wait, base, "wangfang");

        // Logged in, the agent is offline, and the bar says so in words; the live connection is a labelled badge.
        assertThat(browser.findElement(By.id("presence-form")).getText())
            .contains("我的接待状态").contains("离线").contains("不会自动分配新客户");
        wait.until(ExpectedConditions.attributeToBe(By.tagName("body"), "data-live", "on"));
        WebElement live = browser.findElement(By.id("live"));
        assertThat(live.getText()).isEqualTo("实时连接正常");
        assertThat(live.getAttribute("title")).contains("不是您的接待状态");

        // The queue shows the complaint in the customer's words.
        WebElement row = browser.findElement(By.cssSelector("#queue tbody tr"));
        assertThat(row.findElement(By.className("last-words")).getText()).isEqualTo(COMPLAINT);
        assertThat(row.getText()).contains("投诉").doesNotContain("图片、语音等消息");
        screenshot(browser, "desk-queue");

        row.findElement(By.cssSelector("button.accept")).click();
        wait.until(ExpectedConditions.urlMatches("/desk/tickets/\\d+$"));
        for (int i = 1; i <= 30; i++) {
          node.post(node.wechat().text(openid, "第 " + i + " 张样片也有点糊,请帮我看一下"));
        }
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("transcript"), "第 30 张"));

        // The transcript scrolls in its own box; the reply box is in view without scrolling the page.
        JavascriptExecutor js = (JavascriptExecutor) browser;
        assertThat((Boolean) js.executeScript("const t = arguments[0]; return t.scrollHeight > t.clientHeight;",
            browser.findElement(By.id("transcript")))).as("the transcript overflows its box").isTrue();
        assertThat((Boolean) js.executeScript("const r = arguments[0].getBoundingClientRect();"
            + " return window.scrollY === 0 && r.top >= 0 && r.bottom <= window.innerHeight && r.right <= window.innerWidth;",
            browser.findElement(By.id("reply-text")))).as("the reply box is within the viewport").isTrue();

        // The taboo warning goes when the agent takes the phrase out, by hand or with a canned reply.
        WebElement text = browser.findElement(By.id("reply-text"));
        WebElement warning = browser.findElement(By.id("taboo-warning"));
        text.sendKeys("这个我不知道呀");
        browser.findElement(By.id("send")).click();
        wait.until(ExpectedConditions.visibilityOf(warning));
        text.sendKeys(Keys.BACK_SPACE);
        assertThat(warning.isDisplayed()).as("the reply edited, the phrase still in it").isTrue();
        text.sendKeys(Keys.BACK_SPACE);
        wait.until(ExpectedConditions.invisibilityOf(warning));
        assertThat(browser.findElement(By.id("confirmed")).getAttribute("value")).isEmpty();

        text.sendKeys("不知道");
        browser.findElement(By.id("send")).click();
        wait.until(ExpectedConditions.visibilityOf(warning));
        screenshot(browser, "desk-chat");
        browser.findElement(By.cssSelector("#canned .use-canned")).click();
        wait.until(ExpectedConditions.invisibilityOf(warning));
        assertThat(browser.findElement(By.id("confirmed")).getAttribute("value")).isEmpty();

        // Coming online is a choice the bar confirms in words.
        new Select(browser.findElement(By.id("presence"))).selectByValue("online");
        wait.until(ExpectedConditions.textToBe(By.id("presence-hint"), "新客户会自动分配给您"));
        assertThat(browser.findElement(By.id("presence-form")).getAttribute("class")).contains("online");
        assertThat(node.one(String.class, "SELECT presence FROM agents WHERE login = 'wangfang'")).isEqualTo("online");
      } finally {
        browser.quit();
      }
    }
  }

  /** Keeps a screenshot as {@code name}.png in the temp directory, and beside DeskPageTest's (at 1100 wide) in target/. */
  private static void screenshot(WebDriver browser, String name) throws Exception {
    byte[] png = ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES);
    Files.write(Path.of(System.getProperty("java.io.tmpdir"), name + ".png"), png);
    Files.write(Path.of("target", name + "-1280.png"), png);
  }
}
