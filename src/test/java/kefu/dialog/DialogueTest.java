package kefu.dialog;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import kefu.config.BusinessCalendar;
import kefu.config.KefuConfig;
import kefu.conversation.Conversation;
import kefu.conversation.Message;
import kefu.customer.Customer;
import kefu.kb.FaqEngine;
import kefu.kb.MatchModel;
import kefu.kb.KnowledgeBaseException;
import kefu.kb.SentenceEncoder;
import kefu.kb.VectorCache;
import kefu.rating.Rating;
import kefu.store.InProcessCoordination;
import kefu.template.Templates;
import kefu.ticket.Ticket;
import kefu.ticket.TicketEvents;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bot's decisions that need no search of the knowledge base, taken on turns made up here: no node, no database.
 * The replies are the real ones from {@code templates/}; the knowledge base is built only where a choice needs its
 * entries.
 */
class DialogueTest {
  private static final Templates TEMPLATES = Templates.load(Path.of("templates"));
  private static final Instant NOW = Instant.parse("2026-11-02T02:00:00Z");
  /** Media goes to a person, and so does the customer after the bot's second fallback in a row. */
  private static final KefuConfig.Dialog CONFIG = new KefuConfig.Dialog(Duration.ofMinutes(30), 2, true);
  private static final String STUDIO = """
      topic: 预约
      entries:
        - id: booking
          question: 怎么预约拍摄婚纱照?
          answer: 您好,请在菜单"预约拍摄"中填写信息。
        - id: reschedule
          question: 拍摄日期可以改吗?
          answer: 您好,拍摄前7天可免费改期一次。
        - id: refund
          question: 不想拍了可以退款吗?
          answer: 您好,退款由门市为您办理。
          handoff: true
      """;

  @TempDir Path dir;
  private final InProcessCoordination coordination = new InProcessCoordination();
  private FaqEngine faq;
  private Dialogue dialogue;

  @BeforeEach
  void create() {
    // Built only where a test needs entries: until then a search would fail, so what is decided needed none.
    faq = new FaqEngine(dir.resolve("kb"), dir.resolve("kb-index"), null, null, MatchModel::shipped,
        Clock.fixed(NOW, ZoneOffset.UTC));
    dialogue = dialogue(CONFIG);
  }

  @AfterEach
  void close() {
    faq.close();
    coordination.close();
  }

  private Dialogue dialogue(KefuConfig.Dialog config) {
    return new Dialogue(TEMPLATES, faq, config, BusinessCalendar.OFFICE, new TicketEvents(coordination));
  }

  // Turns

  private static Inbound text(String text) {
    return Inbound.text("o-customer", text, "msg-1", NOW);
  }

  private static Inbound event(Inbound.Kind kind, String type) {
    return new Inbound("o-customer", kind, type, "", Optional.empty(), Optional.empty(), Optional.empty(), NOW);
  }

  private static Inbound menu(String key) {
    return new Inbound("o-customer", Inbound.Kind.MENU_CLICK, "event:click", "", Optional.empty(), Optional.of(key),
        Optional.empty(), NOW);
  }

  private static Inbound image() {
    return new Inbound("o-customer", Inbound.Kind.MEDIA, "image", "", Optional.empty(), Optional.empty(),
        Optional.of("msg-2"), NOW);
  }

  private static Inbound tapped(String choiceId) {
    return new Inbound("o-customer", Inbound.Kind.TEXT, "text", "拍摄日期可以改吗?", Optional.of(choiceId), Optional.empty(),
        Optional.of("msg-3"), NOW);
  }

  /** A turn with what the bot remembered, in a conversation an agent has or not. */
  private static Turn opened(DialogState state, Optional<Long> agent) {
    return opened(state, agent, Optional.empty());
  }

