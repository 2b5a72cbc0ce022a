package kefu.channel.wechat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import kefu.TestConfigs;
import kefu.channel.simulator.SimulatedWechat;
import kefu.config.KefuConfig;
import kefu.conversation.Message;
import kefu.dialog.Bot;
import kefu.dialog.Decision;
import kefu.dialog.Dialogue;
import kefu.dialog.Inbound;
import kefu.dialog.Said;
import kefu.dialog.Turn;
import kefu.store.Database;
import kefu.template.Templates;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A bot slower than the reply budget: the channel assembled by hand around a bot held on a latch, with the
 * stand-in WeChat API on the same server.
 */
class SlowReplyTest {
  @TempDir Path dir;
  private final Clock clock = Clock.systemUTC();
  private final HttpClient http = HttpClient.newHttpClient();
  private final Templates templates = Templates.load(Path.of("templates"));
  private final HeldBot bot = new HeldBot();
  private KefuConfig config;
  private ChannelOnStandIn channel;
  private Database database;
  private int port;

  /** A bot that stores the turn at once but decides only when the test lets it. */
  private final class HeldBot implements Bot {
    private final CountDownLatch release = new CountDownLatch(1);
    /** Set, the next decision fails, as a database gone for a moment would make a turn fail after its first step. */
    private final AtomicBoolean failNext = new AtomicBoolean();
    private Dialogue dialogue;

    @Override
    public Optional<Turn> resume(Connection c, Message inbound) throws SQLException {
      return dialogue.resume(c, inbound);
    }

    @Override
    public Turn open(Connection c, Inbound in) throws SQLException {
      return dialogue.open(c, in);
    }

    /** Nothing at once: every turn waits for the test. */
    @Override
    public Optional<Decision> decideAtOnce(Turn turn, Inbound in) {
      return Optional.empty();
    }

    @Override
    public Decision decide(Turn turn, Inbound in) {
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while held", e);
      }
      if (failNext.getAndSet(false)) {
        throw new IllegalStateException("the database went away for a moment");
      }
      return dialogue.decide(turn, in);
    }

    @Override
    public List<Said> record(Connection c, Turn turn, Decision decision, Instant now)
        throws SQLException {
      return dialogue.record(c, turn, decision, now);
    }

    @Override
    public void recorded(Turn turn, Decision decision) {
      dialogue.recorded(turn, decision);
    }
  }

  @BeforeEach
  void assemble() {
    config = withReplyBudget(TestConfigs.embedded(dir), Duration.ofMillis(200));
    channel = new ChannelOnStandIn(config, dir, templates, clock, dialogue -> {
      bot.dialogue = dialogue;
      return bot;
    });
    database = channel.database;
    port = channel.port;
  }

  @AfterEach
  void close() throws Exception {
    bot.release.countDown();
    channel.close();
  }

  @Test
  void aReplyLaterThanTheBudgetComesThroughTheCustomerServiceApi() throws Exception {
    // Proves: WeChat gets "success" at once while the bot is still deciding; the reply follows through the
    // customer-service API and is recorded in the outbox as sent on the service channel.
    SimulatedWechat.Request hello = new SimulatedWechat(config.wechat().token(), new WechatCrypto(config.wechat()), clock)
        .text("o-slow", "你好");
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/wechat?" + hello.query()))
        .timeout(Duration.ofSeconds(10)) // only so that a webhook waiting for the held bot fails the test instead of hanging it
        .header("Content-Type", "text/xml; charset=utf-8")
        .POST(HttpRequest.BodyPublishers.ofString(hello.body())).build(), HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("success");
    assertThat(outbox("o-slow")).isEmpty();

    bot.release.countDown();
    StandInClient wechat = new StandInClient(http, port);
    await().untilAsserted(() -> assertThat(wechat.texts("o-slow")).containsExactly(templates.text("reply.greeting")));
    await().untilAsserted(() -> assertThat(outbox("o-slow")).containsExactly("service/sent"));
  }

  @Test
  void aTurnThatFailsAfterItsMessageWasStoredIsAnsweredLaterFromWhatWasStored() throws Exception {
    // Proves: a turn that fails once the message is stored (here its decision) is not dropped: WeChat gets an error
    // and may retry, and seconds later the stored message is answered, once, through the customer-service API.
    bot.release.countDown();
    bot.failNext.set(true);
    SimulatedWechat.Request hello = new SimulatedWechat(config.wechat().token(), new WechatCrypto(config.wechat()), clock)
        .text("o-failed", "你好");
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/wechat?" + hello.query()))
        .header("Content-Type", "text/xml; charset=utf-8")
        .POST(HttpRequest.BodyPublishers.ofString(hello.body())).build(), HttpResponse.BodyHandlers.ofString());
    // An error if the turn failed within the reply budget (WeChat would retry), else "success": it was stored.
    assertThat(response.statusCode()).isIn(200, 500);

    StandInClient wechat = new StandInClient(http, port);
    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(wechat.texts("o-failed"))
        .containsExactly(templates.text("reply.greeting")));
    await().untilAsserted(() -> assertThat(outbox("o-failed")).containsExactly("service/sent"));
  }

  /** The customer's outbox rows as channel/status, oldest first. */
  private List<String> outbox(String openid) throws SQLException {
    try (Connection c = database.dataSource().getConnection(); PreparedStatement select = c.prepareStatement(
        "SELECT o.channel, o.status FROM outbox o JOIN customers c ON c.id = o.customer_id WHERE c.openid = ? ORDER BY o.id")) {
      select.setString(1, openid);
      try (ResultSet rs = select.executeQuery()) {
        List<String> rows = new ArrayList<>();
        while (rs.next()) {
          rows.add(rs.getString("channel") + "/" + rs.getString("status"));
        }
        return rows;
      }
    }
  }


  private static KefuConfig withReplyBudget(KefuConfig config, Duration budget) {
    KefuConfig.Wechat w = config.wechat();
    return config.withWechat(new KefuConfig.Wechat(w.account(), w.token(), w.aesKey(), budget, w.serviceTemplateId(), w.quotas()));
  }
}
