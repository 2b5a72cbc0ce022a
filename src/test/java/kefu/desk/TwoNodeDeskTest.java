package kefu.desk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import kefu.TestConfigs;
import kefu.TestDatabases;
import kefu.TestNode;
import kefu.TestServices;
import kefu.config.KefuConfig;
import kefu.template.Templates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two nodes sharing PostgreSQL and Redis pass a chat between them: the customer writes to node B, the agent works at
 * node A's console and hears of every change over node A's socket, and the chat, the replies and the rating are
 * one story whichever node handled each part.
 */
class TwoNodeDeskTest {
  private static final Templates TEMPLATES = Templates.load(Path.of("templates"));

  @Test
  void aCustomerOnOneNodeIsServedFromTheOther(@TempDir Path dir) throws Exception {
    KefuConfig.Db db = TestDatabases.postgres();
    KefuConfig.Redis redis = TestConfigs.redis(TestServices.redisUrl());
    try (TestNode a = TestNode.start(TestNode.shared(dir.resolve("a"), "node-a", db, redis));
        TestNode b = TestNode.start(TestNode.shared(dir.resolve("b"), "node-b", db, redis))) {
      DeskClient.addUser(DeskClient.configFile(dir, db.url()), "wangfang", "王芳", "agent");
      DeskClient desk = new DeskClient(a.port());
      DeskClient.Session wang = desk.logIn("wangfang");
      try (DeskClient.Live live = desk.live(wang)) {
        String openid = "o-two-nodes";
        assertThat(b.say(openid, "转人工")).startsWith(TEMPLATES.text("reply.handoff"));
        assertThat(live.next().getString("type")).isEqualTo("queue");

        long ticket = a.one(Long.class, "SELECT t.id FROM tickets t JOIN customers c ON c.id = t.customer_id WHERE c.openid = ?", openid);
        assertThat(desk.post("/desk/tickets/" + ticket + "/accept", wang, Map.of()).statusCode()).isEqualTo(303);
        awaitSent(openid, TEMPLATES.render("reply.chat.joined", Map.of("agent", "王芳")), a, b);

        assertThat(b.post(b.wechat().text(openid, "我想改一下取件时间")).body()).isEqualTo("success");
        JsonObject chat = nextChatEvent(live);
        assertThat(chat.getLong("agent")).isEqualTo(a.one(Long.class, "SELECT id FROM agents WHERE login = 'wangfang'"));
        assertThat(desk.get("/desk/tickets/" + ticket + "/transcript", wang.cookie()).body()).contains("我想改一下取件时间");

        desk.post("/desk/tickets/" + ticket + "/messages", wang, Map.of("text", "好的,您想改到哪一天?"));
        awaitSent(openid, "好的,您想改到哪一天?", a, b);
        desk.post("/desk/tickets/" + ticket + "/close", wang, Map.of());
        awaitSent(openid, TEMPLATES.text("reply.rating.ask"), a, b);
        assertThat(b.say(openid, "1")).isEqualTo(TEMPLATES.text("reply.rating.thanks"));
        assertThat(a.one(String.class, "SELECT a.login FROM ratings r JOIN ticket_agents s ON s.ticket_id = r.ticket_id"
            + " JOIN agents a ON a.id = s.agent_id WHERE r.ticket_id = ?", ticket)).isEqualTo("wangfang");
      }
    } finally {
      TestDatabases.dropPostgres(db);
    }
  }

  /** The next chat event, past the queue events the accept made. */
  private static JsonObject nextChatEvent(DeskClient.Live live) throws InterruptedException {
    JsonObject event = live.next();
    while (!"chat".equals(event.getString("type"))) {
      event = live.next();
    }
    return event;
  }

  /** Whichever node holds the outbox sender sends through its own stand-in: look at both. */
  private static void awaitSent(String openid, String text, TestNode... nodes) {
    await().atMost(Duration.ofSeconds(20)).until(() -> {
      List<String> texts = new ArrayList<>();
      for (TestNode node : nodes) {
        node.sent(openid).stream().map(sent -> sent.getJsonObject("message"))
            .filter(m -> "text".equals(m.getString("msgtype"))).forEach(m -> texts.add(m.getJsonObject("text").getString("content")));
      }
      return texts.contains(text);
    });
  }
}
