package kefu.desk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import kefu.TestConfigs;
import kefu.TestDatabases;
import kefu.TestNode;
import kefu.TestServices;
import kefu.config.KefuConfig;
import kefu.gaps.GapFixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two nodes sharing PostgreSQL and Redis, each with its own copy of the knowledge base's files: a question a customer
 * asked node B is added as a similar question at node A's console, and both nodes answer it after their next build.
 */
class TwoNodeKbGapsTest {
  private static final Pattern IDS = Pattern.compile("name=\"ids\" value=\"([\\d,]+)\"");
  private static final String QUESTION = "礼拜天开门吗";

  @Test
  void aSimilarQuestionAddedAtOneNodesConsoleIsAnsweredByBoth(@TempDir Path dir) throws Exception {
    KefuConfig.Db db = TestDatabases.postgres();
    KefuConfig.Redis redis = TestConfigs.redis(TestServices.redisUrl());
    GapFixtures.writeKnowledgeBase(dir.resolve("a"));
    GapFixtures.writeKnowledgeBase(dir.resolve("b"));
    try (TestNode a = GapFixtures.started(TestNode.shared(dir.resolve("a"), "node-a", db, redis));
        TestNode b = GapFixtures.started(TestNode.shared(dir.resolve("b"), "node-b", db, redis))) {
      DeskClient.addUser(DeskClient.configFile(dir, db.url()), "lina", "李娜", "supervisor");
      assertThat(b.say("o-sunday", QUESTION)).isNotEqualTo(GapFixtures.HOURS_ANSWER);
      b.say("o-sunday", "你好"); // a suggestion, if that is what it got, is not picked

      DeskClient desk = new DeskClient(a.port());
      DeskClient.Session lina = desk.logIn("lina");
      String page = desk.get("/desk/kb/gaps", lina.cookie()).body();
      int at = page.indexOf("<span class=\"wording\">" + QUESTION + "</span>");
      assertThat(at).as("the question asked at node B, on node A's page").isNotNegative();
      Matcher ids = IDS.matcher(page);
      assertThat(ids.find(at)).isTrue();
      assertThat(desk.post("/desk/kb/gaps/similar", lina, Map.of("ids", ids.group(1), "entry", "hours", "question", QUESTION))
          .statusCode()).isEqualTo(303);

      await().atMost(Duration.ofSeconds(30)).until(() -> a.say("o-sunday-a", QUESTION).equals(GapFixtures.HOURS_ANSWER));
      await().atMost(Duration.ofSeconds(30)).until(() -> b.say("o-sunday-b", QUESTION).equals(GapFixtures.HOURS_ANSWER));
    } finally {
      TestDatabases.dropPostgres(db);
    }
  }
}
