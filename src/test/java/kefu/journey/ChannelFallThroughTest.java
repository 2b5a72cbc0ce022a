package kefu.journey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.json.JsonObject;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import kefu.TestDatabases;
import kefu.TestNode;
import kefu.TestStore;
import kefu.channel.wechat.StandInClient;
import kefu.config.KefuConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * A follow-up's channel through a whole node and WeChat's stand-in over HTTP: customers' consents recorded from the
 * webhook, a consented subscription notice and a template message sent, and each WeChat error turning into the
 * step's next choice down to a call task, with every refusal on the step.
 */
class ChannelFallThroughTest {
  private static final String NOTICE = "tplNoticeRepair01";
  private static final String SERVICE_TEMPLATE = "tplServiceReply01";

  @TempDir
  Path dir;
  private KefuConfig.Db db;

  @AfterEach
  void dropSchema() {
    if (db != null && !db.embedded()) {
      TestDatabases.dropPostgres(db);
    }
  }

  /** A node with a template message and a subscription notice configured, its clock at the next 10:30 in Beijing. */
  private TestNode start(TestStore kind) {
    db = kind == TestStore.H2 ? TestDatabases.h2(dir) : TestDatabases.postgres();
    KefuConfig base = TestNode.config(dir, db, TestNode.REPLY_BUDGET);
    KefuConfig.Wechat wechat = base.wechat();
    TestNode node = TestNode.start(base.withWechat(new KefuConfig.Wechat(wechat.account(), wechat.token(), wechat.aesKey(),
        wechat.replyBudget(), Optional.of(SERVICE_TEMPLATE), wechat.quotas())).withJourney(base.journey().withSubscribeTemplate(NOTICE)));
    // Within the follow-ups' hours whatever the wall time: every part of the node reads this clock.
    ZonedDateTime now = node.clock().instant().atZone(Journeys.SHANGHAI);
    ZonedDateTime target = now.toLocalDate().atTime(10, 30).atZone(Journeys.SHANGHAI);
    node.clock().advance(Duration.between(now, target.isBefore(now) ? target.plusDays(1) : target));
    return node;
  }

  private StandInClient standIn(TestNode node) {
    return new StandInClient(HttpClient.newHttpClient(), node.port());
  }

  /** The follower {@code openid}, who wrote just now (the window is open). */
  private static long follower(TestNode node, String openid) throws Exception {
    node.say(openid, "你好");
    return node.count("SELECT id FROM customers WHERE openid = ?", openid);
  }

  /** The follower {@code openid}, who allowed one subscription notice and last wrote three days ago. */
  private static long consentedOutsideTheWindow(TestNode node, String openid) throws Exception {
    long customer = follower(node, openid);
    node.post(node.wechat().subscribeDecisions(openid, true, decisions(NOTICE, true)));
    windowClosed(node, customer);
    return customer;
  }

  /** The follower's window closed three days ago. */
  private static void windowClosed(TestNode node, long customer) throws Exception {
    node.execute("UPDATE customers SET last_inbound_at = ? WHERE id = ?",
        OffsetDateTime.ofInstant(node.clock().instant().minus(Duration.ofDays(3)), ZoneOffset.UTC), customer);
  }

  /** An equipment record of the follower's whose repair was closed yesterday: its survey step is due at 10:00 today. */
  private static long repairedYesterday(TestNode node, long customer, String reference) throws Exception {
    OffsetDateTime created = OffsetDateTime.ofInstant(node.clock().instant(), ZoneOffset.UTC);
    LocalDate yesterday = node.clock().instant().atZone(Journeys.SHANGHAI).toLocalDate().minusDays(1);
    long record = record(node, customer, reference, created);
    node.execute("INSERT INTO milestones (record_id, kind, on_date, source, created_at, updated_at) VALUES (?, 'repair_closed', ?, 'api', ?, ?)",
        record, yesterday, created, created);
    return record;
  }

  /**
   * An equipment record of the follower's whose consumables run out in a week: its reminder, a service notice (a message,
   * not a survey, so every channel may carry it), is due at 10:00 today.
   */
  private static long consumablesInAWeek(TestNode node, long customer, String reference) throws Exception {
    OffsetDateTime created = OffsetDateTime.ofInstant(node.clock().instant(), ZoneOffset.UTC);
    LocalDate inAWeek = node.clock().instant().atZone(Journeys.SHANGHAI).toLocalDate().plusDays(7);
    long record = record(node, customer, reference, created);
    node.execute("INSERT INTO milestones (record_id, kind, on_date, source, created_at, updated_at) VALUES (?, 'consumables', ?, 'api', ?, ?)",
        record, inAWeek, created, created);
    return record;
  }

  private static long record(TestNode node, long customer, String reference, OffsetDateTime created) throws Exception {
    node.execute("INSERT INTO customer_records (reference, line, customer_id, name, member, link_code, created_at, updated_at)"
        + " VALUES (?, 'equipment', ?, '李先生', FALSE, ?, ?, ?)", reference, customer, "q" + reference, created, created);
    return node.count("SELECT id FROM customer_records WHERE reference = ?", reference);
  }

