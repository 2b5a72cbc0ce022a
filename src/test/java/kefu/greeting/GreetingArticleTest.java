package kefu.greeting;

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
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
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
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A greeting plan whose message is an article (图文), through a whole node and the WeChat stand-in: inside the window a
 * customer-service news card with the customer's name, its cover uploaded for its address; outside it the article
 * uploaded (cover as thumb, then media/uploadnews) and mass-sent by its media_id, to a list and to a single celebrant
 * by tag; how to opt out ends both; the simulator shows the card.
 */
class GreetingArticleTest {
  private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
  private static final OffsetDateTime CREATED = OffsetDateTime.now(ZoneOffset.UTC);
  private static final Path COVER = Path.of("templates", "greetings", "covers", "spring-festival.jpg");

  /** A node whose birthday plan (non-members) greets with the shipped spring festival article. */
  private static TestNode node(Path dir) throws Exception {
    Path templates = TestNode.copyTemplates(dir);
    Path plan = templates.resolve("greetings").resolve("birthday.yaml");
    Files.writeString(plan, Files.readString(plan).replace("message: greeting.birthday", "article: greeting.spring-festival-article"));
    KefuConfig config = TestNode.config(dir, Optional.empty());
    TestNode node = TestNode.start(config.withPaths(new KefuConfig.Paths(config.paths().dataDir(), config.paths().kbDir(), templates)));
    // The greetings run at 10:30 today: in the past, whatever the hour the test runs at.
    node.clock().notBefore(LocalTime.of(11, 0));
    return node;
  }

  private static void record(TestNode node, long customer, String reference, LocalDate birthday) throws Exception {
    node.execute("INSERT INTO customer_records (reference, line, customer_id, name, member, birthday_month, birthday_day, link_code,"
        + " created_at, updated_at) VALUES (?, 'studio', ?, '周女士', FALSE, ?, ?, ?, ?, ?)", reference, customer, birthday.getMonthValue(),
        birthday.getDayOfMonth(), "q" + reference, CREATED, CREATED);
  }

  private static long follower(TestNode node, String openid) throws Exception {
    node.execute("INSERT INTO customers (openid, subscribed, created_at, updated_at) VALUES (?, TRUE, ?, ?)", openid, CREATED, CREATED);
    return node.count("SELECT id FROM customers WHERE openid = ?", openid);
  }

