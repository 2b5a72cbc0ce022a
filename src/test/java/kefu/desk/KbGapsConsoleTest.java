package kefu.desk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import kefu.TestNode;
import kefu.gaps.GapFixtures;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The supervisors' page of the questions the knowledge base lacks, over HTTP: questions grouped, a new entry made from
 * a group answered after the next build, dismissing, who may use it, and answer assist recorded as a signal.
 */
class KbGapsConsoleTest {
  private static final String TICKET_OF = "SELECT t.id FROM tickets t JOIN customers c ON c.id = t.customer_id WHERE c.openid = ?";
  private static final Pattern CLUSTER = Pattern.compile(
      "<article class=\"gap-cluster\" id=\"cluster-(\\d+)\">\\s*<h3><span class=\"wording\">([^<]+)</span> <span class=\"count\">(\\d+)</span>");
  private static final Pattern IDS = Pattern.compile("name=\"ids\" value=\"([\\d,]+)\"");

  @TempDir static Path dir;
  static TestNode node;
  static DeskClient desk;

  @BeforeAll
  static void start() throws Exception {
    node = GapFixtures.start(dir);
    desk = new DeskClient(node.port());
    Path configFile = DeskClient.configFile(dir, node.config().db().url());
    DeskClient.addUser(configFile, "wangfang", "王芳", "agent");
    DeskClient.addUser(configFile, "lina", "李娜", "supervisor");
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  /** The page's groups: the wording shown → how many questions; and the ids its forms carry, by that wording. */
  private static Map<String, String> groups(String page) {
    Map<String, String> counts = new java.util.LinkedHashMap<>();
    Matcher m = CLUSTER.matcher(page);
    while (m.find()) {
      counts.put(m.group(2), m.group(3));
    }
    return counts;
  }

  private static String idsOf(String page, String wording) {
    int at = page.indexOf("<span class=\"wording\">" + wording + "</span>");
    assertThat(at).as("a group shown as %s", wording).isNotNegative();
    Matcher m = IDS.matcher(page);
    assertThat(m.find(at)).isTrue();
    return m.group(1);
  }

  @Test
  void aGroupMadeANewEntryIsAnsweredAfterTheNextBuild() throws Exception {
    node.say("o-park-1", "有停车位吗");
    node.say("o-park-2", "有停车位吗？");
    node.say("o-park-3", "有停車位嗎");
    node.say("o-park-5", "有停车位吗");
    node.say("o-card", "可以刷卡吗");
    DeskClient.Session lina = desk.logIn("lina");
    String page = desk.get("/desk/kb/gaps", lina.cookie()).body();
    assertThat(groups(page)).containsEntry("有停车位吗", "4").containsEntry("可以刷卡吗", "1");
    assertThat(page).contains("未能解答 4").contains("id=\"bot-days\"");

    HttpResponse<String> made = desk.post("/desk/kb/gaps/entry", lina, Map.of("ids", idsOf(page, "有停车位吗"),
        "topic", "门店", "question", "有停车位吗？", "answer", "您好，门口有免费停车位。"));
    assertThat(made.statusCode()).isEqualTo(303);
    assertThat(made.headers().firstValue("Location")).hasValue("/desk/kb/gaps?done=created");
    await().atMost(Duration.ofSeconds(30)).until(() -> node.say("o-park-4", "有停车位吗").equals("您好，门口有免费停车位。"));

    // Settled; any asked while the node was still building are new questions.
    assertThat(node.count("SELECT COUNT(*) FROM kb_gaps WHERE status = 'created'")).isEqualTo(4);
    page = desk.get("/desk/kb/gaps", lina.cookie()).body();
    assertThat(groups(page)).doesNotContainEntry("有停车位吗", "4").containsKey("可以刷卡吗");
    // Asked again, the question is in the knowledge base now: refused, nothing stored.
    assertThat(desk.post("/desk/kb/gaps/similar", lina, Map.of("ids", idsOf(page, "可以刷卡吗"), "entry", "hours",
        "question", "有停车位吗")).statusCode()).isEqualTo(409);

    assertThat(desk.post("/desk/kb/gaps/dismiss", lina, Map.of("ids", idsOf(page, "可以刷卡吗"))).statusCode()).isEqualTo(303);
    assertThat(groups(desk.get("/desk/kb/gaps", lina.cookie()).body())).doesNotContainKey("可以刷卡吗");
    assertThat(node.column(String.class, "SELECT status FROM kb_gaps WHERE question = '可以刷卡吗'")).containsExactly("dismissed");
  }

  @Test
  void aGroupsWordingsAreAddedOneALineSkippingThoseTheKnowledgeBaseHas() throws Exception {
    node.say("o-sunday-1", "礼拜天开门吗");
    node.say("o-sunday-2", "星期天开不开");
    DeskClient.Session lina = desk.logIn("lina");
    String page = desk.get("/desk/kb/gaps", lina.cookie()).body();
    String ids = idsOf(page, "礼拜天开门吗") + "," + idsOf(page, "星期天开不开");
    assertThat(desk.post("/desk/kb/gaps/similar", lina, Map.of("ids", ids, "entry", "hours",
        "question", "礼拜天开门吗\n\n星期天开不开？\r\n营业时间是几点\n")).statusCode()).isEqualTo(303);
    assertThat(node.column(String.class, "SELECT question FROM kb_edits WHERE entry_id = 'hours' ORDER BY id"))
        .containsExactly("礼拜天开门吗", "星期天开不开？");
    await().atMost(Duration.ofSeconds(30)).until(() -> node.say("o-sunday-3", "星期天开不开").equals(GapFixtures.HOURS_ANSWER));
    assertThat(desk.post("/desk/kb/gaps/similar", lina, Map.of("ids", ids, "entry", "hours", "question", "x".repeat(201)))
        .statusCode()).isEqualTo(400);
  }

  @Test
  void onlySupervisorsAndAdminsUseThePageAndFormsNeedTheToken() throws Exception {
    DeskClient.Session wang = desk.logIn("wangfang");
    assertThat(desk.get("/desk/kb/gaps", wang.cookie()).statusCode()).isEqualTo(404);
    assertThat(desk.post("/desk/kb/gaps/dismiss", wang, Map.of("ids", "1")).statusCode()).isEqualTo(404);
    DeskClient.Session lina = desk.logIn("lina");
    assertThat(desk.post("/desk/kb/gaps/dismiss", lina.cookie(), Map.of("ids", "1")).statusCode()).isEqualTo(403);
    assertThat(desk.post("/desk/kb/gaps/dismiss", lina, Map.of("ids", "1;DROP")).statusCode()).isEqualTo(400);
    assertThat(desk.post("/desk/kb/gaps/similar", lina, Map.of("ids", "1", "entry", "no-such-entry", "question", "一个问题"))
        .statusCode()).isEqualTo(400);
  }

  @Test
  void anAnswerAnAgentTookFromAnswerAssistIsRecorded() throws Exception {
    String openid = "o-assist";
    node.say(openid, "转人工");
    DeskClient.Session wang = desk.logIn("wangfang");
    long ticket = node.one(Long.class, TICKET_OF, openid);
    assertThat(desk.post("/desk/tickets/" + ticket + "/accept", wang, Map.of()).statusCode()).isEqualTo(303);
    node.say(openid, "周日几点开门");
    desk.post("/desk/tickets/" + ticket + "/messages", wang, Map.of("text", GapFixtures.HOURS_ANSWER, "suggestion", "hours"));
    node.say(openid, "那周一呢");
    desk.post("/desk/tickets/" + ticket + "/messages", wang, Map.of("text", "周一也是九点开门。", "suggestion", "hours"));
    assertThat(node.column(String.class, "SELECT kind || ':' || question || ':' || entry_id FROM kb_gaps WHERE kind LIKE 'assist%' ORDER BY id"))
        .containsExactly("assist_used:周日几点开门:hours", "assist_changed:那周一呢:hours");
  }
}
