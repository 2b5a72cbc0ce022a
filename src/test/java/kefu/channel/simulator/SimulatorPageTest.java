package kefu.channel.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import kefu.App;
import kefu.TestConfigs;
import kefu.TestServices;
import kefu.TestNode;
import kefu.config.KefuConfig;
import kefu.kb.Entry;
import kefu.kb.KnowledgeBaseLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The simulator page in a real browser: a customer is created, writes, and the bot's reply shows; a suggestion
 * menu's buttons are tapped; the account's menu opts out and back in.
 */
class SimulatorPageTest {
  private static final Duration WAIT = Duration.ofSeconds(20);

  @Test
  void aCustomerChatsWithTheBotInTheBrowser(@TempDir Path dir) throws Exception {
    TestServices.Chromium chromium = TestServices.chromium();
    App app = App.start(TestConfigs.embedded(dir));
    WebDriver browser = chromium.start(dir);
    try {
      WebDriverWait wait = chatAs(browser, app, "o-browser-1");
      browser.findElement(By.id("text")).sendKeys("你好");
      browser.findElement(By.id("send")).click();

      WebElement reply = wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#chat li.out .bubble")));
      assertThat(reply.getText()).isEqualTo("您好，很高兴为您服务！请问有什么可以帮您？");
      List<String> customers = browser.findElements(By.cssSelector("#customer-list button")).stream().map(WebElement::getText).toList();
      assertThat(customers).containsExactly("o-browser-1");
      Files.write(Path.of("target", "simulator.png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    } finally {
      browser.quit();
      app.stop();
    }
  }

  @Test
  void aSuggestionSentThroughTheApiIsTappedInTheBrowser(@TempDir Path dir) throws Exception {
    // Proves: with every reply going through the customer-service API (reply budget 0), a suggestion shows as
    // buttons; tapping the second sends its bizmsgmenuid, and the answer of that question appears.
    TestServices.Chromium chromium = TestServices.chromium();
    KefuConfig base = TestConfigs.embedded(dir);
    KefuConfig.Wechat w = base.wechat();
    KefuConfig config = base
        .withPaths(new KefuConfig.Paths(base.paths().dataDir(), Path.of("knowledge-base").toAbsolutePath(), base.paths().templatesDir()))
        .withWechat(new KefuConfig.Wechat(w.account(), w.token(), w.aesKey(), Duration.ZERO, w.serviceTemplateId(), w.quotas()));
    Map<String, String> answers = KnowledgeBaseLoader.load(config.paths().kbDir()).entries().stream()
        .collect(Collectors.toMap(Entry::question, Entry::answer));
    App app = App.start(TestNode.suggestingParaphrases(config));
    WebDriver browser = chromium.start(dir);
    try {
      awaitKnowledgeBase(app);
      browser.get("http://127.0.0.1:" + app.port() + "/simulator");
      WebDriverWait wait = new WebDriverWait(browser, WAIT);
      browser.findElement(By.id("new-openid")).sendKeys("o-browser-menu");
      browser.findElement(By.cssSelector("#new-customer button")).click();
      browser.findElement(By.id("text")).sendKeys("怎么付款呢");
      browser.findElement(By.id("send")).click();

      List<WebElement> choices = wait.until(ExpectedConditions.numberOfElementsToBeMoreThan(By.cssSelector("#chat .choices button"), 1));
      String question = choices.get(1).getText();
      assertThat(answers).as("a question of the sample knowledge base").containsKey(question);
      choices.get(1).click();

      By bubbles = By.cssSelector("#chat li.out .bubble");
      wait.until(ExpectedConditions.numberOfElementsToBe(bubbles, 2));
      assertThat(browser.findElements(bubbles).get(1).getText()).isEqualTo(answers.get(question));
      Files.write(Path.of("target", "simulator-menu.png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    } finally {
      browser.quit();
      app.stop();
    }
  }

  @Test
  void aCustomerOptsOutAndBackByTheMenuInTheBrowser(@TempDir Path dir) throws Exception {
    // Proves: the shipped menu (templates/wechat/menu.yaml) has 退订 and 恢复 under 我的服务; pressing them sends WeChat's
    // CLICK event with the keys kefu acts on, answered with the texts of templates/greeting.yaml.
    TestServices.Chromium chromium = TestServices.chromium();
    App app = App.start(TestConfigs.embedded(dir));
    WebDriver browser = chromium.start(dir);
    try {
      WebDriverWait wait = chatAs(browser, app, "o-browser-opt");

      By bubbles = By.cssSelector("#chat li.out .bubble");
      press(browser, wait, "退订祝福与活动");
      wait.until(ExpectedConditions.numberOfElementsToBe(bubbles, 1));
      assertThat(browser.findElements(bubbles).get(0).getText()).startsWith("已为您退订祝福与活动消息");
      Files.write(Path.of("target", "simulator-opt-out.png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
      press(browser, wait, "恢复祝福与活动");
      wait.until(ExpectedConditions.numberOfElementsToBe(bubbles, 2));
      assertThat(browser.findElements(bubbles).get(1).getText()).startsWith("已为您恢复祝福与活动消息");
    } finally {
      browser.quit();
      app.stop();
    }
  }

  /** Opens the simulator once its menu (from templates/wechat/menu.yaml) shows, and chats as a new customer {@code openid}. */
  private static WebDriverWait chatAs(WebDriver browser, App app, String openid) {
    browser.get("http://127.0.0.1:" + app.port() + "/simulator");
    WebDriverWait wait = new WebDriverWait(browser, WAIT);
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("menu"), "我的服务"));
    browser.findElement(By.id("new-openid")).sendKeys(openid);
    browser.findElement(By.cssSelector("#new-customer button")).click();
    return wait;
  }

  /** Points at 我的服务 (its sub-menu shows while pointed at, as WeChat's pops up) and presses {@code name} in it. */
  private static void press(WebDriver browser, WebDriverWait wait, String name) {
    WebElement menu = browser.findElement(By.xpath("//nav[@id='menu']/div[button[text()='我的服务']]"));
    new Actions(browser).moveToElement(menu.findElement(By.tagName("button"))).perform();
    WebElement item = wait.until(ExpectedConditions.visibilityOf(menu.findElement(By.xpath(".//div[@class='sub']/button[text()='" + name + "']"))));
    new Actions(browser).moveToElement(item).click().perform();
  }

  private static void awaitKnowledgeBase(App app) {
    HttpClient http = HttpClient.newHttpClient();
    URI health = URI.create("http://127.0.0.1:" + app.port() + "/health");
    await().atMost(Duration.ofSeconds(60)).until(() -> new JsonObject(
            http.send(HttpRequest.newBuilder(health).build(), HttpResponse.BodyHandlers.ofString()).body())
        .getJsonObject("checks").getJsonObject("knowledge-base").getString("status").equals("UP"));
  }
}