  private static byte[] picture(TestNode node, String url) throws Exception {
    URI uri = URI.create(url.startsWith("http") ? url : "http://127.0.0.1:" + node.port() + url);
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofByteArray()).body();
  }

  private static JsonObject only(TestNode node, String openid, String channel) throws Exception {
    List<JsonObject> sent = node.sent(openid).stream().filter(m -> m.getString("channel").equals(channel)).toList();
    assertThat(sent).hasSize(1);
    return sent.get(0).getJsonObject("message");
  }

  @Test
  void insideTheWindowTheArticleIsANewsCardWithTheNameAndHowToOptOut(@TempDir Path dir) throws Exception {
    try (TestNode node = node(dir)) {
      node.say("o-article-window", "你好");
      LocalDate today = node.clock().instant().atZone(SHANGHAI).toLocalDate();
      record(node, node.count("SELECT id FROM customers WHERE openid = 'o-article-window'"), "A-1", today);

      node.greetings().runDue(today.atTime(10, 30).atZone(SHANGHAI).toInstant());

      await().atMost(Duration.ofSeconds(20)).until(() -> node.sent("o-article-window").stream()
          .anyMatch(m -> "news".equals(m.getJsonObject("message").getString("msgtype"))));
      JsonObject card = only(node, "o-article-window", "service").getJsonObject("news").getJsonArray("articles").getJsonObject(0);
      assertThat(card.getString("title")).isEqualTo("新春快乐，阖家幸福");
      assertThat(card.getString("description")).startsWith("周女士您好！").endsWith("请回复“退订”。");
      assertThat(card.getString("url")).isEqualTo("https://example.com/greetings/spring-festival");
      assertThat(picture(node, card.getString("picurl"))).as("the cover, uploaded for its address").isEqualTo(Files.readAllBytes(COVER));
      assertThat(node.count("SELECT COUNT(*) FROM mass_sends")).as("no mass slot used").isZero();
      // The chat keeps what went, as an agent reads it.
      assertThat(node.one(String.class, "SELECT m.type FROM messages m JOIN conversations v ON v.id = m.conversation_id"
          + " JOIN customers c ON c.id = v.customer_id WHERE c.openid = 'o-article-window' AND m.direction = 'out' ORDER BY m.id DESC"
          + " FETCH FIRST 1 ROWS ONLY")).isEqualTo("news");
    }
  }

  @Test
  void outsideTheWindowTheArticleIsUploadedAndMassSentByItsMediaIdToAListAndByTag(@TempDir Path dir) throws Exception {
    try (TestNode node = node(dir)) {
      LocalDate today = node.clock().instant().atZone(SHANGHAI).toLocalDate();
      record(node, follower(node, "o-article-1"), "A-2", today);
      record(node, follower(node, "o-article-2"), "A-3", today);
      record(node, follower(node, "o-article-alone"), "A-4", today.plusDays(1));

      assertThat(node.greetings().runDue(today.atTime(10, 30).atZone(SHANGHAI).toInstant()).mass()).isEqualTo(2);
      await().atMost(Duration.ofSeconds(20)).until(() -> node.count("SELECT COUNT(*) FROM mass_sends WHERE status = 'finished'") == 1);
      JsonObject listed = only(node, "o-article-1", "mass");
      assertThat(listed.getString("msgtype")).isEqualTo("mpnews");
      assertThat(listed.getJsonObject("mpnews").getString("media_id")).isEqualTo(node.one(String.class, "SELECT media_id FROM mass_sends"));
      JsonObject article = listed.getJsonArray("articles").getJsonObject(0);
      assertThat(article.getString("title")).isEqualTo("新春快乐，阖家幸福");
      // One article goes to many: no name, and how to opt out at the end of its digest and of its content.
      assertThat(article.getString("content")).startsWith("<p>尊敬的客户您好！</p>").endsWith("<p>如不希望再收到祝福与活动消息，请回复“退订”。</p>");
      assertThat(article.getString("digest")).startsWith("尊敬的客户您好！").endsWith("请回复“退订”。");
      assertThat(article.getString("content_source_url")).isEqualTo("https://example.com/greetings/spring-festival");
      assertThat(picture(node, article.getString("cover"))).as("the thumb is the cover").isEqualTo(Files.readAllBytes(COVER));
      assertThat(only(node, "o-article-2", "mass").getString("msgtype")).isEqualTo("mpnews");

      assertThat(node.greetings().runDue(today.plusDays(1).atTime(10, 30).atZone(SHANGHAI).toInstant()).mass()).isEqualTo(1);
      await().atMost(Duration.ofSeconds(20)).until(() -> node.count("SELECT COUNT(*) FROM mass_sends WHERE status = 'finished'") == 2);
      JsonObject tagged = only(node, "o-article-alone", "mass");
      assertThat(tagged.getString("msgtype")).isEqualTo("mpnews");
      assertThat(tagged.getJsonObject("filter").getBoolean("is_to_all")).isFalse();
      assertThat(node.column(String.class, "SELECT target FROM mass_sends ORDER BY id")).containsExactly("list", "tag");
    }
  }

  @Test
  void theSimulatorShowsTheMassArticleAsWechatDoes(@TempDir Path dir) throws Exception {
    // Proves: what the stand-in took is shown on the simulator page as a card with the cover, the title and the digest,
    // which opens to the article's content.
    TestServices.Chromium chromium = TestServices.chromium();
    try (TestNode node = node(dir)) {
      LocalDate today = node.clock().instant().atZone(SHANGHAI).toLocalDate();
      record(node, follower(node, "o-article-page"), "A-5", today);
      record(node, follower(node, "o-article-other"), "A-6", today);
      node.greetings().runDue(today.atTime(10, 30).atZone(SHANGHAI).toInstant());
      await().atMost(Duration.ofSeconds(20)).until(() -> !node.sent("o-article-page").isEmpty());

      WebDriver browser = chromium.start(dir);
      try {
        browser.get("http://127.0.0.1:" + node.port() + "/simulator");
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));
        browser.findElement(By.id("new-openid")).sendKeys("o-article-page");
        browser.findElement(By.cssSelector("#new-customer button")).click();
        WebElement card = wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#chat li.article")));
        assertThat(card.findElement(By.tagName("h3")).getText()).isEqualTo("新春快乐，阖家幸福");
        assertThat(card.findElement(By.className("digest")).getText()).startsWith("尊敬的客户您好！");
        assertThat(card.findElement(By.className("via")).getText()).isEqualTo("群发消息 · 图文");
        WebElement cover = card.findElement(By.tagName("img"));
        wait.until(d -> (Boolean) ((JavascriptExecutor) d).executeScript("return arguments[0].complete && arguments[0].naturalWidth > 0", cover));
        card.findElement(By.className("read")).click();
        assertThat(card.findElement(By.className("content")).getText()).contains("尊敬的客户您好！").endsWith("请回复“退订”。");
        Files.write(Path.of("target", "simulator-article.png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
      } finally {
        browser.quit();
      }
    }
  }
}