  private record Step(String status, String channel, String refused, String reason) {}

  private static Step step(TestNode node, long record) throws Exception {
    return new Step(node.one(String.class, "SELECT status FROM journey_steps WHERE record_id = ?", record),
        node.one(String.class, "SELECT channel FROM journey_steps WHERE record_id = ?", record),
        node.one(String.class, "SELECT refused FROM journey_steps WHERE record_id = ?", record),
        node.one(String.class, "SELECT reason FROM journey_steps WHERE record_id = ?", record));
  }

  /**
   * Runs the journeys (as the node's timer also does) until the record's step is {@code status} by {@code channel}:
   * a refusal comes back from the outbox when WeChat answers, and the next run takes the next choice.
   */
  private static Step runUntil(TestNode node, long record, String status, String channel) {
    return await().atMost(Duration.ofSeconds(30)).until(() -> {
      node.journeys().runDue(node.clock().instant());
      return step(node, record);
    }, s -> s.status().equals(status) && channel.equals(s.channel()));
  }

  private static Map<String, Boolean> decisions(Object... templateAndAccepted) {
    Map<String, Boolean> decisions = new LinkedHashMap<>();
    for (int i = 0; i < templateAndAccepted.length; i += 2) {
      decisions.put((String) templateAndAccepted[i], (Boolean) templateAndAccepted[i + 1]);
    }
    return decisions;
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(TestStore.class)
  void consentsAreRecordedFromTheWebhookOncePerEvent(TestStore kind) throws Exception {
    try (TestNode node = start(kind)) {
      long customer = follower(node, "o-consent");
      var popup = node.wechat().subscribeDecisions("o-consent", true, decisions(NOTICE, true, "tplOther", false));
      assertThat(node.post(popup).statusCode()).isEqualTo(200);
      // WeChat's retry of the same event: recognised, recorded once.
      assertThat(node.post(popup).statusCode()).isEqualTo(200);
      assertThat(node.column(String.class, "SELECT template_id || ' ' || event || ' ' || CASE WHEN accepted THEN 'accept' ELSE 'reject' END"
          + " FROM subscribe_consents WHERE customer_id = ? ORDER BY id", customer))
          .containsExactly(NOTICE + " popup accept", "tplOther popup reject");

      node.clock().advance(Duration.ofSeconds(1));
      assertThat(node.post(node.wechat().subscribeDecisions("o-consent", true, decisions(NOTICE, true))).statusCode()).isEqualTo(200);
      assertThat(unused(node, customer)).isEqualTo(2);

      // Turned off in the customer's settings: the sends allowed and not used are withdrawn.
      node.clock().advance(Duration.ofSeconds(1));
      assertThat(node.post(node.wechat().subscribeDecisions("o-consent", false, decisions(NOTICE, false))).statusCode()).isEqualTo(200);
      assertThat(unused(node, customer)).isZero();
      assertThat(node.count("SELECT COUNT(*) FROM subscribe_consents WHERE customer_id = ?", customer)).isEqualTo(4);
    }
  }

  private static long unused(TestNode node, long customer) throws Exception {
    return node.count("SELECT COUNT(*) FROM subscribe_consents WHERE customer_id = ? AND event = 'popup' AND accepted = TRUE"
        + " AND used_at IS NULL AND withdrawn_at IS NULL", customer);
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(TestStore.class)
  void eachWeChatErrorTurnsIntoTheNextChoiceDownToACallTask(TestStore kind) throws Exception {
    try (TestNode node = start(kind)) {
      long customer = follower(node, "o-refused");
      node.post(node.wechat().subscribeDecisions("o-refused", true, decisions(NOTICE, true)));
      long record = consumablesInAWeek(node, customer, "W-31");
      // The customer-service message: out of the window after all; the notice: the consent was used up; the template: a bad id.
      standIn(node).fail(45015, 43101, 40037);

      Step step = runUntil(node, record, "tasked", "call_task");

      assertThat(step.refused()).isEqualTo("service,subscribe,template");
      assertThat(step.reason()).containsSubsequence(
          "以客服消息发送：客户最近一次互动后的服务窗口内",
          "微信拒收了客服消息（错误码 45015）",
          "以订阅通知发送：使用客户的一次授权",
          "微信拒收了订阅通知（错误码 43101）",
          "以模板消息发送（服务通知）",
          "微信拒收了模板消息（错误码 40037）",
          "不能发客服消息：微信已拒收；不能发订阅通知：微信已拒收；不能发模板消息：微信已拒收；转为电话回访，由负责客服拨打");
      assertThat(node.count("SELECT COUNT(*) FROM call_tasks WHERE record_id = ? AND status = 'open'", record)).isEqualTo(1);
      // WeChat said the consent was used (43101): it stays used.
      assertThat(unused(node, customer)).isZero();
      assertThat(node.sent("o-refused")).isEmpty();
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(TestStore.class)
  void aRefusedFirstQuestionEndsTheSurveyAndTheStepGoesItsNextWay(TestStore kind) throws Exception {
    try (TestNode node = start(kind)) {
      long customer = follower(node, "o-asked");
      long record = repairedYesterday(node, customer, "W-61");
      // The step's message goes; the survey's first question after it meets the quota (45047).
      standIn(node).fail(0, 45047);

      Step step = runUntil(node, record, "tasked", "call_task");

      // A notice cannot ask a survey: after the chat, the call with the survey as its form.
      assertThat(step.refused()).isEqualTo("service");
      assertThat(step.reason()).containsSubsequence("微信拒收了客服消息（错误码 45047）",
          "问卷只能在聊天中逐题询问，不能以通知发送：转为电话回访，由负责客服按问卷拨打");
      assertThat(node.count("SELECT COUNT(*) FROM call_tasks WHERE record_id = ? AND status = 'open'", record)).isEqualTo(1);
      assertThat(node.column(String.class, "SELECT status FROM survey_runs WHERE record_id = ?", record)).containsExactly("refused");
      assertThat(node.sent("o-asked")).hasSize(1);
      // The survey no longer waits for an answer: a digit the customer writes is the bot's to answer.
      node.say("o-asked", "1");
      assertThat(node.count("SELECT COUNT(*) FROM survey_answers")).isZero();
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(TestStore.class)
  void outsideTheWindowAConsentedNoticeThenWithoutConsentATemplateMessage(TestStore kind) throws Exception {
    try (TestNode node = start(kind)) {
      long customer = consentedOutsideTheWindow(node, "o-notice");

      long first = consumablesInAWeek(node, customer, "W-41");
      Step noticed = runUntil(node, first, "done", "subscribe");
      assertThat(noticed.reason()).isEqualTo("不能发客服消息：客户已超过 48 小时未发消息；以订阅通知发送：使用客户的一次授权");
      JsonObject notice = await().until(() -> node.sent("o-notice"), sent -> !sent.isEmpty()).get(0);
      assertThat(notice.getString("channel")).isEqualTo("subscribe");
      assertThat(notice.getJsonObject("message").getString("template_id")).isEqualTo(NOTICE);
      assertFieldsFit(notice);
      assertThat(unused(node, customer)).isZero();

      // No consent left: the next follow-up, a service notice, goes as the template message.
      long second = consumablesInAWeek(node, customer, "W-42");
      Step templated = runUntil(node, second, "done", "template");
      assertThat(templated.reason()).contains("不能发订阅通知：客户没有未使用的授权");
      List<JsonObject> sent = await().until(() -> node.sent("o-notice"), s -> s.size() == 2);
      assertThat(sent.get(1).getString("channel")).isEqualTo("template");
      assertThat(sent.get(1).getJsonObject("message").getString("template_id")).isEqualTo(SERVICE_TEMPLATE);
      assertFieldsFit(sent.get(1));
    }
  }

  /** Each field of a template message or notice is one line of 20 characters at most, as WeChat wants since 2023. */
  private static void assertFieldsFit(JsonObject sent) {
    JsonObject data = sent.getJsonObject("message").getJsonObject("data");
    assertThat(data.fieldNames()).isNotEmpty();
    for (String name : data.fieldNames()) {
      String value = data.getJsonObject(name).getString("value");
      assertThat(value.codePointCount(0, value.length())).as(name).isLessThanOrEqualTo(20);
      assertThat(value).doesNotContain("\n");
    }
  }

  @Test
  void aQuotaSpentFallsThroughAndAnUnfollowedCustomerGetsACallAtOnce() throws Exception {
    try (TestNode node = start(TestStore.H2)) {
      long spent = follower(node, "o-quota");
      long quotaRecord = consumablesInAWeek(node, spent, "W-51");
      standIn(node).fail(45047);
      // No consent and no refusal of the template: the service notice goes as the template message.
      assertThat(runUntil(node, quotaRecord, "done", "template").reason())
          .contains("微信拒收了客服消息（错误码 45047）");

      long gone = follower(node, "o-gone");
      long goneRecord = consumablesInAWeek(node, gone, "W-52");
      standIn(node).fail(43004);
      Step called = runUntil(node, goneRecord, "tasked", "call_task");
      assertThat(called.refused()).isEqualTo("service,subscribe,template");
      assertThat(called.reason()).contains("错误码 43004");
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(TestStore.class)
  void aSurveyOutsideTheWindowIsACallWithTheSurveyNeverANotice(TestStore kind) throws Exception {
    try (TestNode node = start(kind)) {
      long customer = consentedOutsideTheWindow(node, "o-survey-late");
      long record = repairedYesterday(node, customer, "W-71");

      Step step = runUntil(node, record, "tasked", "call_task");

      assertThat(step.reason()).endsWith("问卷只能在聊天中逐题询问，不能以通知发送：转为电话回访，由负责客服按问卷拨打");
      assertThat(node.count("SELECT COUNT(*) FROM call_tasks WHERE record_id = ? AND status = 'open'", record)).isEqualTo(1);
      assertThat(node.sent("o-survey-late")).as("no notice or template message instead of the survey").isEmpty();
      assertThat(unused(node, customer)).as("the consent is kept for a notice that can use it").isEqualTo(1);
    }
  }
}
