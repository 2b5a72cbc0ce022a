package kefu.desk;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import kefu.TestConfigs;
import kefu.TestNode;
import kefu.template.Templates;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Customer records through the console's HTTP: who may change milestones and upload lists, and an agent linking a
 * chat's customer to a record by the number the customer gives.
 */
class RecordDeskTest {
  private static final Templates TEMPLATES = Templates.load(Path.of("templates"));

  @TempDir static Path dir;
  static TestNode node;
  static DeskClient desk;

  @BeforeAll
  static void start() throws Exception {
    TestNode.copySampleKnowledgeBase(dir);
    node = TestNode.start(TestNode.config(dir, Optional.empty()));
    desk = new DeskClient(node.port());
    Path configFile = DeskClient.configFile(dir, node.config().db().url());
    DeskClient.addUser(configFile, "wangfang", "王芳", "agent");
    DeskClient.addUser(configFile, "lina", "李娜", "supervisor");
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  /** A record made through the API; its id. */
  private static long record(String reference) throws Exception {
    HttpResponse<String> made = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + node.port() + "/api/milestones"))
        .header("Authorization", "Bearer " + TestConfigs.INTEGRATION_KEY)
        .POST(HttpRequest.BodyPublishers.ofString("{\"reference\":\"" + reference
            + "\",\"line\":\"equipment\",\"kind\":\"purchase\",\"date\":\"2026-12-01\"}")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(made.statusCode()).isEqualTo(201);
    return node.one(Long.class, "SELECT id FROM customer_records WHERE reference = ?", reference);
  }

  @Test
  void anAgentLinksTheChatsCustomerToTheRecordOfTheNumberTheyGive() throws Exception {
    long id = record("BL-LINK-1");
    String openid = "o-link-1";
    assertThat(node.say(openid, "转人工")).startsWith(TEMPLATES.text("reply.handoff"));
    long ticket = node.one(Long.class, "SELECT t.id FROM tickets t JOIN customers c ON c.id = t.customer_id WHERE c.openid = ?", openid);
    DeskClient.Session agent = desk.logIn("wangfang");
    assertThat(desk.post("/desk/tickets/" + ticket + "/accept", agent, Map.of()).statusCode()).isEqualTo(303);
    assertThat(desk.get("/desk/tickets/" + ticket, agent.cookie()).body()).contains("关联客户档案");

    assertThat(desk.post("/desk/tickets/" + ticket + "/record", agent, Map.of("reference", "BL-NONE")).statusCode()).isEqualTo(404);
    HttpResponse<String> linked = desk.post("/desk/tickets/" + ticket + "/record", agent, Map.of("reference", " BL-LINK-1 "));

    assertThat(linked.statusCode()).isEqualTo(303);
    assertThat(linked.headers().firstValue("Location")).contains("/desk/records/" + id);
    assertThat(node.one(Long.class, "SELECT customer_id FROM customer_records WHERE id = ?", id))
        .isEqualTo(node.one(Long.class, "SELECT id FROM customers WHERE openid = ?", openid));
    assertThat(desk.get("/desk/records/" + id, agent.cookie()).body()).contains("已关联");
    assertThat(desk.get("/desk/tickets/" + ticket, agent.cookie()).body()).contains("<a class=\"past\" href=\"/desk/records/" + id + "\">BL-LINK-1</a>");
  }

  @Test
  void onlySupervisorsAndTheOwnerChangeMilestones() throws Exception {
    long id = record("BL-EDIT-1");
    DeskClient.Session agent = desk.logIn("wangfang");
    DeskClient.Session supervisor = desk.logIn("lina");
    String milestones = "/desk/records/" + id + "/milestones";

    assertThat(desk.get("/desk/records/" + id, agent.cookie()).body()).doesNotContain("milestone-form");
    assertThat(desk.post(milestones, agent, Map.of("kind", "warranty_end", "date", "2027-12-01")).statusCode()).isEqualTo(403);
    assertThat(desk.post(milestones, supervisor, Map.of("kind", "warranty_end", "date", "2027-12-01")).statusCode()).isEqualTo(303);
    assertThat(desk.post(milestones, supervisor, Map.of("kind", "birthday", "date", "2027-12-01")).statusCode()).isEqualTo(400);
    assertThat(desk.post(milestones, supervisor, Map.of("kind", "warranty_end", "date", "明天")).statusCode()).isEqualTo(400);
    assertThat(desk.post(milestones + "/cancel", supervisor, Map.of("kind", "warranty_end")).statusCode()).isEqualTo(400);
    assertThat(desk.post(milestones + "/cancel", supervisor, Map.of("kind", "wedding", "reason", "没有这个节点")).statusCode())
        .isEqualTo(404);
    assertThat(desk.post(milestones + "/cancel", supervisor, Map.of("kind", "warranty_end", "reason", "客户已换新机")).statusCode())
        .isEqualTo(303);

    assertThat(node.one(String.class, "SELECT source || '/' || cancel_reason FROM milestones WHERE record_id = ? AND kind = 'warranty_end'",
        id)).isEqualTo("agent/客户已换新机");
    assertThat(desk.get("/desk/records/" + id, supervisor.cookie()).body()).contains("已取消：客户已换新机");

    // Given the record's follow-ups, the agent may change its milestones too.
    long wangfang = node.one(Long.class, "SELECT id FROM agents WHERE login = 'wangfang'");
    assertThat(desk.post("/desk/records/" + id + "/owner", agent, Map.of("agent", String.valueOf(wangfang))).statusCode()).isEqualTo(403);
    assertThat(desk.post("/desk/records/" + id + "/owner", supervisor, Map.of("agent", String.valueOf(wangfang))).statusCode()).isEqualTo(303);
    assertThat(desk.get("/desk/records/" + id, agent.cookie()).body()).contains("milestone-form");
    assertThat(desk.post(milestones, agent, Map.of("kind", "consumables", "date", "2027-01-15")).statusCode()).isEqualTo(303);
  }

  @Test
  void supervisorsUploadAListAndReadItsReport() throws Exception {
    byte[] gbk = "单号,公司名,购买日期\nBL-UP-1,广州宏达贸易有限公司,2026-12-01\nBL-UP-2,明德小学,2026-13-01\n"
        .getBytes(Charset.forName("GBK"));
    DeskClient.Session agent = desk.logIn("wangfang");
    DeskClient.Session supervisor = desk.logIn("lina");

    assertThat(upload(agent, gbk).statusCode()).isEqualTo(403);
    HttpResponse<String> uploaded = upload(supervisor, gbk);

    assertThat(uploaded.statusCode()).isEqualTo(200);
    JsonObject report = new JsonObject(uploaded.body());
    assertThat(report.getString("format")).isEqualTo("CSV, GB18030");
    assertThat(report.getInteger("created")).isEqualTo(1);
    assertThat(report.getJsonArray("refused").getJsonObject(0).getMap())
        .containsEntry("line", 3).containsEntry("reason", "购买日期 \"2026-13-01\" is not a date (2026-05-01, 2026/5/1, 2026年5月1日 or 今天+3)");
    assertThat(node.one(String.class, "SELECT company FROM customer_records WHERE reference = 'BL-UP-1'")).isEqualTo("广州宏达贸易有限公司");
  }

  private static HttpResponse<String> upload(DeskClient.Session session, byte[] file) throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + node.port() + "/desk/records/import?line=equipment"))
        .header("Cookie", session.cookie()).header("X-CSRF-Token", session.csrf()).header("Content-Type", "application/octet-stream")
        .POST(HttpRequest.BodyPublishers.ofByteArray(file)).build(), HttpResponse.BodyHandlers.ofString());
  }
}
