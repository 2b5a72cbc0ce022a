package kefu.desk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import kefu.TestNode;
import kefu.TestServices;
import kefu.config.KefuConfig;
import kefu.kb.Entry;
import kefu.kb.FaqIndex;
import kefu.kb.KnowledgeBaseLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A node started with a broken knowledge base: it answers from every good file and from the last good version of
 * the broken one, says which file and line is broken on /health and in a supervisor's console, and, restarted with
 * nothing it can build, answers from the index the last run left.
 */
class KnowledgeBaseStartTest {
  private static final String PRICE_QUESTION = "套系价格能再便宜一点吗？";
  private static final String INVOICE_QUESTION = "维修费和耗材可以开发票吗？怎么开？";

  @TempDir Path dir;

  @Test
  void aBrokenFileAtStartTakesOutOnlyItsEditAndIsShownWithItsLine() throws Exception {
    Map<String, Entry> entries = sampleEntries();
    KefuConfig config = firstRunOnTheSample();
    Path price = dir.resolve("knowledge-base/studio-price.yaml");
    // A colon in a question without quotes, on line 4: the whole file is no longer YAML.
    Files.writeString(price, Files.readString(price).replace("还有其他额外费用吗？", "还有其他额外费用吗？: 比如"));
    Files.writeString(dir.resolve("knowledge-base/studio-new.yaml"), "topic: 新\nentries:\n  - id: studio-new\n");

    try (TestNode node = TestNode.start(config)) {
      node.awaitKnowledgeBase();

      assertThat(node.say("o-kb-1", PRICE_QUESTION)).isEqualTo(entries.get(PRICE_QUESTION).answer());
      assertThat(node.say("o-kb-1", INVOICE_QUESTION)).isEqualTo(entries.get(INVOICE_QUESTION).answer());
      JsonObject kb = knowledgeBaseHealth(node);
      assertThat(kb.getString("status")).isEqualTo("UP");
      Path added = dir.resolve("knowledge-base/studio-new.yaml");
      assertThat(kb.getJsonArray("problems").getList()).containsExactly(
          added + ":3: entry studio-new has no question",
          added + ":3: entry studio-new has no answer",
          price + ":4: not valid YAML: mapping values are not allowed here");

      DeskClient.addUser(DeskClient.configFile(dir, config.db().url()), "lina", "李娜", "supervisor");
      DeskClient.addUser(DeskClient.configFile(dir, config.db().url()), "wangfang", "王芳", "agent");
      WebDriver browser = TestServices.chromium().start(dir);
      try {
        String base = "http://127.0.0.1:" + node.port();
        login(browser, base, "lina");
        // The lists redraw live: the section is found afresh on each try.
        String shown = new WebDriverWait(browser, Duration.ofSeconds(20)).ignoring(StaleElementReferenceException.class)
            .until(b -> b.findElement(By.id("kb-problems")).getText());
        assertThat(shown.lines()).contains("studio-new.yaml 第 3 行：entry studio-new has no question",
            "studio-new.yaml 第 3 行：entry studio-new has no answer",
            "studio-price.yaml 第 4 行：not valid YAML: mapping values are not allowed here");
        Files.write(Path.of("target", "desk-kb-problems.png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
        browser.findElement(By.id("logout")).click();
        // An agent cannot fix the files: their console does not show them.
        login(browser, base, "wangfang");
        assertThat(browser.findElements(By.id("team"))).isEmpty();
        assertThat(browser.findElements(By.id("kb-problems"))).isEmpty();
      } finally {
        browser.quit();
      }
    }
  }

  @Test
  void aRestartAnswersFromTheLastIndexAtOnceAndWhileNothingNewCanBeBuilt() throws Exception {
    Map<String, Entry> entries = sampleEntries();
    KefuConfig config = firstRunOnTheSample();
    // No file left that was ever good: the new build cannot complete, and the last index is all there is.
    FaqIndex.deleteTree(dir.resolve("knowledge-base"));
    FaqIndex.deleteTree(dir.resolve("data/kb-index/last-good"));
    Files.createDirectories(dir.resolve("knowledge-base"));
    Files.writeString(dir.resolve("knowledge-base/broken.yaml"), "topic: [\n");

    try (TestNode node = TestNode.start(config)) {
      // No wait: the last index is open before the node serves its first request.
      assertThat(node.say("o-kb-2", PRICE_QUESTION)).isEqualTo(entries.get(PRICE_QUESTION).answer());
      assertThat(knowledgeBaseHealth(node).getString("status")).isEqualTo("UP");

      await().atMost(Duration.ofSeconds(60)).until(() -> knowledgeBaseHealth(node).containsKey("problems"));
      JsonObject kb = knowledgeBaseHealth(node);
      assertThat(kb.getString("status")).isEqualTo("UP");
      assertThat(kb.getJsonArray("problems").getList()).singleElement().asString()
          .startsWith(dir.resolve("knowledge-base/broken.yaml") + ":2: not valid YAML");
    }
  }

  /** A node's configuration on {@code dir}, after a first run there on the sample knowledge base. */
  private KefuConfig firstRunOnTheSample() throws Exception {
    KefuConfig config = TestNode.config(dir, Optional.empty());
    TestNode.copySampleKnowledgeBase(dir);
    try (TestNode first = TestNode.start(config)) {
      first.awaitKnowledgeBase();
    }
    return config;
  }

  private static Map<String, Entry> sampleEntries() throws Exception {
    return KnowledgeBaseLoader.load(Path.of("knowledge-base")).entries().stream()
        .collect(Collectors.toMap(Entry::question, Function.identity()));
  }

  private static JsonObject knowledgeBaseHealth(TestNode node) throws Exception {
    return new JsonObject(node.get("/health").body()).getJsonObject("checks").getJsonObject("knowledge-base");
  }

  private static void login(WebDriver browser, String base, String login) {
    WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));
    browser.get(base + "/desk");
    wait.until(ExpectedConditions.urlToBe(base + "/desk/login"));
    DeskClient.logIn(browser, wait, base, login);
  }
}
