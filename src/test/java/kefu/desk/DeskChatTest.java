package kefu.desk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import kefu.TestNode;
import kefu.config.KefuConfig;
import kefu.kb.Entry;
import kefu.kb.KnowledgeBaseLoader;
import kefu.kb.AnswerRule;
import kefu.template.Templates;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Agents taking chats over HTTP, with customers on the webhook and WeChat's API played by the stand-in: accepting
 * from the queue, the bot silent meanwhile, replies reaching the customer, closing with a rating that credits the
 * agent, the customer ending the chat, who may see which chat, and the live socket.
 */
class DeskChatTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final Templates TEMPLATES = Templates.load(Path.of("templates"));
  private static final String TICKET_OF = "SELECT t.id FROM tickets t JOIN customers c ON c.id = t.customer_id WHERE c.openid = ?";

  @TempDir static Path dir;
  static TestNode node;
  static DeskClient desk;

  @BeforeAll
  static void start() throws Exception {
    TestNode.copySampleKnowledgeBase(dir);
    KefuConfig base = TestNode.config(dir, Optional.empty());
    // Each test leaves 王芳 a chat or two; the limit on chats is AssignmentTest's subject.
    node = TestNode.start(base.withDesk(base.desk().withMaxChats(50)));
    node.awaitKnowledgeBase();
    desk = new DeskClient(node.port());
    Path configFile = DeskClient.configFile(dir, node.config().db().url());
    DeskClient.addUser(configFile, "wangfang", "王芳", "agent");
    DeskClient.addUser(configFile, "zhaolei", "赵磊", "agent");
    DeskClient.addUser(configFile, "lina", "李娜", "supervisor");
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  @Test
  void anAgentAcceptsRepliesAndClosesAndTheRatingCreditsThem() throws Exception {
    // Proves the whole chat: accepted from the queue (the customer is greeted by name of the agent), the bot silent
    // while the agent has the customer, the pane counting WeChat's allowance, the agent's reply delivered, closing
    // asks for a rating, and the customer's "1" is stored against the ticket, whose served-by list holds the agent.
    String openid = customerWaiting();
    long ticket = node.one(Long.class, TICKET_OF, openid);
    DeskClient.Session wang = desk.logIn("wangfang");
    assertThat(desk.get("/desk", wang.cookie()).body()).contains("/desk/tickets/" + ticket + "/accept");

    HttpResponse<String> accepted = desk.post("/desk/tickets/" + ticket + "/accept", wang, Map.of());
    assertThat(accepted.statusCode()).isEqualTo(303);
    assertThat(accepted.headers().firstValue("Location")).hasValue("/desk/tickets/" + ticket);
    awaitSent(openid, "您好，我是客服王芳，很高兴为您服务！请问有什么可以帮您？");

    assertThat(desk.get("/desk/tickets/" + ticket + "/transcript", wang.cookie()).body()).contains("还可回复 4 条");

    assertThat(node.post(node.wechat().text(openid, "我想改一下拍摄日期")).body()).isEqualTo("success");
    assertThat(desk.get("/desk/tickets/" + ticket + "/transcript", wang.cookie()).body())
        .contains("我想改一下拍摄日期").contains("转人工").as("a new message, a new allowance").contains("还可回复 5 条");

    assertThat(desk.post("/desk/tickets/" + ticket + "/messages", wang, Map.of("text", "好的,请问您想改到哪一天?")).statusCode())
        .isEqualTo(303);
    awaitSent(openid, "好的,请问您想改到哪一天?");

    assertThat(desk.post("/desk/tickets/" + ticket + "/close", wang, Map.of()).statusCode()).isEqualTo(303);
    awaitSent(openid, TEMPLATES.text("reply.rating.ask"));
    assertThat(node.say(openid, "1")).isEqualTo(TEMPLATES.text("reply.rating.thanks"));

    assertThat(node.one(Long.class, "SELECT ticket_id FROM ratings WHERE ticket_id = ?", ticket)).isEqualTo(ticket);
    assertThat(node.one(BigDecimal.class, "SELECT score FROM ratings WHERE ticket_id = ?", ticket)).isEqualByComparingTo("1.1");
    assertThat(node.one(String.class, "SELECT a.login FROM ratings r JOIN ticket_agents s ON s.ticket_id = r.ticket_id"
        + " JOIN agents a ON a.id = s.agent_id WHERE r.ticket_id = ?", ticket)).isEqualTo("wangfang");
    assertThat(node.one(String.class, "SELECT status FROM tickets WHERE id = ?", ticket)).isEqualTo("closed");
    assertThat(node.one(String.class, "SELECT LISTAGG(e.action || ':' || COALESCE(a.login, '-'), ',') WITHIN GROUP (ORDER BY e.id)"
        + " FROM ticket_events e LEFT JOIN agents a ON a.id = e.agent_id WHERE e.ticket_id = ?", ticket))
        .isEqualTo("waiting:-,assigned:wangfang,closed:wangfang");
  }

  @Test
  void aTransferredChatCreditsBothAgentsForTheRating() throws Exception {
    // Proves a transfer: the customer hears which agent takes over, the first agent no longer sees the chat, the
    // second reads the note in its history, and the rating after the second agent closes credits both.
    Chat chat = acceptedBy("wangfang");
    String pane = "/desk/tickets/" + chat.ticket();
    long zhaoId = node.one(Long.class, "SELECT id FROM agents WHERE login = 'zhaolei'");
    assertThat(desk.post(pane + "/transfer", chat.agent(), Map.of("to", "99999")).statusCode()).isEqualTo(400);

    assertThat(desk.post(pane + "/transfer", chat.agent(), Map.of("to", Long.toString(zhaoId), "note", "客户想把拍摄改到下周六"))
        .statusCode()).isEqualTo(303);
    awaitSent(chat.openid(), TEMPLATES.render("reply.chat.transferred", Map.of("agent", "赵磊")));
    assertThat(desk.get(pane, chat.agent().cookie()).statusCode()).isEqualTo(404);
    DeskClient.Session zhao = desk.logIn("zhaolei");
    assertThat(desk.get(pane, zhao.cookie()).body()).contains("客户想把拍摄改到下周六");

    assertThat(desk.post(pane + "/close", zhao, Map.of()).statusCode()).isEqualTo(303);
    awaitSent(chat.openid(), TEMPLATES.text("reply.rating.ask"));
    assertThat(node.say(chat.openid(), "2")).isEqualTo(TEMPLATES.text("reply.rating.thanks"));
    assertThat(node.one(String.class, "SELECT LISTAGG(a.login, ',') WITHIN GROUP (ORDER BY a.login) FROM ratings r"
        + " JOIN ticket_agents s ON s.ticket_id = r.ticket_id JOIN agents a ON a.id = s.agent_id WHERE r.ticket_id = ?", chat.ticket()))
        .isEqualTo("wangfang,zhaolei");
    assertThat(node.one(String.class, "SELECT LISTAGG(e.action || ':' || COALESCE(a.login, '-'), ',') WITHIN GROUP (ORDER BY e.id)"
        + " FROM ticket_events e LEFT JOIN agents a ON a.id = e.agent_id WHERE e.ticket_id = ?", chat.ticket()))
        .isEqualTo("waiting:-,assigned:wangfang,transferred:wangfang,closed:zhaolei");
  }

  @Test
  void answerAssistOffersTheKnowledgeBasesAnswerAndRecordsTheOneTaken() throws Exception {
    // Proves: for the customer's latest message the pane's assist part offers the entry that answers it; a reply sent
    // from it records the entry; the canned replies of templates/desk.yaml are offered with their shortcuts.
    Entry entry = KnowledgeBaseLoader.load(Path.of("knowledge-base")).entries().get(0);
    Chat chat = acceptedBy("wangfang");
    String pane = "/desk/tickets/" + chat.ticket();
    node.post(node.wechat().text(chat.openid(), entry.question()));

    String assist = desk.get(pane + "/assist", chat.agent().cookie()).body();
    assertThat(assist).contains("data-entry=\"" + entry.id() + "\"").contains(entry.question());
    assertThat(desk.get(pane, chat.agent().cookie()).body()).contains("/hello").contains(TEMPLATES.text("canned.hello"));

    assertThat(desk.post(pane + "/messages", chat.agent(), Map.of("text", entry.answer(), "suggestion", entry.id())).statusCode())
        .isEqualTo(303);
    assertThat(node.one(String.class, "SELECT kb_entry_id FROM messages WHERE agent_id IS NOT NULL AND kb_entry_id IS NOT NULL"
        + " AND conversation_id = (SELECT conversation_id FROM tickets WHERE id = ?)", chat.ticket())).isEqualTo(entry.id());
  }

  @Test
  void answerAssistLeavesOutWhatTheKnowledgeBaseIsNotSureOf() throws Exception {
    // Proves answer assist offers only candidates at or above the engine's suggest threshold (here the words model's
    // fitted one): for a question about the address, the address, not the weaker candidates the engine also found.
    String question = "你们店在哪里";
    double threshold = AnswerRule.shipped(false).suggest();
    List<JsonObject> found = node.kbSearch(question).getJsonArray("candidates").stream().map(JsonObject.class::cast).limit(3).toList();
    List<String> sure = found.stream().filter(c -> c.getDouble("confidence") >= threshold).map(c -> c.getString("entryId")).toList();
    List<String> unsure = found.stream().filter(c -> c.getDouble("confidence") < threshold).map(c -> c.getString("entryId")).toList();
    assertThat(sure).as("candidates the engine is sure of").isNotEmpty();
    assertThat(unsure).as("weaker candidates among the first three").isNotEmpty();

    Chat chat = acceptedBy("wangfang");
    node.post(node.wechat().text(chat.openid(), question));
    String assist = desk.get("/desk/tickets/" + chat.ticket() + "/assist", chat.agent().cookie()).body();
    sure.forEach(entry -> assertThat(assist).contains("data-entry=\"" + entry + "\""));
    unsure.forEach(entry -> assertThat(assist).doesNotContain("data-entry=\"" + entry + "\""));

    // The agent, logged in, may look further at /desk/kb/search: the same candidates as the API's.
    HttpResponse<String> staff = desk.get("/desk/kb/search?q=" + URLEncoder.encode(question, StandardCharsets.UTF_8), chat.agent().cookie());
    assertThat(staff.statusCode()).isEqualTo(200);
    assertThat(new JsonObject(staff.body()).getJsonArray("candidates").stream().map(JsonObject.class::cast).limit(3)
        .map(c -> c.getString("entryId")).toList()).isEqualTo(found.stream().map(c -> c.getString("entryId")).toList());
  }

  @Test
  void aReplyWithATabooPhraseIsHeldBackUntilTheAgentConfirmsIt() throws Exception {
    // Proves a reply containing a 服务忌语 (templates/desk.yaml) is answered 422 naming the phrase and not sent, even
    // with punctuation inside it; sent as written once the agent confirms.
    Chat chat = acceptedBy("wangfang");
    String messages = "/desk/tickets/" + chat.ticket() + "/messages";
    long before = node.count(TestNode.OUTBOX_OF, chat.openid());

    HttpResponse<String> held = desk.post(messages, chat.agent(), Map.of("text", "这个我也不, 知道"));
    assertThat(held.statusCode()).isEqualTo(422);
    assertThat(new JsonObject(held.body()).getString("taboo")).isEqualTo("不知道");
    assertThat(node.count(TestNode.OUTBOX_OF, chat.openid())).isEqualTo(before);

    assertThat(desk.post(messages, chat.agent(), Map.of("text", "这个我也不, 知道", "confirmed", "yes")).statusCode()).isEqualTo(303);
    assertThat(node.count(TestNode.OUTBOX_OF, chat.openid())).isEqualTo(before + 1);
  }

  @Test
  void aChatQuietForTooLongIsClosedPolitely() throws Exception {
    // Proves desk.chat-idle-timeout (30 min): a chat nobody wrote in since is closed with the idle closing line and
    // the rating request, and the bot answers the customer again.
    Chat chat = acceptedBy("wangfang");
    node.clock().advance(Duration.ofMinutes(31));
    customerWaiting(); // a change in the queue: the desk looks at it again

    awaitSent(chat.openid(), TEMPLATES.text("reply.chat.idle-closed"));
    awaitSent(chat.openid(), TEMPLATES.text("reply.rating.ask"));
    assertThat(node.one(String.class, "SELECT status FROM tickets WHERE id = ?", chat.ticket())).isEqualTo("closed");
    assertThat(node.say(chat.openid(), "1")).isEqualTo(TEMPLATES.text("reply.rating.thanks"));
  }

  @Test
  void theCustomerFileMasksThePhoneUntilAnAgentGivesAReasonWhichIsLogged() throws Exception {
    // Proves the customer's file: what the agent records is shown, the phone masked; revealing it needs a reason,
    // which is stored with who and which ticket; another agent cannot reveal it; earlier tickets show with their rating.
    Chat first = acceptedBy("wangfang");
    String pane = "/desk/tickets/" + first.ticket();
    assertThat(desk.post(pane + "/customer", first.agent(), Map.of("name", "刘女士", "phone", "13912345678", "birthday", "1993-05-20",
        "tags", "VIP, 老客户", "notes", "婚期 2027-05-01")).statusCode()).isEqualTo(303);
    desk.post(pane + "/close", first.agent(), Map.of());
    node.say(first.openid(), "1");
    assertThat(node.say(first.openid(), "转人工")).startsWith(TEMPLATES.text("reply.handoff"));
    long second = node.one(Long.class, "SELECT t.id FROM tickets t JOIN customers c ON c.id = t.customer_id"
        + " WHERE c.openid = ? AND t.status = 'waiting'", first.openid());
    desk.post("/desk/tickets/" + second + "/accept", first.agent(), Map.of());

    String file = desk.get("/desk/tickets/" + second, first.agent().cookie()).body();
    assertThat(file).contains("刘女士").contains("139****5678").doesNotContain("13912345678").contains("VIP,老客户")
        .contains("1993-05-20").contains("#" + first.ticket()).contains("评价 非常满意");
    assertThat(desk.post("/desk/tickets/" + second + "/reveal", first.agent(), Map.of()).statusCode()).isEqualTo(400);
    DeskClient.Session zhao = desk.logIn("zhaolei");
    assertThat(desk.post("/desk/tickets/" + second + "/reveal", zhao, Map.of("reason", "想看看")).statusCode()).isEqualTo(404);

    HttpResponse<String> revealed = desk.post("/desk/tickets/" + second + "/reveal", first.agent(), Map.of("reason", "客户要求回电确认档期"));
    assertThat(revealed.statusCode()).isEqualTo(200);
    assertThat(revealed.body()).contains("13912345678");
    assertThat(node.one(String.class, "SELECT r.reason || '/' || a.login FROM customer_reveals r JOIN agents a ON a.id = r.agent_id"
        + " WHERE r.ticket_id = ?", second)).isEqualTo("客户要求回电确认档期/wangfang");
  }

  @Test
  void aSupervisorTakesOverAnAgentsChat() throws Exception {
    // Proves a supervisor takes over a chat by transferring it to themselves: the customer hears 李娜 takes over and
    // the chat is hers to close.
    Chat chat = acceptedBy("wangfang");
    DeskClient.Session li = desk.logIn("lina");
    long liId = node.one(Long.class, "SELECT id FROM agents WHERE login = 'lina'");
    String pane = "/desk/tickets/" + chat.ticket();
    assertThat(desk.get(pane, li.cookie()).body()).contains("<option value=\"" + liId + "\">李娜(主管)</option>");

    assertThat(desk.post(pane + "/transfer", li, Map.of("to", Long.toString(liId), "note", "主管接手")).statusCode()).isEqualTo(303);
    awaitSent(chat.openid(), TEMPLATES.render("reply.chat.transferred", Map.of("agent", "李娜")));
    assertThat(node.one(String.class, "SELECT a.login FROM tickets t JOIN agents a ON a.id = t.agent_id WHERE t.id = ?", chat.ticket()))
        .isEqualTo("lina");
    assertThat(desk.post(pane + "/close", li, Map.of()).statusCode()).isEqualTo(303);
  }

  @Test
  void theCustomerEndsTheChatAndTheBotAnswersAgain() throws Exception {
    // Proves "结束" from the customer closes the ticket (by the customer: no agent in the event), thanks them and
    // asks for a rating, and the next message is the bot's again.
    Chat chat = acceptedBy("wangfang");
    String openid = chat.openid();
    long ticket = chat.ticket();
    DeskClient.Session wang = chat.agent();

    assertThat(node.say(openid, "结束")).isEqualTo(TEMPLATES.text("reply.chat.closed"));
    awaitSent(openid, TEMPLATES.text("reply.rating.ask"));
    assertThat(node.one(String.class, "SELECT status FROM tickets WHERE id = ?", ticket)).isEqualTo("closed");
    assertThat(node.count("SELECT COUNT(*) FROM ticket_events WHERE ticket_id = ? AND action = 'closed' AND agent_id IS NULL", ticket))
        .isEqualTo(1);
    assertThat(desk.post("/desk/tickets/" + ticket + "/messages", wang, Map.of("text", "还在吗?")).statusCode()).isEqualTo(409);

    assertThat(node.say(openid, "你好")).isEqualTo(TEMPLATES.text("reply.greeting"));
  }

  @Test
  void anAgentSeesOnlyTheirOwnChatsAndSupervisorsSeeAll() throws Exception {
    // Proves another agent gets 404 for the chat, its transcript and a (correctly tokened) post into it, and does not
    // find it in their list; a supervisor reads it, and sees the team with their presence and load.
    String openid = customerWaiting();
    long ticket = node.one(Long.class, TICKET_OF, openid);
    DeskClient.Session wang = desk.logIn("wangfang");
    DeskClient.Session zhao = desk.logIn("zhaolei");
    DeskClient.Session li = desk.logIn("lina");
    desk.post("/desk/tickets/" + ticket + "/accept", wang, Map.of());

    assertThat(desk.get("/desk/tickets/" + ticket, zhao.cookie()).statusCode()).isEqualTo(404);
    assertThat(desk.get("/desk/tickets/" + ticket + "/transcript", zhao.cookie()).statusCode()).isEqualTo(404);
    assertThat(desk.post("/desk/tickets/" + ticket + "/messages", zhao, Map.of("text", "您好")).statusCode()).isEqualTo(404);
    assertThat(desk.post("/desk/tickets/" + ticket + "/close", zhao, Map.of()).statusCode()).isEqualTo(404);
    assertThat(desk.get("/desk", zhao.cookie()).body()).doesNotContain("/desk/tickets/" + ticket + "\"");

    HttpResponse<String> supervised = desk.get("/desk/tickets/" + ticket, li.cookie());
    assertThat(supervised.statusCode()).isEqualTo(200);
    assertThat(supervised.body()).contains("转人工");
    assertThat(desk.get("/desk", li.cookie()).body()).contains("/desk/tickets/" + ticket + "\"").contains("王芳")
        .contains("<table id=\"team\">");
    assertThat(desk.get("/desk", zhao.cookie()).body()).doesNotContain("<table id=\"team\">");
  }

  @Test
  void aTicketAnotherAgentTookFirstIsRefused() throws Exception {
    String openid = customerWaiting();
    long ticket = node.one(Long.class, TICKET_OF, openid);
    desk.post("/desk/tickets/" + ticket + "/accept", desk.logIn("wangfang"), Map.of());

    HttpResponse<String> late = desk.post("/desk/tickets/" + ticket + "/accept", desk.logIn("zhaolei"), Map.of());
    assertThat(late.statusCode()).isEqualTo(409);
    assertThat(late.body()).contains("这位客户已由其他客服接入");
    assertThat(node.one(String.class, "SELECT a.login FROM tickets t JOIN agents a ON a.id = t.agent_id WHERE t.id = ?", ticket))
        .isEqualTo("wangfang");
  }

  @Test
  void aForgedReplyIsRefusedAndNothingIsSent() throws Exception {
    // Proves a post into the agent's own chat without the session's CSRF token (as another site's form would make
    // it) gets 403 and reaches neither the transcript nor the customer.
    Chat chat = acceptedBy("wangfang");
    String openid = chat.openid();
    long ticket = chat.ticket();
    DeskClient.Session wang = chat.agent();
    long before = node.count(TestNode.OUTBOX_OF, openid);

    assertThat(desk.post("/desk/tickets/" + ticket + "/messages", wang.cookie(), Map.of("text", "请点击链接领取奖品")).statusCode())
        .isEqualTo(403);
    assertThat(node.count(TestNode.OUTBOX_OF, openid)).isEqualTo(before);
    assertThat(desk.get("/desk/tickets/" + ticket + "/transcript", wang.cookie()).body()).doesNotContain("领取奖品");
  }

  @Test
  void anEmptyOrOverlongReplyIsRefused() throws Exception {
    Chat chat = acceptedBy("wangfang");
    String messages = "/desk/tickets/" + chat.ticket() + "/messages";

    assertThat(desk.post(messages, chat.agent(), Map.of("text", "  ")).statusCode()).isEqualTo(400);
    assertThat(desk.post(messages, chat.agent(), Map.of("text", "好".repeat(ChatActionRoutes.MAX_REPLY + 1))).statusCode()).isEqualTo(400);
  }

  @Test
  void consolesHearOfTheQueueAndOfTheirOwnChatsOverTheSocket() throws Exception {
    // Proves the live socket: a customer joining the queue reaches every console; a message in a chat reaches its
    // agent and not another agent, whose next event is the following queue change.
    DeskClient.Session wang = desk.logIn("wangfang");
    DeskClient.Session zhao = desk.logIn("zhaolei");
    try (DeskClient.Live wangLive = desk.live(wang); DeskClient.Live zhaoLive = desk.live(zhao)) {
      String openid = customerWaiting();
      assertThat(wangLive.next().getString("type")).isEqualTo("queue");
      assertThat(zhaoLive.next().getString("type")).isEqualTo("queue");
      long ticket = node.one(Long.class, TICKET_OF, openid);
      desk.post("/desk/tickets/" + ticket + "/accept", wang, Map.of());
      assertThat(wangLive.next().getString("type")).isEqualTo("queue");
      assertThat(zhaoLive.next().getString("type")).isEqualTo("queue");

      node.post(node.wechat().text(openid, "请问还在吗"));
      JsonObject chat = wangLive.next();
      assertThat(chat.getString("type")).isEqualTo("chat");
      assertThat(chat.getLong("conversation")).isEqualTo(
          node.one(Long.class, "SELECT conversation_id FROM tickets WHERE id = ?", ticket));

      customerWaiting();
      assertThat(zhaoLive.next().getString("type")).as("the other agent's next event").isEqualTo("queue");
    }
  }

  @Test
  void theSocketRefusesAnotherSiteAndAVisitorWithoutSession() throws Exception {
    // Proves a page of another site cannot open an agent's socket with their cookie (403), a request without a
    // cookie is refused, and a socket whose cookie opens no session is closed at once (1008) without events.
    DeskClient.Session wang = desk.logIn("wangfang");
    assertThatThrownBy(() -> desk.open(wang.cookie(), "https://evil.example")).hasStackTraceContaining("status code 403");
    assertThat(desk.get("/desk/live", null).statusCode()).isEqualTo(403);
    try (DeskClient.Live stranger = desk.open("kefu_desk=made-up", "http://127.0.0.1:" + node.port())) {
      JsonObject closed = stranger.next();
      assertThat(closed.getString("type")).isEqualTo("closed");
      assertThat(closed.getInteger("code")).isEqualTo(1008);
    }
  }

  // ---- Helpers

  /** A customer in a chat an agent accepted: who, the ticket, and the agent's session. */
  private record Chat(String openid, long ticket, DeskClient.Session agent) {}

  private static Chat acceptedBy(String login) throws Exception {
    String openid = customerWaiting();
    long ticket = node.one(Long.class, TICKET_OF, openid);
    DeskClient.Session agent = desk.logIn(login);
    assertThat(desk.post("/desk/tickets/" + ticket + "/accept", agent, Map.of()).statusCode()).isEqualTo(303);
    return new Chat(openid, ticket, agent);
  }

  /** A new customer who asked for a person and waits in the queue; their openid. */
  private static String customerWaiting() throws Exception {
    String openid = "o-desk-" + UUID.randomUUID();
    assertThat(node.say(openid, "转人工")).startsWith(TEMPLATES.text("reply.handoff") + "\n");
    return openid;
  }

  private static void awaitSent(String openid, String text) {
    await().atMost(WAIT).until(() -> texts(openid).contains(text));
  }

  private static List<String> texts(String openid) throws Exception {
    return node.sent(openid).stream().map(sent -> sent.getJsonObject("message"))
        .filter(m -> "text".equals(m.getString("msgtype"))).map(m -> m.getJsonObject("text").getString("content")).toList();
  }
}
