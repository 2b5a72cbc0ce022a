package kefu;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import kefu.channel.simulator.SimulatedWechat;
import kefu.channel.wechat.WechatCrypto;
import kefu.config.KefuConfig;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What a node promises when it is killed outright: what it acknowledged to WeChat is on disk. */
class CrashTest {
  private static final int MESSAGES = 40;

  @ParameterizedTest
  @CsvSource({"h2, 3s", "h2, 0s", "postgresql, 0s"})
  void everyMessageAcknowledgedBeforeAKillNineIsStoredWithItsReply(String store, String replyBudget, @TempDir Path dir)
      throws Exception {
    // Proves: a message WeChat got HTTP 200 for — with a passive reply, or (a zero reply budget) a bare "success"
    // before its reply went through the API — is in the database after kill -9, its reply too: not left in the
    // embedded database's write buffer (H2 wrote committed work up to half a second later), nor acknowledged before
    // it was stored.
    KefuConfig.Db db = store.equals("postgresql") ? TestDatabases.postgres() : TestDatabases.h2(dir.resolve("data"));
    try {
      killedUnderLoad(dir, db, replyBudget);
      assertThat(stored(db, "o-crash-%")).as("messages in and replies out after kill -9").isEqualTo(Map.of("in", MESSAGES, "out", MESSAGES));
    } finally {
      if (store.equals("postgresql")) {
        TestDatabases.dropPostgres(db);
      }
    }
  }

  /** Starts a node on {@code db}, sends it MESSAGES at once and kills it the moment the last is acknowledged. */
  private static void killedUnderLoad(Path dir, KefuConfig.Db db, String replyBudget) throws Exception {
    Process node = NodeProcess.start(dir, Map.of("KEFU_HTTP_PORT", "0", "KEFU_HTTP_HOST", "127.0.0.1",
        "KEFU_TEMPLATES_DIR", Path.of("templates").toAbsolutePath().toString(), "KEFU_KB_VECTORS", "off",
        "KEFU_WECHAT_REPLY_BUDGET", replyBudget, "KEFU_DB_URL", db.url()));
    try {
      sendAtOnce(servingPort(node), dir, "o-crash-", "你好");
      node.destroyForcibly(); // SIGKILL, the moment the last answer is in
      assertThat(node.waitFor(60, TimeUnit.SECONDS)).isTrue();
    } finally {
      node.destroyForcibly();
    }
  }

  /** The port of {@code node} once it serves; its log is read on, so that it never fills the pipe. */
  private static int servingPort(Process node) throws Exception {
    BufferedReader log = new BufferedReader(new InputStreamReader(node.getErrorStream(), StandardCharsets.UTF_8));
    int port = CompletableFuture.supplyAsync(() -> NodeProcess.awaitPort(log)).get(90, TimeUnit.SECONDS);
    CompletableFuture.runAsync(() -> log.lines().forEach(line -> {}));
    return port;
  }

  /**
   * MESSAGES customers (openids {@code prefix}0 …) write {@code text} all at once, as a busy minute brings them: a
   * turn still queued behind others when its "success" went out would be lost to a kill. Returns once every one is
   * acknowledged (HTTP 200: with its passive reply, or a bare "success").
   */
  private static void sendAtOnce(int port, Path dir, String prefix, String text) throws Exception {
    SimulatedWechat wechat = new SimulatedWechat(TestNode.TOKEN,
        new WechatCrypto(TestNode.config(dir.resolve("client"), Optional.empty()).wechat()), Clock.systemUTC());
    // A connection each, as WeChat's servers come: over one HTTP/2 connection, 100 streams at most.
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
    for (int i = 0; i < MESSAGES; i++) {
      SimulatedWechat.Request message = wechat.text(prefix + i, text);
      answers.add(http.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/wechat?" + message.query()))
          .POST(HttpRequest.BodyPublishers.ofString(message.body(), StandardCharsets.UTF_8)).build(), HttpResponse.BodyHandlers.ofString()));
    }
    CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
    for (CompletableFuture<HttpResponse<String>> answer : answers) {
      assertThat(answer.get().statusCode()).isEqualTo(200);
    }
  }

  /** How many messages of the customers whose openids are like {@code openids} are stored, by direction. */
  private static Map<String, Integer> stored(KefuConfig.Db db, String openids) throws Exception {
    try (Connection c = DriverManager.getConnection(db.url(), db.user(), db.password());
        PreparedStatement select = c.prepareStatement("SELECT m.direction, COUNT(*) FROM messages m"
            + " JOIN conversations v ON v.id = m.conversation_id JOIN customers u ON u.id = v.customer_id"
            + " WHERE u.openid LIKE ? GROUP BY m.direction")) {
      select.setString(1, openids);
      Map<String, Integer> counts = new TreeMap<>();
      try (ResultSet rs = select.executeQuery()) {
        while (rs.next()) {
          counts.put(rs.getString(1), rs.getInt(2));
        }
      }
      return counts;
    }
  }
}
