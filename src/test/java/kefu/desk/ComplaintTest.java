package kefu.desk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import kefu.TestNode;
import kefu.config.KefuConfig;
import kefu.template.Templates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A complaint from the customer's words to the result told: recorded by 五清楚, a major one reported at once to the
 * supervisors' consoles and the manager's WeChat, a promised reply that comes late counted as an SLA breach and shown
 * in red, and the ticket open after the chat ends until the customer has been told the result.
 */
class ComplaintTest {
  private static final Templates TEMPLATES = Templates.load(Path.of("templates"));
  private static final String MANAGER = "o-manager";

  @Test
  void aMajorComplaintIsReportedFollowedAndClosedOnlyWhenTheCustomerKnowsTheResult(@TempDir Path dir) throws Exception {
    KefuConfig base = TestNode.config(dir, Optional.empty());
    try (TestNode node = TestNode.start(base.withDesk(base.desk().withManager(MANAGER)))) {
      // The breach is counted on the day it happens: the test must not run across midnight.
      node.clock().keepOneDayFor(Duration.ofMinutes(30));
      Path configFile = DeskClient.configFile(dir, base.db().url());
      DeskClient.addUser(configFile, "wangfang", "王芳", "agent");
      DeskClient.addUser(configFile, "lina", "李娜", "supervisor");
      DeskClient desk = new DeskClient(node.port());
      DeskClient.Session wang = desk.logIn("wangfang");
      DeskClient.Session li = desk.logIn("lina");

      // WeChat lets the account write to the manager within 48 hours of the manager's own message.
      assertThat(node.say(MANAGER, "你好")).isEqualTo(TEMPLATES.text("reply.greeting"));
      String openid = "o-complains";
      assertThat(node.say(openid, "我要投诉,样片里好几张都拍糊了")).startsWith(TEMPLATES.text("reply.complaint"));
      long ticket = node.one(Long.class, "SELECT t.id FROM tickets t JOIN customers c ON c.id = t.customer_id WHERE c.openid = ?", openid);
      assertThat(node.one(String.class, "SELECT kind FROM tickets WHERE id = ?", ticket)).isEqualTo("complaint");
      assertThat(node.one(String.class, "SELECT severity FROM complaints WHERE ticket_id = ?", ticket)).isEqualTo("normal");
      String pane = "/desk/tickets/" + ticket;
      assertThat(desk.post(pane + "/accept", wang, Map.of()).statusCode()).isEqualTo(303);

      try (DeskClient.Live supervisor = desk.live(li)) {
        String due = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm")
            .format(node.clock().instant().plus(2, ChronoUnit.MINUTES).atZone(ZoneId.of("Asia/Shanghai")));
        assertThat(desk.post(pane + "/complaint", wang, Map.of("severity", "major", "told", "样片多张拍糊,要求重拍",
            "asked", "确认是外景的12张", "handling", "已联系摄影师核实", "result", "", "replyDue", due)).statusCode()).isEqualTo(303);
        assertThat(nextOfType(supervisor, "alert").getLong("ticket")).isEqualTo(ticket);
      }
      await().atMost(Duration.ofSeconds(20)).until(() -> node.sent(MANAGER).stream()
          .anyMatch(sent -> sent.encode().contains("【重大投诉】工单 #" + ticket)));
      assertThat(desk.post(pane + "/complaint", wang, Map.of("severity", "major", "told", "x", "replyDue", "2020-01-01T09:00"))
          .statusCode()).as("a promise in the past").isEqualTo(400);

      // The promised time passes: red and counted; the late reply is recorded as a breach.
      node.clock().advance(Duration.ofMinutes(3));
      String late = desk.get("/desk", li.cookie()).body();
      assertThat(late).contains("class=\"major overdue\"").contains("今日超时未回复：<strong class=\"sla-breach\">1</strong>");
      String shownDue = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm").format(
          node.one(OffsetDateTime.class, "SELECT reply_due_at FROM complaints WHERE ticket_id = ?", ticket).atZoneSameInstant(ZoneId.of("Asia/Shanghai")));
      assertThat(desk.post(pane + "/complaint", wang, Map.of("severity", "major", "told", "样片多张拍糊,要求重拍", "handling", "已联系摄影师核实",
          "replyDue", shownDue)).statusCode()).as("the form saved again with the promise it shows, now past").isEqualTo(303);
      desk.post(pane + "/messages", wang, Map.of("text", "非常抱歉让您久等了,摄影师已确认,我们正在安排重拍。"));
      String answered = desk.get("/desk", li.cookie()).body();
      assertThat(answered).doesNotContain("overdue").contains("今日超时未回复：<strong class=\"sla-breach\">1</strong>");

      // The chat ends before the result: the complaint stays open with its agent.
      assertThat(desk.post(pane + "/close", wang, Map.of()).statusCode()).isEqualTo(303);
      assertThat(node.one(String.class, "SELECT status FROM tickets WHERE id = ?", ticket)).isEqualTo("resolved");
      assertThat(desk.get("/desk", wang.cookie()).body()).contains("待跟进投诉").contains("href=\"/desk/tickets/" + ticket + "\"");

      desk.post(pane + "/complaint", wang, Map.of("severity", "major", "told", "样片多张拍糊,要求重拍", "asked", "确认是外景的12张",
          "handling", "已联系摄影师核实", "result", "已为您安排本周六免费补拍外景。"));
      assertThat(desk.post(pane + "/result", wang, Map.of()).statusCode()).isEqualTo(303);
      await().atMost(Duration.ofSeconds(20)).until(() -> node.sent(openid).stream().anyMatch(sent -> sent.encode().contains(
          TEMPLATES.render("reply.complaint-result", Map.of("result", "已为您安排本周六免费补拍外景。")))));
      assertThat(node.one(String.class, "SELECT status FROM tickets WHERE id = ?", ticket)).isEqualTo("closed");
      assertThat(node.one(String.class, "SELECT LISTAGG(action, ',') WITHIN GROUP (ORDER BY id) FROM ticket_events WHERE ticket_id = ?",
          ticket)).isEqualTo("waiting,assigned,resolved,closed");
    }
  }

  @Test
  void aComplainingCustomerWhoEndsTheChatStillGetsTheResult(@TempDir Path dir) throws Exception {
    // Proves "结束" from a complaining customer ends the chat but not the complaint: it waits for the result.
    try (TestNode node = TestNode.start(TestNode.config(dir, Optional.empty()))) {
      DeskClient.addUser(DeskClient.configFile(dir, node.config().db().url()), "wangfang", "王芳", "agent");
      DeskClient desk = new DeskClient(node.port());
      node.say("o-angry", "我要投诉");
      long ticket = node.one(Long.class, "SELECT t.id FROM tickets t JOIN customers c ON c.id = t.customer_id WHERE c.openid = 'o-angry'");
      desk.post("/desk/tickets/" + ticket + "/accept", desk.logIn("wangfang"), Map.of());

      assertThat(node.say("o-angry", "结束")).isEqualTo(TEMPLATES.text("reply.chat.closed"));
      assertThat(node.one(String.class, "SELECT status FROM tickets WHERE id = ?", ticket)).isEqualTo("resolved");
    }
  }

  private static JsonObject nextOfType(DeskClient.Live live, String type) throws InterruptedException {
    JsonObject event = live.next();
    while (!type.equals(event.getString("type"))) {
      event = live.next();
    }
    return event;
  }
}
