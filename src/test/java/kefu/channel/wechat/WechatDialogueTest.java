package kefu.channel.wechat;

import static kefu.channel.wechat.WechatWebhookTest.openid;
import static kefu.channel.wechat.WechatWebhookTest.reply;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import kefu.TestNode;
import kefu.channel.simulator.SimulatedWechat;
import kefu.config.KefuConfig;
import kefu.kb.Entry;
import kefu.kb.KnowledgeBaseLoader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bot's side of a WeChat conversation, end to end through {@code /wechat} on a node with the sample
 * knowledge base: events, the menu, voice, handoff, and the numbered choices.
 */
class WechatDialogueTest {
  /**
   * Paraphrases the sample knowledge base answers with suggestions, on the words model these tests run with (see
   * {@link TestNode#suggestingParaphrases}).
   */
  private static final String SUGGEST_QUESTION = "怎么付款呢";
  private static final String OTHER_SUGGEST_QUESTION = "套餐多少钱呢";
  /** Keys mashed: no word or character of the sample knowledge base. */
  private static final String UNANSWERABLE = "qwerty";
  private static final Pattern CHOICE_LINE = Pattern.compile("^(\\d+)\\. (.+)$", Pattern.MULTILINE);

  @TempDir static Path dir;
  static TestNode node;
  static Map<String, Entry> entriesByQuestion;

  @BeforeAll
  static void startNode() throws Exception {
    entriesByQuestion = KnowledgeBaseLoader.load(Path.of("knowledge-base")).entries().stream()
        .collect(Collectors.toMap(Entry::question, Function.identity()));
    node = startWithKnowledgeBase(dir);
  }

  @AfterAll
  static void stopNode() {
    if (node != null) {
      node.close();
    }
  }

  @Test
  void aFollowIsWelcomedAndAnUnfollowRecordedWithoutReply() throws Exception {
    // Proves subscribe gets the welcome and marks the customer subscribed; unsubscribe answers "success" only
    // and marks them unsubscribed.
    String openid = openid();
    assertThat(node.reply(node.wechat().event(openid, "subscribe", null))).containsEntry("Content", reply("welcome"));
    assertThat(subscribed(openid)).isTrue();

    assertThat(node.post(node.wechat().event(openid, "unsubscribe", null)).body()).isEqualTo("success");
    assertThat(subscribed(openid)).isFalse();
    assertThat(node.count(TestNode.OUTBOX_OF, openid)).isEqualTo(1);
  }

  @Test
  void anEventWithALongNameIsStoredWithoutReply() throws Exception {
    // Proves an event WeChat reports after kefu's template messages (TEMPLATESENDJOBFINISH, stored as the
    // 27-character type "event:templatesendjobfinish") is recorded and answered "success", not a 500.
    String openid = openid();
    assertThat(node.post(node.wechat().event(openid, "TEMPLATESENDJOBFINISH", null)).body()).isEqualTo("success");
    assertThat(node.count(TestNode.MESSAGES_OF + " AND m.type = 'event:templatesendjobfinish'", openid)).isEqualTo(1);
  }

  @Test
  void theMenusRatingButtonAsksAndTheAnswerIsStored() throws Exception {
    // Proves the menu's "rating" click asks for a rating, and "1" is stored as level 1 (非常满意, score 1.1).
    String openid = openid();
    assertThat(node.reply(node.wechat().event(openid, "CLICK", "rating"))).containsEntry("Content", reply("rating.ask"));

    assertThat(node.say(openid, "1")).isEqualTo(reply("rating.thanks"));
    String ratingOf = "FROM ratings r JOIN customers c ON c.id = r.customer_id WHERE c.openid = ?";
    assertThat(node.one(Integer.class, "SELECT r.level " + ratingOf, openid)).isEqualTo(1);
    assertThat(node.one(BigDecimal.class, "SELECT r.score " + ratingOf, openid)).isEqualByComparingTo("1.1");
  }

  @Test
  void aRecognisedVoiceMessageIsTreatedAsText() throws Exception {
    // Proves a voice message with WeChat's recognition "你好" is answered like the text: the greeting.
    String openid = openid();
    Map<String, String> answer = node.reply(voice(openid, "你好"));

    assertThat(answer).containsEntry("Content", reply("greeting"));
    assertThat(waitingTickets(openid)).isZero();
  }

  @Test
  void aVoiceMessageWithoutRecognitionGoesToAPerson() throws Exception {
    // Proves a voice message WeChat could not recognise gets the media acknowledgement and a waiting ticket.
    String openid = openid();
    Map<String, String> answer = node.reply(voice(openid, ""));

    assertThat(answer.get("Content")).startsWith(reply("media") + "\n");
    assertThat(waitingTickets(openid)).isEqualTo(1);
  }