  /** A turn of a customer waiting for a person with a ticket of the {@code queued} kind, if any. */
  private static Turn opened(DialogState state, Optional<Long> agent, Optional<Ticket.Kind> queued) {
    Customer customer = new Customer(1, "o-customer", Optional.empty(), Optional.empty(), Optional.empty(),
        Optional.empty(), List.of(), NOW, NOW, false, Optional.empty(), Optional.empty());
    Conversation conversation = new Conversation(2, 1, Conversation.WECHAT_INBOX, Conversation.Status.OPEN, NOW, NOW,
        Optional.empty(), Optional.empty(), agent, Optional.empty());
    Message inbound = new Message(3, 2, Message.Direction.IN, "text", Optional.empty(), Optional.empty(), NOW,
        Optional.empty());
    return new Turn(customer, conversation, inbound, state, queued);
  }

  private Optional<Decision> atOnce(DialogState state, Inbound in) {
    return dialogue.decideAtOnce(opened(state, Optional.empty()), in);
  }

  private Decision decided(DialogState state, Inbound in) {
    Optional<Decision> decision = atOnce(state, in);
    assertThat(decision).as("decided without a search").isPresent();
    return decision.get();
  }

  private Decision decided(Inbound in) {
    return decided(DialogState.FRESH, in);
  }

  // What a decision says

  private static Reply reply(String key) {
    return new Reply.Text(TEMPLATES.text(key));
  }

  private static Optional<TicketRequest> ticket(Ticket.Kind kind, Ticket.Reason reason, String line) {
    return Optional.of(new TicketRequest(kind, reason, line));
  }

  /** Only {@code replies}, in a fresh state, with no ticket, rating or action. */
  private static void saysOnly(Decision decision, Reply... replies) {
    assertThat(decision.replies()).containsExactly(replies);
    assertThat(decision.state()).isEqualTo(DialogState.FRESH);
    assertThat(decision.ticket()).isEmpty();
    assertThat(decision.rating()).isEmpty();
    assertThat(decision.action()).isEmpty();
  }

  /** Nothing said, nothing changed. */
  private static void silent(Decision decision, DialogState state) {
    assertThat(decision.replies()).isEmpty();
    assertThat(decision.state()).isEqualTo(state);
    assertThat(decision.ticket()).isEmpty();
    assertThat(decision.rating()).isEmpty();
    assertThat(decision.action()).isEmpty();
  }

  /** Handed to a person with nothing said before the ticket's line. */
  private static void handsOver(Decision decision, Ticket.Kind kind, Ticket.Reason reason, String line) {
    assertThat(decision.replies()).isEmpty();
    assertThat(decision.ticket()).isEqualTo(ticket(kind, reason, line));
    assertThat(decision.state()).isEqualTo(DialogState.FRESH);
    assertThat(decision.action()).isEmpty();
  }

  private void buildKnowledgeBase() throws IOException, KnowledgeBaseException {
    Files.createDirectories(dir.resolve("kb"));
    Files.writeString(dir.resolve("kb/studio.yaml"), STUDIO, StandardCharsets.UTF_8);
    faq.buildNow();
  }

  // Events and the menu

  @Test
  void aFollowIsWelcomed() {
    saysOnly(decided(DialogState.FRESH.withChoices(List.of("booking")), event(Inbound.Kind.SUBSCRIBE, "event:subscribe")),
        reply("reply.welcome"));
  }

  @Test
  void otherEventsAreStoredButNotAnswered() {
    DialogState awaiting = DialogState.FRESH.awaiting("rating");
    silent(decided(awaiting, event(Inbound.Kind.UNSUBSCRIBE, "event:unsubscribe")), awaiting);
    silent(decided(awaiting, event(Inbound.Kind.OTHER_EVENT, "event:view")), awaiting);
  }

  @Test
  void menuKeysShowTheQuestionsHandOverOrAskForARating() {
    saysOnly(decided(menu("faq")), reply("reply.faq-menu"));
    handsOver(decided(menu("handoff")), Ticket.Kind.HANDOFF, Ticket.Reason.ASKED, "reply.handoff");

    Decision rating = decided(menu("rating"));
    assertThat(rating.replies()).containsExactly(reply("reply.rating.ask"));
    assertThat(rating.state().awaiting()).hasValue("rating");
    assertThat(rating.ticket()).isEmpty();
  }

