package kefu.gaps;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import kefu.TestNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each signal of a question the knowledge base lacks is recorded with the turn that shows it, through {@code /wechat}
 * on a node: the fallback, a suggestion not picked, an answer followed by 转人工 or by the same question; and a turn
 * that shows none records none. The day's figures count the same turns.
 */
class GapSignalsTest {
  private static final String GAPS_OF = "SELECT g.kind || ':' || g.question || ':' || COALESCE(g.entry_id, '-') FROM kb_gaps g"
      + " JOIN conversations v ON v.id = g.conversation_id JOIN customers c ON c.id = v.customer_id WHERE c.openid = ? ORDER BY g.id";
  private static final AtomicInteger CUSTOMERS = new AtomicInteger();

  @TempDir static Path dir;
  static TestNode node;

  @BeforeAll
  static void start() throws Exception {
    node = GapFixtures.start(dir);
  }

  @AfterAll
  static void stop() {
    if (node != null) {
      node.close();
    }
  }

  private static String customer() {
    return "o-gap-" + CUSTOMERS.incrementAndGet();
  }

  private static List<String> gaps(String openid) throws Exception {
    return node.column(String.class, GAPS_OF, openid);
  }

  @Test
  void aQuestionThatEndsInTheFallbackIsRecordedWithTheNearestEntry() throws Exception {
    String openid = customer();
    node.say(openid, GapFixtures.UNANSWERABLE);
    node.say(openid, GapFixtures.NEAR_MISS);
    assertThat(gaps(openid)).containsExactly("fallback:qwerty:-", "fallback:几点关门:hours");
    assertThat(node.one(Double.class, "SELECT confidence FROM kb_gaps WHERE question = ?", GapFixtures.NEAR_MISS)).isBetween(0.0, 0.5);
  }

  @Test
  void aSuggestionTheNextMessageDoesNotPickIsRecorded() throws Exception {
    String openid = customer();
    assertThat(node.say(openid, GapFixtures.SUGGESTED)).contains("婚纱照套餐价格是多少");
    node.say(openid, "你好");
    assertThat(gaps(openid)).containsExactly("ignored:婚纱照多少钱:price");
  }

  @Test
  void aSuggestionPickedIsNoGap() throws Exception {
    String openid = customer();
    node.say(openid, GapFixtures.SUGGESTED);
    assertThat(node.say(openid, "1")).isEqualTo("您好，套餐从三千九百元起。");
    assertThat(gaps(openid)).isEmpty();
    assertThat(node.column(String.class, "SELECT followed_by FROM bot_questions WHERE question = ? AND followed_by IS NOT NULL",
        GapFixtures.SUGGESTED)).contains("pick");
  }

  @Test
  void theOneQuestionAskedAboutConfirmedIsNoGapAndDeniedIsOne() throws Exception {
    String yes = customer();
    node.say(yes, GapFixtures.SUGGESTED);
    assertThat(node.say(yes, "是的")).isEqualTo("您好，套餐从三千九百元起。");
    assertThat(gaps(yes)).isEmpty();
    String no = customer();
    node.say(no, GapFixtures.SUGGESTED);
    node.say(no, "不是");
    assertThat(gaps(no)).containsExactly("ignored:婚纱照多少钱:price");
  }

  @Test
  void anAnswerFollowedAtOnceByARequestForAPersonIsRecorded() throws Exception {
    String openid = customer();
    assertThat(node.say(openid, GapFixtures.HOURS)).isEqualTo(GapFixtures.HOURS_ANSWER);
    node.say(openid, "转人工");
    assertThat(gaps(openid)).containsExactly("handoff:你们几点开门:hours");
  }

  @Test
  void anAnswerFollowedByTheSameQuestionIsRecorded() throws Exception {
    String openid = customer();
    node.say(openid, GapFixtures.HOURS);
    assertThat(node.say(openid, GapFixtures.HOURS + "？")).isEqualTo(GapFixtures.HOURS_ANSWER);
    assertThat(gaps(openid)).containsExactly("again:你们几点开门:hours");
  }

  @Test
  void anAnswerTheCustomerThanksForIsNoGap() throws Exception {
    String openid = customer();
    node.say(openid, GapFixtures.HOURS);
    node.say(openid, "谢谢");
    node.say(openid, "你好");
    assertThat(gaps(openid)).isEmpty();
  }

  @Test
  void theDaysFiguresCountWhatTheBotDidAndWhatFollowed(@TempDir Path own) throws Exception {
    try (TestNode counted = GapFixtures.start(own)) {
      counted.say("o-a", GapFixtures.HOURS);         // answered
      counted.say("o-a", "转人工");                     // … then a person: a handoff after the bot's turn
      counted.say("o-b", GapFixtures.SUGGESTED);     // suggested
      counted.say("o-b", "1");                        // … and picked
      counted.say("o-c", GapFixtures.SUGGESTED);     // suggested, not picked
      counted.say("o-c", GapFixtures.UNANSWERABLE);  // a fallback
      counted.say("o-c", GapFixtures.UNANSWERABLE);  // a fallback, and the bot hands over: a handoff
      try (Connection c = DriverManager.getConnection(counted.config().db().url(), counted.config().db().user(),
          counted.config().db().password())) {
        LocalDate today = LocalDate.now(counted.clock());
        BotQuestions.Day day = new BotQuestions().day(c, today, counted.clock().getZone());
        assertThat(day).isEqualTo(new BotQuestions.Day(today, 5, 1, 2, 1, 2, 2));
        assertThat(new BotQuestions().day(c, today.minusDays(1), counted.clock().getZone()))
            .isEqualTo(new BotQuestions.Day(today.minusDays(1), 0, 0, 0, 0, 0, 0));
      }
      String metrics = counted.get("/metrics").body();
      assertThat(metrics).contains("kefu_kb_entries 3.0").contains("kefu_kb_questions 6.0")
          .contains("kefu_bot_today{figure=\"questions\"}").containsPattern("kefu_kb_built_timestamp_seconds \\d");
    }
  }
}
