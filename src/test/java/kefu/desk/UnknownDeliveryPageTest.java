package kefu.desk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import kefu.TestNode;
import kefu.TestServices;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Messages whose delivery is unknown (their sender stopped while sending them) in the chat pane, in a real browser:
 * marked in the transcript, sent again or recorded as delivered by the agent.
 */
class UnknownDeliveryPageTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final String OF_MESSAGE = "SELECT o.status FROM outbox o JOIN messages m ON m.id = o.message_id WHERE m.text = ?";

  @Test
  void theAgentSeesWhatMayNotHaveArrivedAndSendsItAgainOrMarksItDelivered(@TempDir Path dir) throws Exception {
    TestServices.Chromium chromium = TestServices.chromium();
    try (TestNode node = TestNode.start(TestNode.config(dir, Optional.empty()))) {
      DeskClient.addUser(DeskClient.configFile(dir, node.config().db().url()), "wangfang", "王芳", "agent");
      String openid = "o-unknown";
      node.say(openid, "我要投诉,样片里好几张都拍糊了");
      WebDriver browser = chromium.start(dir, 1280, 900);
      try {
        String base = "http://127.0.0.1:" + node.port();
        // The pane redraws itself when the chat changes: an element found just before may be gone a moment later.
        WebDriverWait wait = new WebDriverWait(browser, WAIT);
        wait.ignoring(StaleElementReferenceException.class);
        browser.get(base + "/desk/login");
        DeskClient.logIn(browser, wait, base, "wangfang");
        // Once the page is live it no longer redraws the queue under the click.
        wait.until(ExpectedConditions.attributeToBe(By.tagName("body"), "data-live", "on"));
        browser.findElement(By.cssSelector("#queue tbody tr button.accept")).click();
        wait.until(ExpectedConditions.urlMatches("/desk/tickets/\\d+$"));
        String pane = browser.getCurrentUrl();
        for (String reply : new String[] {"您好,我马上帮您查看样片", "已为您安排重新精修"}) {
          browser.findElement(By.id("reply-text")).sendKeys(reply);
          browser.findElement(By.id("send")).click();
          await().atMost(WAIT).until(() -> "sent".equals(node.one(String.class, OF_MESSAGE, reply)));
        }
        assertThat(times(node, openid, "您好,我马上帮您查看样片")).isEqualTo(1);
        // As a node killed during the calls leaves them: the sender taking over marks them unknown.
        node.execute("UPDATE outbox SET status = 'unknown', error = 'the sender stopped while it was being sent'"
            + " WHERE message_id IN (SELECT id FROM messages WHERE text IN (?, ?))", "您好,我马上帮您查看样片", "已为您安排重新精修");

        browser.get(pane);
        wait.until(ExpectedConditions.numberOfElementsToBe(By.className("unknown-delivery"), 2));
        WebElement first = browser.findElements(By.className("unknown-delivery")).get(0);
        assertThat(first.getText()).contains("可能未送达客户").contains("重新发送").contains("已送达");
        screenshot(browser, "desk-unknown-delivery");

        // Sent again: it goes to WeChat once more and the mark goes.
        first.findElement(By.cssSelector("button[value=resend]")).click();
        wait.until(ExpectedConditions.numberOfElementsToBe(By.className("unknown-delivery"), 1));
        await().atMost(WAIT).until(() -> times(node, openid, "您好,我马上帮您查看样片") == 2);
        assertThat(node.one(String.class, OF_MESSAGE, "您好,我马上帮您查看样片")).isEqualTo("sent");

        // Marked delivered: recorded as sent, nothing goes to WeChat.
        browser.findElement(By.cssSelector(".unknown-delivery button[value=delivered]")).click();
        wait.until(ExpectedConditions.numberOfElementsToBe(By.className("unknown-delivery"), 0));
        assertThat(node.one(String.class, OF_MESSAGE, "已为您安排重新精修")).isEqualTo("sent");
        assertThat(times(node, openid, "已为您安排重新精修")).isEqualTo(1);
      } finally {
        browser.quit();
      }
    }
  }

  /** How many times {@code text} went to {@code openid} through the stand-in's customer-service API. */
  private static long times(TestNode node, String openid, String text) throws Exception {
    return node.sent(openid).stream()
        .filter(m -> text.equals(m.getJsonObject("message").getJsonObject("text", new JsonObject()).getString("content")))
        .count();
  }

  private static void screenshot(WebDriver browser, String name) throws Exception {
    byte[] png = ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES);
    Files.write(Path.of("target", name + "-1280.png"), png);
  }
}