  @Test
  void aMenuKeyWithoutAnActionChangesNothing() {
    DialogState offered = DialogState.FRESH.withChoices(List.of("booking"));
    silent(decided(offered, menu("no-such-key")), offered);
  }

  @Test
  void mediaGoesToAPersonOrIsAcknowledgedAsConfigured() {
    handsOver(decided(image()), Ticket.Kind.HANDOFF, Ticket.Reason.MEDIA, "reply.media");

    dialogue = dialogue(new KefuConfig.Dialog(Duration.ofMinutes(30), 2, false));
    saysOnly(decided(image()), reply("reply.media-received"));
  }

  // Texts

  @Test
  void complaintWordsOpenAComplaint() {
    for (String text : List.of("我要投诉你们", "給你們差評！", "很不满意", "服务太差劲了")) {
      handsOver(decided(text(text)), Ticket.Kind.COMPLAINT, Ticket.Reason.COMPLAINT, "reply.complaint");
    }
  }

  @Test
  void dissatisfactionStatedIsAComplaintAskedAboutItIsAQuestion() {
    // Proves: 不满意 and the like are a complaint when the customer says so, not inside a question about it.
    for (String text : List.of("我对服务很不满意，要投诉", "你们态度太差了", "不满意！", "对修好的照片很不满意", "质量太差了，很失望")) {
      handsOver(decided(text(text)), Ticket.Kind.COMPLAINT, Ticket.Reason.COMPLAINT, "reply.complaint");
    }
    for (String text : List.of("修图不满意能改吗", "修完第二天有人打电话问我满意不满意", "客服问我满不满意", "样片不满意可以重拍吗？")) {
      assertThat(atOnce(DialogState.FRESH, text(text))).as(text).isEmpty();
    }
  }

  @Test
  void askingForAPersonHandsOver() {
    for (String text : List.of("人工", "客服", "找 客服!", "麻烦帮我转人工,谢谢", "轉人工", "要真人客服")) {
      handsOver(decided(text(text)), Ticket.Kind.HANDOFF, Ticket.Reason.ASKED, "reply.handoff");
    }
  }

  @Test
  void aComplaintThatAsksForAPersonIsAComplaint() {
    handsOver(decided(text("我要投诉,转人工")), Ticket.Kind.COMPLAINT, Ticket.Reason.COMPLAINT, "reply.complaint");
  }

  @Test
  void smallTalkIsAnsweredInKind() {
    for (String text : List.of("你好", "您好呀~", "ＨＥＬＬＯ!", "在吗？")) {
      saysOnly(decided(text(text)), reply("reply.greeting"));
    }
    for (String text : List.of("謝謝啦", "Thank you!", "好的，谢谢")) {
      saysOnly(decided(text(text)), reply("reply.thanks"));
    }
    for (String text : List.of("拜拜", "再见!", "好的，没问题了")) {
      saysOnly(decided(text(text)), reply("reply.goodbye"));
    }
  }

  @Test
  void aQuestionNeedsTheKnowledgeBase() {
    assertThat(atOnce(DialogState.FRESH, text("婚纱照多少钱"))).isEmpty();
    assertThat(atOnce(DialogState.FRESH, text("人工智能是什么"))).isEmpty();
    assertThat(atOnce(DialogState.FRESH, text("你好,我想问下婚纱照多少钱"))).isEmpty();
  }

  // Answers the bot asked for

  @Test
  void anAwaitedRatingIsTakenFromALevelOrItsWords() {
    DialogState awaiting = DialogState.FRESH.awaiting("rating");
    Map<String, Rating> ratings = Map.of("1", Rating.VERY_SATISFIED, "２", Rating.SATISFIED, "5", Rating.VERY_DISSATISFIED,
        "满意", Rating.SATISFIED, "非常滿意！", Rating.VERY_SATISFIED, "一般吧", Rating.NEUTRAL, "不满意", Rating.DISSATISFIED);
    for (Map.Entry<String, Rating> rating : ratings.entrySet()) {
      Decision decision = decided(awaiting, text(rating.getKey()));
      assertThat(decision.rating()).as(rating.getKey()).hasValue(rating.getValue());
      assertThat(decision.replies()).containsExactly(reply("reply.rating.thanks"));
      assertThat(decision.state()).isEqualTo(DialogState.FRESH);
      assertThat(decision.ticket()).isEmpty();
    }
  }