  @Test
  void withHandoffOnMediaOffAnImageIsOnlyAcknowledged(@TempDir Path offDir) throws Exception {
    // Proves dialog.handoff-on-media off: an image gets the acknowledgement that asks for words, and no ticket.
    KefuConfig base = TestNode.config(offDir, Optional.empty());
    try (TestNode off = TestNode.start(base.withDialog(new KefuConfig.Dialog(base.dialog().idleTimeout(), 2, false)))) {
      String openid = openid();
      Map<String, String> answer = off.reply(off.wechat().message(openid, "image",
          Map.of("PicUrl", "http://mmbiz.qpic.cn/1.jpg", "MediaId", "media-1")));
      assertThat(answer).containsEntry("Content", reply("media-received"));
      assertThat(off.count("SELECT COUNT(*) FROM tickets t JOIN customers c ON c.id = t.customer_id WHERE c.openid = ?", openid)).isZero();
    }
  }

  @Test
  void askingForAPersonHandsOffWithOneTicket() throws Exception {
    // Proves "转人工" gets the handoff reply and opens exactly one waiting ticket.
    String openid = openid();
    assertThat(node.say(openid, "转人工")).startsWith(reply("handoff") + "\n");
    assertThat(waitingTickets(openid)).isEqualTo(1);
  }

  @Test
  void cancellingWhileWaitingLeavesTheQueue() throws Exception {
    // Proves: "取消" from a customer waiting for a person closes their waiting ticket with a polite line, and the next
    // "转人工" queues them afresh; "结束" does the same. A waiting complaint is not withdrawn.
    String openid = openid();
    node.say(openid, "转人工");
    assertThat(node.say(openid, "取消")).isEqualTo(reply("queue.left"));
    assertThat(waitingTickets(openid)).isZero();
    assertThat(node.count("SELECT COUNT(*) FROM tickets t JOIN customers c ON c.id = t.customer_id "
        + "WHERE c.openid = ? AND t.status = 'closed'", openid)).isEqualTo(1);

    node.say(openid, "转人工");
    assertThat(waitingTickets(openid)).isEqualTo(1);
    assertThat(node.say(openid, "结束")).isEqualTo(reply("queue.left"));
    assertThat(waitingTickets(openid)).isZero();

    // A complaint waits on: it is followed up until the customer is told the result.
    node.say(openid, "我要投诉");
    assertThat(node.say(openid, "取消")).isEqualTo(reply("queue.complaint-kept"));
    assertThat(waitingTickets(openid)).isEqualTo(1);
  }

  @Test
  void anEntryMarkedHandoffIsAnsweredAndThenPassedToAPerson() throws Exception {
    // Proves the handoff: true trigger: the entry's answer comes first (directly, or after the customer picks it from
    // the suggestions), then the handoff line through the API, and a waiting ticket opened for reason "entry".
    Entry entry = entriesByQuestion.get("发票开错了，可以重开吗？");
    assertThat(entry.handoff()).as("the sample entry is marked handoff").isTrue();
    String openid = openid();
    String reply = node.say(openid, entry.question());
    if (!reply.equals(entry.answer())) {
      int number = suggested(reply).indexOf(entry) + 1;
      assertThat(number).as("the entry among the suggestions").isPositive();
      reply = node.say(openid, Integer.toString(number));
    }
    assertThat(reply).isEqualTo(entry.answer());
    await().atMost(Duration.ofSeconds(20)).until(() -> node.sent(openid).stream()
        .anyMatch(sent -> sent.encode().contains(reply("handoff"))));
    assertThat(node.one(String.class, "SELECT t.reason FROM tickets t JOIN customers c ON c.id = t.customer_id WHERE c.openid = ?",
        openid)).isEqualTo("entry");
  }

  @Test
  void questionsTheBotCannotAnswerTwiceInARowGoToAPerson() throws Exception {
    // Proves dialog.handoff-after-fallbacks (2): one unanswerable message gets the fallback; small talk between
    // starts the count again; the second in a row gets the fallback handoff and a waiting ticket for that reason.
    String openid = openid();
    assertThat(node.say(openid, UNANSWERABLE)).isEqualTo(reply("fallback"));
    assertThat(node.say(openid, "你好")).isEqualTo(reply("greeting"));
    assertThat(node.say(openid, UNANSWERABLE)).isEqualTo(reply("fallback"));
    assertThat(waitingTickets(openid)).isZero();

    assertThat(node.say(openid, "zxcvb asdf")).startsWith(reply("fallback-handoff") + "\n");
    assertThat(node.one(String.class, "SELECT t.reason FROM tickets t JOIN customers c ON c.id = t.customer_id WHERE c.openid = ?",
        openid)).isEqualTo("fallback");
  }

