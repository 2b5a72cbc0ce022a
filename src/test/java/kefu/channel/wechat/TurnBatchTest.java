package kefu.channel.wechat;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import kefu.TestDatabases;
import kefu.TestNode;
import kefu.channel.simulator.SimulatedWechat;
import kefu.config.KefuConfig;
import kefu.dialog.ForwardingBot;
import kefu.dialog.Dialogue;
import kefu.dialog.Inbound;
import kefu.dialog.Turn;
import kefu.store.Database;
import kefu.store.Sql;
import kefu.template.Templates;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Many customers writing at once, their turns written together by the database's group commit: the channel
 * assembled by hand around the real dialogue, which fails the turns of one customer with a real failing row.
 */
class TurnBatchTest {
  /** Whose turns fail: their message's row is stored with a row that breaks the customers' unique openid. */
  private static final String FAILING = "o-batch-failing";
  @TempDir Path dir;
  private final Clock clock = Clock.systemUTC();
  private final HttpClient http = HttpClient.newHttpClient();
  private final Templates templates = Templates.load(Path.of("templates"));
  private KefuConfig config;
  private ChannelOnStandIn channel;
  private Database database;
  private SimulatedWechat wechat;
  private int port;

  /** The dialogue, except that {@link #FAILING}'s turns write a row the database refuses. */
  private static final class FailingBot extends ForwardingBot {
    FailingBot(Dialogue dialogue) {
      super(dialogue);
    }

    @Override
    public Turn open(Connection c, Inbound in) throws SQLException {
      Turn turn = super.open(c, in);
      if (in.openid().equals(FAILING)) {
        Sql.update(c, "INSERT INTO customers (openid, created_at, updated_at) VALUES (?, ?, ?)", FAILING, in.at(), in.at());
      }
      return turn;
    }
  }

  /** Assembles the channel on {@code db}. */
  private void assemble(KefuConfig.Db db) {
    config = TestNode.config(dir, db, TestNode.REPLY_BUDGET);
    channel = new ChannelOnStandIn(config, dir, templates, clock, FailingBot::new);
    database = channel.database;
    port = channel.port;
    wechat = new SimulatedWechat(config.wechat().token(), new WechatCrypto(config.wechat()), clock);
  }

  @AfterEach
  void close() throws Exception {
    if (channel == null) {
      return; // skipped before it was assembled: no PostgreSQL to test on
    }
    channel.close();
    if (!config.db().embedded()) {
      TestDatabases.dropPostgres(config.db());
    }
  }

  @Test
  void eachCustomersTurnsAreStoredOneAfterAnotherWhileManyCustomersWriteAtOnce() throws Exception {
    // Proves: 20 customers each send 5 messages at once (100 requests in flight, so the writer's batches hold many
    // customers, and several turns of one customer wait at the same time); each customer's transcript has every
    // message followed by its reply before their next message is stored, though questions are decided between two
    // transactions, and every message is acknowledged and stored once.
    assemble(TestDatabases.h2(dir));
    assertTurnsInOrder();
  }

  @Test
  void eachCustomersTurnsAreStoredOneAfterAnotherWithSeveralWritersOnPostgresql() throws Exception {
    // Proves: the same on PostgreSQL, where several writers commit batches side by side.
    assemble(TestDatabases.postgres());
    assertTurnsInOrder();
  }

  private void assertTurnsInOrder() throws Exception {
    List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
    for (int round = 0; round < 5; round++) {
      for (int customer = 0; customer < 20; customer++) {
        answers.add(post(wechat.text("o-order-" + customer, round % 2 == 0 ? "怎么开发票" + round : "你好")));
      }
    }
    for (CompletableFuture<HttpResponse<String>> answer : answers) {
      assertThat(answer.get(120, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    }
    Map<String, String> transcripts = transcripts("o-order-%");
    assertThat(transcripts).hasSize(20);
    transcripts.forEach((openid, directions) ->
        assertThat(directions).as(openid).matches("(in(,out)+,){5}"));
  }

  @Test
  void aFailingRowFailsOnlyItsOwnTurnAndTheOthersWrittenWithItAreStoredAndAnswered() throws Exception {
    // Proves: among 30 customers writing at once, the turns of the one whose rows the database refuses fail (WeChat
    // gets an error and may retry; nothing of theirs is stored), and every other customer's message is stored and
    // answered in the passive reply.
    assemble(TestDatabases.h2(dir));
    List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
    CompletableFuture<HttpResponse<String>> failing = null;
    for (int customer = 0; customer < 30; customer++) {
      if (customer == 15) {
        failing = post(wechat.text(FAILING, "你好"));
      }
      answers.add(post(wechat.text("o-fine-" + customer, "你好")));
    }
    for (CompletableFuture<HttpResponse<String>> answer : answers) {
      HttpResponse<String> response = answer.get(120, TimeUnit.SECONDS);
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(wechat.open(response.body()).get("Content")).isEqualTo(templates.text("reply.greeting"));
    }
    assertThat(failing.get(120, TimeUnit.SECONDS).statusCode()).isEqualTo(500);
    Map<String, String> transcripts = transcripts("o-%");
    assertThat(transcripts).hasSize(30).doesNotContainKey(FAILING);
    transcripts.forEach((openid, directions) -> assertThat(directions).as(openid).isEqualTo("in,out,"));
  }

  private CompletableFuture<HttpResponse<String>> post(SimulatedWechat.Request request) {
    return http.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/wechat?" + request.query()))
        .header("Content-Type", "text/xml; charset=utf-8")
        .POST(HttpRequest.BodyPublishers.ofString(request.body())).build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Each customer's messages as their directions in the order stored, "in,out,…,"; by openid. */
  private Map<String, String> transcripts(String openids) throws SQLException {
    Map<String, String> transcripts = new LinkedHashMap<>();
    for (String[] row : database.inTransaction(c -> Sql.list(c, "SELECT u.openid, m.direction FROM messages m"
        + " JOIN conversations v ON v.id = m.conversation_id JOIN customers u ON u.id = v.customer_id"
        + " WHERE u.openid LIKE ? ORDER BY m.id", r -> new String[] {r.string("openid"), r.string("direction")}, openids))) {
      transcripts.merge(row[0], row[1] + ",", String::concat);
    }
    return transcripts;
  }
}