  @Test
  void aRatingThatAlsoComplainsIsRecordedAndHandsTheComplaintToAPerson() {
    // Proves: "非常不满意,我要投诉" answers the rating request and is a complaint too; the rating words alone are not.
    DialogState awaiting = DialogState.FRESH.awaiting("rating");
    Decision both = decided(awaiting, text("非常不满意,我要投诉!"));
    assertThat(both.rating()).hasValue(Rating.VERY_DISSATISFIED);
    assertThat(both.replies()).containsExactly(reply("reply.rating.thanks"));
    assertThat(both.ticket()).isEqualTo(ticket(Ticket.Kind.COMPLAINT, Ticket.Reason.COMPLAINT, "reply.complaint"));
    Decision softly = decided(awaiting, text("不太满意"));
    assertThat(softly.rating()).hasValue(Rating.DISSATISFIED);
    assertThat(softly.ticket()).isEmpty();
  }

  @Test
  void withoutARatingAwaitedDigitsAndWordsAreNoRating() {
    assertThat(atOnce(DialogState.FRESH, text("1"))).isEmpty();
    // Outside a rating, 不满意 is a complaint.
    handsOver(decided(text("不满意")), Ticket.Kind.COMPLAINT, Ticket.Reason.COMPLAINT, "reply.complaint");
  }

  @Test
  void somethingElseWhileARatingIsAwaitedIsTakenAsItIs() {
    DialogState awaiting = DialogState.FRESH.awaiting("rating");
    assertThat(atOnce(awaiting, text("婚纱照多少钱"))).isEmpty();
    assertThat(atOnce(awaiting, text("6"))).isEmpty();
    handsOver(decided(awaiting, text("转人工")), Ticket.Kind.HANDOFF, Ticket.Reason.ASKED, "reply.handoff");
  }

  @Test
  void theAnswerToTheLongWaitOfferKeepsWaitingOrAsksForACall() {
    DialogState offer = DialogState.FRESH.awaiting(Dialogue.WAIT_CHOICE);
    Decision keep = decided(offer, text("1"));
    assertThat(keep.action()).hasValue(TicketAction.KEEP_WAITING);
    assertThat(keep.replies()).containsExactly(reply("reply.queue.keep-waiting"));
    assertThat(keep.state()).isEqualTo(DialogState.FRESH);
    assertThat(keep.ticket()).isEmpty();

    for (String text : List.of("2", "第二个", "２")) {
      Decision call = decided(offer, text(text));
      assertThat(call.action()).as(text).hasValue(TicketAction.CALL_BACK);
      assertThat(call.replies()).containsExactly(reply("reply.queue.call-back"));
    }
    // Only 1 and 2 answer it.
    assertThat(atOnce(offer, text("3"))).isEmpty();
    assertThat(atOnce(offer, text("好的"))).isEmpty();
  }

  @Test
  void aNumberPicksTheEntryOfferedUnderIt() throws Exception {
    buildKnowledgeBase();
    DialogState offered = DialogState.FRESH.withChoices(List.of("booking", "reschedule"));

    saysOnly(decided(offered, text("2")), new Reply.Text("您好,拍摄前7天可免费改期一次。"));
    saysOnly(decided(offered, text("第一个")), new Reply.Text("您好,请在菜单\"预约拍摄\"中填写信息。"));
    saysOnly(decided(offered, tapped("2")), new Reply.Text("您好,拍摄前7天可免费改期一次。"));
    // A number beyond those offered, or with nothing offered, is a question.
    assertThat(atOnce(offered, text("3"))).isEmpty();
    assertThat(atOnce(DialogState.FRESH, text("1"))).isEmpty();
  }