  @Test
  void aNumberPicksFromTheSuggestedQuestions() throws Exception {
    // Proves the numbered-choice turn: a question between the thresholds lists the closest questions, and "2"
    // gets the answer of the second one listed.
    assertThat(outcome(SUGGEST_QUESTION)).as("outcome of %s (precondition)", SUGGEST_QUESTION).isEqualTo("suggest");
    String openid = openid();
    List<Entry> offered = suggested(node.say(openid, SUGGEST_QUESTION));
    assertThat(offered).hasSizeGreaterThanOrEqualTo(2);

    assertThat(node.say(openid, "2")).isEqualTo(offered.get(1).answer());
  }

  @Test
  void theOfferedChoicesSurviveARestart(@TempDir Path restartDir) throws Exception {
    // Proves the dialogue state is kept in the database: choices offered before a restart are picked after it.
    String openid = openid();
    List<Entry> offered;
    try (TestNode before = startWithKnowledgeBase(restartDir)) {
      offered = suggested(before.say(openid, OTHER_SUGGEST_QUESTION));
    }
    assertThat(offered).isNotEmpty();

    try (TestNode after = startWithKnowledgeBase(restartDir)) {
      assertThat(after.say(openid, "1")).isEqualTo(offered.get(0).answer());
    }
  }

  @Test
  void aSubscribeRetriedAfterARestartIsWelcomedOnce(@TempDir Path restartDir) throws Exception {
    // Proves events are de-duplicated in the database, not only in the retry guard's memory: WeChat's retry of a
    // follow (the same sender, second and event) reaching a restarted node is not taken again. It carries the welcome
    // the first request was answered with: WeChat retries only what it got no answer for (a node killed after storing
    // the welcome, before sending it), and shows one answer per message.
    String openid = openid();
    SimulatedWechat.Request follow;
    try (TestNode before = TestNode.start(TestNode.config(restartDir, Optional.empty()))) {
      follow = before.wechat().event(openid, "subscribe", null);
      assertThat(before.reply(follow)).containsEntry("Content", reply("welcome"));
    }
    try (TestNode after = TestNode.start(TestNode.config(restartDir, Optional.empty()))) {
      assertThat(after.reply(follow)).containsEntry("Content", reply("welcome"));
      assertThat(after.count(TestNode.MESSAGES_OF, openid)).as("the follow and its welcome, once").isEqualTo(2);
      assertThat(after.sent(openid)).as("nothing through the API").isEmpty();
      // A follow made in a later second is another event, welcomed again.
      after.clock().advance(Duration.ofSeconds(1));
      assertThat(after.reply(after.wechat().event(openid, "subscribe", null))).containsEntry("Content", reply("welcome"));
    }
  }

  @Test
  void offeredChoicesAreForgottenAfterTheIdleTimeout() throws Exception {
    // Proves the dialogue state expires: once the conversation has been idle past dialog.idle-timeout (30 min),
    // "1" no longer picks the first question offered and is read afresh.
    String openid = openid();
    List<Entry> offered = suggested(node.say(openid, SUGGEST_QUESTION));
    assertThat(offered).isNotEmpty();
    node.clock().advance(Duration.ofMinutes(31));

    assertThat(node.say(openid, "1")).isNotEqualTo(offered.get(0).answer());
  }

  @Test
  void aTapOnTheSuggestionMenuGetsThatAnswer(@TempDir Path apiDir) throws Exception {
    // Proves: with a zero reply budget the suggestion goes through the customer-service API as a msgmenu whose items
    // are the suggested questions; the customer's tap (a text carrying the item's bizmsgmenuid) gets that answer.
    try (TestNode api = startWithKnowledgeBase(apiDir, Duration.ZERO)) {
      String openid = openid();
      assertThat(api.post(api.wechat().text(openid, SUGGEST_QUESTION)).body()).isEqualTo("success");

      JsonObject menu = await().until(() -> api.sent(openid), sent -> !sent.isEmpty()).get(0)
          .getJsonObject("message").getJsonObject("msgmenu");
      assertThat(menu.getString("head_content")).isEqualTo(reply("suggest.head"));
      List<JsonObject> items = menu.getJsonArray("list").stream().map(JsonObject.class::cast).toList();
      assertThat(items).hasSizeGreaterThanOrEqualTo(2);
      assertThat(items.get(1).getString("id")).isEqualTo("2");
      Entry second = entriesByQuestion.get(items.get(1).getString("content"));
      assertThat(second).as("a question of the sample knowledge base").isNotNull();

      api.post(api.wechat().message(openid, "text",
          Map.of("Content", items.get(1).getString("content"), "bizmsgmenuid", items.get(1).getString("id"))));
      JsonObject answer = await().until(() -> api.sent(openid), sent -> sent.size() == 2).get(1).getJsonObject("message");
      assertThat(answer.getJsonObject("text").getString("content")).isEqualTo(second.answer());
    }
  }

