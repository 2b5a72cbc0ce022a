package kefu.survey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import kefu.TestDatabases;
import kefu.TestNode;
import kefu.config.BusinessCalendar;
import kefu.config.KefuConfig;
import kefu.template.Templates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * The repair survey over the WeChat webhook, as a customer answers it: the journey step asks it inside the 48-hour
 * window, one question at a time (a menu through the API, a numbered text in the passive reply); the customer asks a
 * question in between and is asked again, taps or types the levels, and a low score opens a complaint; 退出 stops a
 * survey and expiry ends one, each keeping the answers given; a restart in the middle goes on where it was. On H2 and
 * on PostgreSQL.
 */
class SurveyChatTest {
  private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
  private static final Templates TEMPLATES = Templates.load(Path.of("templates"));

  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgresql"})
  void aSurveyInTheChatWithAQuestionInBetweenAndALowScoreOpeningAComplaint(String database) throws Exception {
    KefuConfig.Db db = database.equals("h2") ? TestDatabases.h2(dir) : TestDatabases.postgres();
    try (TestNode node = start(db)) {
      String openid = "o-survey-full";
      asked(node, openid, "W-100");

      assertThat(node.say(openid, "1")).startsWith("请您对本次上门服务的速度作个评价：").contains("1. 非常满意", "5. 非常不满意")
          .endsWith(TEMPLATES.text("survey.tail"));
      int before = node.sent(openid).size();
      assertThat(node.say(openid, "店里有停车位吗")).isEqualTo("您好，大厦地下停车场可免费停车两小时。");
      JsonObject again = await().until(() -> node.sent(openid), sent -> sent.size() > before).get(before).getJsonObject("message");
      assertThat(again.getString("msgtype")).isEqualTo("msgmenu");
      assertThat(again.getJsonObject("msgmenu").getString("head_content"))
          .isEqualTo(TEMPLATES.text("survey.back") + "\n请您对本次上门服务的速度作个评价：");

      assertThat(node.say(openid, "2")).startsWith("请您对技术员的现场服务态度作个评价：");
      // Tapping the menu: WeChat sends the label as text, with the choice's id.
      assertThat(node.reply(node.wechat().message(openid, "text", Map.of("Content", "满意", "bizmsgmenuid", "survey:2"))).get("Content"))
          .startsWith("请您对技术员的维修水平作个评价：");
      assertThat(node.say(openid, "非常不满意")).startsWith("请您对本次维修服务的总体满意度作个评价：");
      assertThat(node.say(openid, "3")).startsWith("最后，您对我们的服务有什么意见或建议吗？");
      assertThat(node.say(openid, "师傅修完没有清理现场")).isEqualTo(TEMPLATES.text("survey.thanks"));

      long run = node.one(Long.class, "SELECT r.id FROM survey_runs r JOIN customers c ON c.id = r.customer_id WHERE c.openid = ?", openid);
      assertThat(node.one(String.class, "SELECT status FROM survey_runs WHERE id = ?", run)).isEqualTo("done");
      assertThat(node.column(Integer.class, "SELECT level FROM survey_answers WHERE run_id = ? AND level IS NOT NULL ORDER BY answered_at, question", run))
          .containsExactly(1, 2, 2, 5, 3);
      assertThat(node.one(String.class, "SELECT comment FROM survey_answers WHERE run_id = ? AND question = 'comment'", run))
          .isEqualTo("师傅修完没有清理现场");

      long ticket = node.one(Long.class, "SELECT ticket_id FROM survey_runs WHERE id = ?", run);
      assertThat(node.one(String.class, "SELECT kind FROM tickets WHERE id = ?", ticket)).isEqualTo("complaint");
      assertThat(node.one(String.class, "SELECT told FROM complaints WHERE ticket_id = ?", ticket))
          .isEqualTo("回访满意度调查（维修服务回访）：技术员维修水平：非常不满意（0.7分）");
      // Within one working day (every day is one in the test configuration): by the end of tomorrow's hours; the manager after two.
      BusinessCalendar calendar = node.config().desk().calendar();
      LocalDate day = node.one(OffsetDateTime.class, "SELECT created_at FROM tickets WHERE id = ?", ticket).toInstant()
          .atZone(calendar.zone()).toLocalDate();
      assertThat(node.one(OffsetDateTime.class, "SELECT reply_due_at FROM complaints WHERE ticket_id = ?", ticket).toInstant())
          .isEqualTo(day.plusDays(1).atTime(calendar.closes().truncatedTo(ChronoUnit.MINUTES)).atZone(calendar.zone()).toInstant());
      assertThat(node.one(OffsetDateTime.class, "SELECT escalate_at FROM complaints WHERE ticket_id = ?", ticket).toInstant())
          .isEqualTo(day.plusDays(2).atTime(calendar.closes().truncatedTo(ChronoUnit.MINUTES)).atZone(calendar.zone()).toInstant());
    } finally {
      if (!database.equals("h2")) {
        TestDatabases.dropPostgres(db);
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgresql"})
  void quittingAndLeavingASurveyKeepTheAnswersGiven(String database) throws Exception {
    KefuConfig.Db db = database.equals("h2") ? TestDatabases.h2(dir) : TestDatabases.postgres();
    try (TestNode node = start(db)) {
      asked(node, "o-survey-quit", "W-200");
      asked(node, "o-survey-left", "W-300");

      assertThat(node.say("o-survey-quit", "1")).startsWith("请您对本次上门服务的速度作个评价：");
      assertThat(node.say("o-survey-quit", "退出")).isEqualTo(TEMPLATES.text("survey.stopped"));
      assertThat(node.say("o-survey-quit", "2")).as("after 退出 a digit is no answer").doesNotContain("评价");
      assertThat(node.say("o-survey-left", "4")).startsWith("请您对本次上门服务的速度作个评价：");

      assertThat(node.surveys().expireDue(node.clock().instant())).as("not yet").isZero();
      assertThat(node.surveys().expireDue(node.clock().instant().plus(Duration.ofHours(25)))).isEqualTo(1);

      assertThat(status(node, "o-survey-quit")).isEqualTo("stopped");
      assertThat(levels(node, "o-survey-quit")).containsExactly(1);
      assertThat(ticket(node, "o-survey-quit")).as("nothing low").isEmpty();
      assertThat(status(node, "o-survey-left")).isEqualTo("expired");
      assertThat(levels(node, "o-survey-left")).containsExactly(4);
      assertThat(ticket(node, "o-survey-left")).as("不满意 (0.8) goes to a person, answered or not").isPresent();
      assertThat(node.say("o-survey-left", "1")).as("an expired survey takes no answer").doesNotContain("评价");
    } finally {
      if (!database.equals("h2")) {
        TestDatabases.dropPostgres(db);
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgresql"})
  void aSurveyGoesOnAfterARestartWhereItWas(String database) throws Exception {
    KefuConfig.Db db = database.equals("h2") ? TestDatabases.h2(dir) : TestDatabases.postgres();
    try {
      try (TestNode node = start(db)) {
        asked(node, "o-survey-restart", "W-400");
        assertThat(node.say("o-survey-restart", "1")).startsWith("请您对本次上门服务的速度作个评价：");
      }
      try (TestNode again = start(db)) {
        assertThat(again.say("o-survey-restart", "2")).startsWith("请您对技术员的现场服务态度作个评价：");
        assertThat(levels(again, "o-survey-restart")).containsExactly(1, 2);
      }
    } finally {
      if (!database.equals("h2")) {
        TestDatabases.dropPostgres(db);
      }
    }
  }

  @Test
  void afterSuggestionsAPickIsTheSuggestionsAndAnythingElseAnswersTheSurvey() throws Exception {
    // Every question gets suggestions rather than an answer: nothing is confident enough to be answered outright.
    try (TestNode node = start(TestDatabases.h2(dir), 0.99)) {
      String openid = "o-survey-suggested";
      asked(node, openid, "W-400");
      assertThat(node.say(openid, "1")).startsWith("请您对本次上门服务的速度作个评价：");

      assertThat(node.say(openid, "停车位在哪")).contains("店里有停车位吗");
      assertThat(node.say(openid, "5")).as("beyond the suggestions: the survey's answer").startsWith("请您对技术员的现场服务态度作个评价：");
      assertThat(node.say(openid, "停车位在哪")).contains("店里有停车位吗");
      assertThat(node.say(openid, "满意")).as("a level's words").startsWith("请您对技术员的维修水平作个评价：");
      assertThat(node.say(openid, "停车位在哪")).contains("店里有停车位吗");
      assertThat(node.say(openid, "1")).as("a suggestion picked").contains("大厦地下停车场");

      assertThat(levels(node, openid)).containsExactly(1, 5, 2);
    }
  }

  /** How far this test's nodes run ahead of the wall time. */
  private Duration ahead;

  /** A node on {@code db} whose knowledge base has one entry, answered when asked as written. */
  private TestNode start(KefuConfig.Db db) throws Exception {
    return start(db, 0.05);
  }

  /** A node on {@code db} whose knowledge base answers from a confidence of {@code answer}, and suggests from 0.01. */
  private TestNode start(KefuConfig.Db db, double answer) throws Exception {
    Files.createDirectories(dir.resolve("knowledge-base"));
    Files.writeString(dir.resolve("knowledge-base/shop.yaml"), """
        topic: 门店
        entries:
          - id: parking
            question: 店里有停车位吗？
            answer: 您好，大厦地下停车场可免费停车两小时。
          - id: deposit
            question: 定金要交多少？
            answer: 您好，定金为套系价格的百分之二十。
        """, StandardCharsets.UTF_8);
    KefuConfig config = TestNode.config(dir, db, TestNode.REPLY_BUDGET);
    TestNode node = TestNode.start(config.withKb(new KefuConfig.Kb(false, OptionalDouble.of(answer), OptionalDouble.of(0), OptionalDouble.of(0.01))));
    node.awaitKnowledgeBase();
    // Each survey starts from the day's run at 10:30: in the past, whatever the hour the test runs at. A node started
    // again keeps the first one's time, so that its answers come after those given before.
    if (ahead == null) {
      ahead = node.clock().notBefore(LocalTime.of(11, 0));
    } else {
      node.clock().advance(ahead);
    }
    return node;
  }

  /**
   * The customer {@code openid} writes (opening WeChat's window), their record's repair closed yesterday, and today's
   * survey step asks them: the step's message, then the first question as a menu through the API.
   */
  private static void asked(TestNode node, String openid, String reference) throws Exception {
    node.say(openid, "你好");
    long customer = node.count("SELECT id FROM customers WHERE openid = ?", openid);
    OffsetDateTime created = OffsetDateTime.now(ZoneOffset.UTC);
    LocalDate today = node.clock().instant().atZone(SHANGHAI).toLocalDate();
    node.execute("INSERT INTO customer_records (reference, line, customer_id, name, member, link_code, created_at, updated_at)"
        + " VALUES (?, 'equipment', ?, '李先生', FALSE, ?, ?, ?)", reference, customer, "q" + reference, created, created);
    long record = node.count("SELECT id FROM customer_records WHERE reference = ?", reference);
    node.execute("INSERT INTO milestones (record_id, kind, on_date, source, created_at, updated_at) VALUES (?, 'repair_closed', ?, 'api', ?, ?)",
        record, today.minusDays(1), created, created);
    int before = node.sent(openid).size();
    // The node's own timer may run it first, at the wall time: either way the survey starts once.
    node.journeys().runDue(today.atTime(10, 30).atZone(SHANGHAI).toInstant());
    List<JsonObject> sent = await().until(() -> node.sent(openid), list -> list.size() >= before + 2);
    assertThat(sent).hasSize(before + 2);
    assertThat(sent.get(before).encode()).contains("李先生您好！感谢您");
    JsonObject menu = sent.get(before + 1).getJsonObject("message");
    assertThat(menu.getString("msgtype")).isEqualTo("msgmenu");
    assertThat(menu.getJsonObject("msgmenu").getString("head_content")).isEqualTo("请您对客服专员（接听报修电话的同事）的服务态度作个评价：");
    assertThat(menu.getJsonObject("msgmenu").getJsonArray("list").stream().map(JsonObject.class::cast).map(c -> c.getString("content")).toList())
        .containsExactly("非常满意", "满意", "一般", "不满意", "非常不满意");
  }

  private static String status(TestNode node, String openid) throws Exception {
    return node.one(String.class, "SELECT r.status FROM survey_runs r JOIN customers c ON c.id = r.customer_id WHERE c.openid = ?", openid);
  }

  private static List<Integer> levels(TestNode node, String openid) throws Exception {
    return node.column(Integer.class, "SELECT a.level FROM survey_answers a JOIN survey_runs r ON r.id = a.run_id"
        + " JOIN customers c ON c.id = r.customer_id WHERE c.openid = ? ORDER BY a.answered_at", openid);
  }

  private static Optional<Long> ticket(TestNode node, String openid) throws Exception {
    return node.column(Long.class, "SELECT r.ticket_id FROM survey_runs r JOIN customers c ON c.id = r.customer_id WHERE c.openid = ?"
        + " AND r.ticket_id IS NOT NULL", openid).stream().findFirst();
  }
}