  @Test
  void aPickedEntryMarkedHandoffIsAnsweredAndHandedOver() throws Exception {
    buildKnowledgeBase();
    Decision decision = decided(DialogState.FRESH.withChoices(List.of("booking", "refund")), text("2"));
    assertThat(decision.replies()).containsExactly(new Reply.Text("您好,退款由门市为您办理。"));
    assertThat(decision.ticket()).isEqualTo(ticket(Ticket.Kind.HANDOFF, Ticket.Reason.ENTRY, "reply.handoff"));
  }

  // Waiting for a person

  @Test
  void aWaitingCustomerWhoCancelsLeavesTheQueue() {
    // Proves: 取消 or 结束 while waiting withdraws the request for a person, politely, instead of being searched for.
    for (String text : List.of("取消", "结束", "不等了", "算了吧", "取消排队。")) {
      Decision leave = dialogue.decideAtOnce(opened(DialogState.FRESH, Optional.empty(), Optional.of(Ticket.Kind.HANDOFF)),
          text(text)).orElseThrow();
      assertThat(leave.action()).as(text).hasValue(TicketAction.LEAVE_QUEUE);
      assertThat(leave.replies()).containsExactly(reply("reply.queue.left"));
      assertThat(leave.state()).isEqualTo(DialogState.FRESH);
      assertThat(leave.ticket()).isEmpty();
    }
    // Not waiting, the same words are the customer's question.
    assertThat(atOnce(DialogState.FRESH, text("取消"))).isEmpty();
    // A complaint is followed up all the same: the customer is told so, and the ticket stays.
    saysOnly(dialogue.decideAtOnce(opened(DialogState.FRESH, Optional.empty(), Optional.of(Ticket.Kind.COMPLAINT)), text("取消"))
        .orElseThrow(), reply("reply.queue.complaint-kept"));
  }

  // With an agent

  @Test
  void withAnAgentTheBotIsSilentUnlessTheChatEnds() {
    DialogState offered = DialogState.FRESH.withChoices(List.of("booking"));
    Turn withAgent = opened(offered, Optional.of(7L));
    for (Inbound in : List.of(text("你好"), text("转人工"), text("我要投诉"), text("1"), text("结束了吗"), image())) {
      silent(dialogue.decideAtOnce(withAgent, in).orElseThrow(), offered);
    }

    for (String text : List.of("结束", "結束對話。", "结束啦")) {
      Decision end = dialogue.decideAtOnce(withAgent, text(text)).orElseThrow();
      assertThat(end.action()).as(text).hasValue(TicketAction.END_CHAT);
      assertThat(end.replies()).containsExactly(reply("reply.chat.closed"), reply("reply.rating.ask"));
      assertThat(end.state()).isEqualTo(DialogState.FRESH.awaiting("rating"));
      assertThat(end.ticket()).isEmpty();
    }
  }

  @Test
  void withAnAgentEventsAreStillTheBots() {
    saysOnly(dialogue.decideAtOnce(opened(DialogState.FRESH, Optional.of(7L)),
        event(Inbound.Kind.SUBSCRIBE, "event:subscribe")).orElseThrow(), reply("reply.welcome"));
  }

  // decide(): one entry that stands out

  /** Entries apart enough in meaning that a paraphrase of one leads the others by far. */
  private static final String STUDIO_AND_SHOP = STUDIO + """
        - id: deposit
          question: 定金要交多少？
          answer: 您好，定金为套系价格的百分之二十。
        - id: parking
          question: 店里有停车位吗？
          answer: 您好，大厦地下停车场可免费停车两小时。
      """;

  /**
   * A dialogue on {@link #STUDIO_AND_SHOP} matched by meaning, answering outright only a question typed word for
   * word: everything else is suggested or confirmed.
   */
  private Dialogue unsure(SentenceEncoder encoder, VectorCache cache) throws Exception {
    Files.createDirectories(dir.resolve("kb"));
    Files.writeString(dir.resolve("kb/studio.yaml"), STUDIO_AND_SHOP, StandardCharsets.UTF_8);
    faq.close();
    faq = new FaqEngine(dir.resolve("kb"), dir.resolve("kb-index"), encoder, cache,
        vectors -> MatchModel.shipped(vectors).configured(OptionalDouble.of(1), OptionalDouble.of(0), OptionalDouble.of(0.01)), Clock.fixed(NOW, ZoneOffset.UTC));
    faq.buildNow();
    return dialogue(CONFIG);
  }