  @Test
  void oneEntryThatStandsOutIsAOneItemMenuThroughTheApiAndTextInTheReply(@TempDir Path confirmDir) throws Exception {
    // Proves: a question whose first entry is far ahead of the rest but below the answer threshold is put as that one
    // question: through the customer-service API a msgmenu with one item, in WeChat's own request plain text; "是"
    // gets the entry's answer either way. Vectors on, a small knowledge base, nothing answered outright but a
    // question typed word for word.
    Files.createDirectories(confirmDir.resolve("knowledge-base"));
    Files.writeString(confirmDir.resolve("knowledge-base/shop.yaml"), """
        topic: 门店
        entries:
          - id: deposit
            question: 定金要交多少？
            answer: 您好，定金为套系价格的百分之二十。
          - id: parking
            question: 店里有停车位吗？
            answer: 您好，大厦地下停车场可免费停车两小时。
        """, StandardCharsets.UTF_8);
    for (Duration budget : List.of(Duration.ZERO, TestNode.REPLY_BUDGET)) {
      KefuConfig config = TestNode.config(confirmDir, Optional.empty(), budget);
      try (TestNode unsure = TestNode.start(config.withKb(new KefuConfig.Kb(true, OptionalDouble.of(1), OptionalDouble.empty(), OptionalDouble.of(0.01))))) {
        unsure.awaitKnowledgeBase();
        String openid = openid();
        if (budget.isZero()) {
          assertThat(unsure.post(unsure.wechat().text(openid, "定金要交多少钱")).body()).isEqualTo("success");
          JsonObject menu = await().until(() -> unsure.sent(openid), sent -> !sent.isEmpty()).get(0)
              .getJsonObject("message").getJsonObject("msgmenu");
          assertThat(menu.getString("head_content")).isEqualTo(reply("confirm.head"));
          assertThat(menu.getJsonArray("list").stream().map(JsonObject.class::cast).toList())
              .containsExactly(new JsonObject().put("id", "1").put("content", "定金要交多少？"));
          assertThat(menu.getString("tail_content")).isEqualTo(reply("confirm.tail"));
          unsure.post(unsure.wechat().text(openid, "是"));
          JsonObject answer = await().until(() -> unsure.sent(openid), sent -> sent.size() == 2).get(1).getJsonObject("message");
          assertThat(answer.getJsonObject("text").getString("content")).isEqualTo("您好，定金为套系价格的百分之二十。");
        } else {
          assertThat(unsure.say(openid, "定金要交多少钱")).isEqualTo("您是想问「定金要交多少」吗？回复 1 查看解答，或换个说法再问。");
          assertThat(unsure.say(openid, "是")).isEqualTo("您好，定金为套系价格的百分之二十。");
        }
      }
    }
  }

  // ---- Helpers

  /** A node on {@code dir} with a copy of the sample knowledge base (kept if already there), once it is loaded. */
  private static TestNode startWithKnowledgeBase(Path dir) throws IOException {
    return startWithKnowledgeBase(dir, TestNode.REPLY_BUDGET);
  }

  private static TestNode startWithKnowledgeBase(Path dir, Duration replyBudget) throws IOException {
    TestNode.copySampleKnowledgeBase(dir);
    TestNode started = TestNode.start(TestNode.suggestingParaphrases(TestNode.config(dir, Optional.empty(), replyBudget)));
    started.awaitKnowledgeBase();
    return started;
  }

  /** The entries a suggestion lists, in its numbered order; checks it is the suggestion template's text. */
  private static List<Entry> suggested(String text) {
    assertThat(text).startsWith(reply("suggest.head")).endsWith(reply("suggest.tail"));
    Matcher lines = CHOICE_LINE.matcher(text);
    List<Entry> entries = new ArrayList<>();
    while (lines.find()) {
      assertThat(lines.group(1)).isEqualTo(Integer.toString(entries.size() + 1));
      assertThat(entriesByQuestion).as("a question of the sample knowledge base").containsKey(lines.group(2));
      entries.add(entriesByQuestion.get(lines.group(2)));
    }
    return entries;
  }

  private static String outcome(String question) throws Exception {
    return node.kbSearch(question).getString("outcome");
  }

  private static SimulatedWechat.Request voice(String openid, String recognition) {
    return node.wechat().message(openid, "voice", Map.of("MediaId", "media-" + openid, "Format", "amr", "Recognition", recognition));
  }

  private static boolean subscribed(String openid) throws Exception {
    return node.one(Boolean.class, "SELECT subscribed FROM customers WHERE openid = ?", openid);
  }

  private static long waitingTickets(String openid) throws Exception {
    return node.count("SELECT COUNT(*) FROM tickets t JOIN customers c ON c.id = t.customer_id "
        + "WHERE c.openid = ? AND t.status = 'waiting'", openid);
  }
}
