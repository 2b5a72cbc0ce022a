package kefu.desk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import kefu.TestNode;
import kefu.config.KefuConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Waiting customers given to online agents automatically: only to agents online at the console, up to
 * desk.max-chats each, the least loaded first, the customer's previous agent before anyone, and again as soon as
 * an agent comes online or frees a place.
 */
class AssignmentTest {
  /** Whether the customer's open ticket is with the agent of that login. */
  private static final String WITH_AGENT = "SELECT COUNT(*) FROM tickets t JOIN customers c ON c.id = t.customer_id"
      + " JOIN agents a ON a.id = t.agent_id WHERE c.openid = ? AND t.status = 'assigned' AND a.login = ?";
  private static final String TICKET_OF = "SELECT t.id FROM tickets t JOIN customers c ON c.id = t.customer_id"
      + " WHERE c.openid = ? AND t.status IN ('waiting', 'assigned')";

  @Test
  void customersGoToOnlineAgentsWithRoomAndWaitWhenNoneHas(@TempDir Path dir) throws Exception {
    // Proves, with desk.max-chats 1: an offline agent is given nothing; a full agent neither (and cannot take more
    // by hand); a colleague coming online gets the waiting customer; closing a chat frees the place for the next.
    try (Desk desk = Desk.start(dir, 1)) {
      DeskClient.Session wang = desk.online("wangfang");
      desk.client().logIn("zhaolei");

      desk.customerAsksForAPerson("o-1");
      desk.awaitAgentOf("o-1", "wangfang");
      desk.customerAsksForAPerson("o-2");
      long second = desk.node().one(Long.class, TICKET_OF, "o-2");
      HttpResponse<String> refused = desk.client().post("/desk/tickets/" + second + "/accept", wang, Map.of());
      assertThat(refused.statusCode()).isEqualTo(409);
      assertThat(refused.body()).contains("会话已达上限");

      desk.online("zhaolei");
      desk.awaitAgentOf("o-2", "zhaolei");
      desk.customerAsksForAPerson("o-3");
      long first = desk.node().one(Long.class, TICKET_OF, "o-1");
      assertThat(desk.client().post("/desk/tickets/" + first + "/close", wang, Map.of()).statusCode()).isEqualTo(303);
      desk.awaitAgentOf("o-3", "wangfang");
    }
  }

  @Test
  void aReturningCustomerGoesBackToTheirAgentWhileTheyHaveRoom(@TempDir Path dir) throws Exception {
    // Proves the previous agent comes first even with more chats than a colleague; others go to the least loaded.
    try (Desk desk = Desk.start(dir, 5)) {
      DeskClient.Session wang = desk.online("wangfang");
      desk.customerAsksForAPerson("o-back");
      desk.awaitAgentOf("o-back", "wangfang");
      long earlier = desk.node().one(Long.class, TICKET_OF, "o-back");
      desk.client().post("/desk/tickets/" + earlier + "/close", wang, Map.of());
      desk.customerAsksForAPerson("o-a");
      desk.awaitAgentOf("o-a", "wangfang");
      desk.customerAsksForAPerson("o-b");
      desk.awaitAgentOf("o-b", "wangfang");

      desk.online("zhaolei");
      desk.customerAsksForAPerson("o-back");
      desk.awaitAgentOf("o-back", "wangfang");
      desk.customerAsksForAPerson("o-new");
      desk.awaitAgentOf("o-new", "zhaolei");
    }
  }

  /** A node with two agents, 王芳 and 赵磊, at most {@code maxChats} chats each. */
  private record Desk(TestNode node, DeskClient client) implements AutoCloseable {
    static Desk start(Path dir, int maxChats) throws Exception {
      KefuConfig base = TestNode.config(dir, Optional.empty());
      TestNode node = TestNode.start(base.withDesk(base.desk().withMaxChats(maxChats)));
      Path configFile = DeskClient.configFile(dir, base.db().url());
      DeskClient.addUser(configFile, "wangfang", "王芳", "agent");
      DeskClient.addUser(configFile, "zhaolei", "赵磊", "agent");
      return new Desk(node, new DeskClient(node.port()));
    }

    /** The agent logs in and sets themselves online. */
    DeskClient.Session online(String login) throws Exception {
      DeskClient.Session session = client.logIn(login);
      assertThat(client.post("/desk/presence", session, Map.of("presence", "online")).statusCode()).isEqualTo(303);
      return session;
    }

    void customerAsksForAPerson(String openid) throws Exception {
      assertThat(node.post(node.wechat().text(openid, "转人工")).statusCode()).isEqualTo(200);
    }

    void awaitAgentOf(String openid, String login) {
      await().atMost(Duration.ofSeconds(20)).until(() -> node.count(WITH_AGENT, openid, login) == 1);
    }

    @Override
    public void close() {
      node.close();
    }
  }
}