  private Decision asked(DialogState state, String text) {
    return dialogue.decide(opened(state, Optional.empty()), text(text));
  }

  @Test
  void oneEntryWellAheadIsAskedAboutAloneAndYesOrOneAnswersIt() throws Exception {
    try (SentenceEncoder encoder = new SentenceEncoder();
        VectorCache cache = new VectorCache(dir.resolve("vectors.bin"), SentenceEncoder.DIMENSION)) {
      dialogue = unsure(encoder, cache);

      Decision confirm = asked(DialogState.FRESH, "定金要交多少钱");
      DialogState confirming = DialogState.FRESH.confirming("deposit");
      assertThat(confirm.state()).isEqualTo(confirming);
      assertThat(confirm.ticket()).isEmpty();
      // A one-item menu when sent through the API; as a passive reply, this text.
      assertThat(confirm.replies()).containsExactly(new Reply.Choices(TEMPLATES.text("reply.confirm.head"),
          List.of(new Reply.Choice("1", "定金要交多少？")), TEMPLATES.text("reply.confirm.tail"),
          "您是想问「定金要交多少」吗？回复 1 查看解答，或换个说法再问。"));

      Reply answer = new Reply.Text("您好，定金为套系价格的百分之二十。");
      for (String yes : List.of("是", "对", "嗯", "对的", "是的！", "是啊", "1", "１")) {
        saysOnly(decided(confirming, text(yes)), answer);
      }
      saysOnly(decided(confirming, tapped("1")), answer);

      saysOnly(decided(confirming, text("不是")), reply("reply.confirm.denied"));
      saysOnly(decided(confirming, text("不对。")), reply("reply.confirm.denied"));

      // Anything else is a question of its own, asked afresh.
      assertThat(atOnce(confirming, text("店里有停车位吗"))).isEmpty();
      assertThat(asked(confirming, "开车过去好停车吗").state()).isEqualTo(DialogState.FRESH.confirming("parking"));
      // Yes means nothing when nothing was asked.
      assertThat(atOnce(DialogState.FRESH, text("是的"))).isEmpty();
    }
  }

  @Test
  void entriesCloseTogetherAreSuggestedTogetherAsNumberedText() throws Exception {
    try (SentenceEncoder encoder = new SentenceEncoder();
        VectorCache cache = new VectorCache(dir.resolve("vectors.bin"), SentenceEncoder.DIMENSION)) {
      dialogue = unsure(encoder, cache);

      Decision suggest = asked(DialogState.FRESH, "拍摄");
      assertThat(suggest.state().choices()).hasSizeBetween(2, 3).contains("booking", "reschedule");
      assertThat(suggest.state().awaiting()).isEmpty();
      Reply.Choices choices = (Reply.Choices) suggest.replies().get(0);
      // Only the menu can be tapped; the numbered text asks for a number.
      assertThat(choices.tail()).isEqualTo(TEMPLATES.text("reply.suggest.menu-tail")).contains("点击");
      assertThat(choices.numbered()).endsWith(TEMPLATES.text("reply.suggest.tail")).contains("回复序号").doesNotContain("点击");
    }
  }

  // decide(): the fallback, without a knowledge base

  @Test
  void aQuestionTheBotCannotAnswerFallsBackThenGoesToAPerson() {
    Decision first = dialogue.decide(opened(DialogState.FRESH, Optional.empty()), text("婚纱照多少钱"));
    assertThat(first.replies()).containsExactly(reply("reply.fallback"));
    assertThat(first.state().fallbacks()).isEqualTo(1);
    assertThat(first.ticket()).isEmpty();

    Decision second = dialogue.decide(opened(first.state(), Optional.empty()), text("婚纱照多少钱"));
    handsOver(second, Ticket.Kind.HANDOFF, Ticket.Reason.FALLBACK, "reply.fallback-handoff");
  }
}
