package kefu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import kefu.channel.simulator.SimulatedWechat;
import kefu.channel.simulator.WechatStandIn;
import kefu.channel.wechat.StandInClient;
import kefu.channel.wechat.WechatCrypto;
import kefu.config.KefuConfig;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** What a node promises when it is killed outright: what it acknowledged to WeChat is on disk, and answered once. */
class CrashTest {
  private static final int MESSAGES = 40;
  private static final int CUSTOMERS = 40;
  private static final int KILLS = 5;
  private static final Duration WAIT = Duration.ofSeconds(120);
  /** What a start logs once it has looked for messages an earlier stop left unanswered, and answered them. */
  private static final Pattern RESUMED = Pattern.compile("(had not been answered; answered now|none was left unanswered)");

  @ParameterizedTest
  @ValueSource(strings = {"h2", "postgresql"})
  void killedFiveTimesUnderLoadLosesNothingAcknowledgedSendsNothingTwiceAndLeavesNothingUnanswered(String store, @TempDir Path dir)
      throws Exception {
    // Proves the three counts of a crash are zero across five kill -9 at random moments while 40 customers write,
    // each message sent again until answered, as WeChat does, also to the node restarted on the same data: every
    // message acknowledged is stored, no reply reaches a customer twice (passive, or through the API stand-in,
    // which runs here so that it outlives the node), and every stored message is answered. The seed of the kill
    // moments is logged: -Dkefu.crash.seed=… replays them.
    long seed = Long.getLong("kefu.crash.seed", System.nanoTime());
    System.out.printf("CrashTest %s: kill moments from seed %d%n", store, seed);
    Random moments = new Random(seed);
    KefuConfig.Db db = store.equals("postgresql") ? TestDatabases.postgres() : readWhileServing(TestDatabases.h2(dir.resolve("data")));
    int port = freePort();
    try (ApiStandIn api = ApiStandIn.start()) {
      // A reply budget of a second: the replies go back passive, and a kill cuts them off between storing and sending.
      // (A zero budget, every reply through the API, leaves the outbox hundreds behind this load on a busy machine.)
      Map<String, String> env = Map.of("KEFU_HTTP_PORT", Integer.toString(port), "KEFU_HTTP_HOST", "127.0.0.1",
          "KEFU_TEMPLATES_DIR", Path.of("templates").toAbsolutePath().toString(), "KEFU_KB_VECTORS", "off",
          "KEFU_WECHAT_REPLY_BUDGET", "1s", "KEFU_DB_URL", db.url(), "KEFU_WECHAT_TOKEN", TestNode.TOKEN,
          "KEFU_WECHAT_APP_ID", "wx0123456789crash0", "KEFU_WECHAT_SECRET", "crash-test-secret", "KEFU_WECHAT_API_HOST", api.host());
      Node node = Node.start(dir, env);
      List<String> warnings = new ArrayList<>();
      try (WechatCrowd crowd = new WechatCrowd(TestNode.config(dir.resolve("client"), Optional.empty()).wechat(), port,
          "o-kill-", CUSTOMERS, seed, Duration.ofMinutes(4))) {
        for (int kill = 1; kill <= KILLS; kill++) {
          int before = crowd.acknowledged().size();
          await().atMost(WAIT).until(() -> crowd.acknowledged().size() > before); // under load: this node answers
          long moment = moments.nextInt(2000);
          System.out.printf("CrashTest %s: kill %d, %d ms after this node's first answer%n", store, kill, moment);
          Thread.sleep(moment); // the random moment of the kill, not a wait for anything
          node.kill();
          warnings.addAll(node.warnings());
          node = Node.start(dir, env);
        }
        crowd.finish();
        // Counted once the last start has looked for what the kills left stored and unanswered, and answered it.
        Node last = node;
        try {
          await().atMost(WAIT).until(() -> last.logged(RESUMED));
        } finally {
          warnings.addAll(node.warnings());
          System.out.printf("CrashTest %s: what the nodes warned of:%n%s%n", store, String.join("\n", warnings));
        }
        StandInClient sent = new StandInClient(HttpClient.newHttpClient(), api.port());
        await().atMost(WAIT).untilAsserted(() -> {
          CrashCounts counts = CrashCounts.of("o-kill-", crowd.acknowledged(), sent.sent(), db);
          assertThat(counts.unanswered()).as("%s (seed %d)", counts, seed).isZero();
        });
        CrashCounts counts = CrashCounts.of("o-kill-", crowd.acknowledged(), sent.sent(), db);
        System.out.printf("CrashTest %s: %s, %d retries%n", store, counts, crowd.retries());
        assertThat(List.of(counts.lost(), counts.twice(), counts.unanswered())).as("lost, twice, unanswered: %s (seed %d)", counts, seed)
            .containsExactly(0, 0, 0);
      } finally {
        node.kill();
      }
    } finally {
      if (store.equals("postgresql")) {
        TestDatabases.dropPostgres(db);
      }
    }
  }

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

  /**
   * The embedded database {@code db}, served to other processes by the node that opens it (as kefu's default URL
   * has it), so that the test reads it meanwhile.
   */
  private static KefuConfig.Db readWhileServing(KefuConfig.Db db) {
    return new KefuConfig.Db(db.url() + ";AUTO_SERVER=TRUE", db.user(), db.password(), db.poolSize(), db.writers());
  }

  /** A node as a process of its own, its log kept to be looked at. */
  private static final class Node {
    private final Process process;
    private final List<String> log = new CopyOnWriteArrayList<>();

    private Node(Process process) {
      this.process = process;
      BufferedReader err = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8));
      Thread reader = new Thread(() -> {
        try {
          err.lines().forEach(log::add);
        } catch (UncheckedIOException e) {
          // the process is gone, and its log with it
        }
      }, "log of node " + process.pid());
      reader.setDaemon(true);
      reader.start();
    }

    /** Starts a node on {@code dir} and returns once it serves. */
    static Node start(Path dir, Map<String, String> env) throws Exception {
      long started = System.nanoTime();
      Node node = new Node(NodeProcess.start(dir, env));
      await().atMost(WAIT).until(() -> node.logged(NodeProcess.SERVING) || !node.process.isAlive());
      assertThat(node.process.isAlive()).as("node started: %s", node.log).isTrue();
      System.out.printf("CrashTest: node %d serves after %d ms%n", node.process.pid(), (System.nanoTime() - started) / 1_000_000);
      return node;
    }

    /** The warnings and errors the node logged, for a failure's evidence. */
    List<String> warnings() {
      return log.stream().filter(line -> line.contains(" WARN ") || line.contains(" ERROR ") || line.startsWith("\t")).toList();
    }

    boolean logged(Pattern pattern) {
      return log.stream().anyMatch(line -> pattern.matcher(line).find());
    }

    /** SIGKILL, and waits for the process to be gone. */
    void kill() throws InterruptedException {
      process.destroyForcibly();
      assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    }
  }

  /** The WeChat API stand-in on a server in the test's JVM: what a node sent outlives the node. */
  private record ApiStandIn(Vertx vertx, int port) implements AutoCloseable {
    static ApiStandIn start() {
      Vertx vertx = Vertx.vertx();
      Router router = Router.router(vertx);
      router.route().handler(BodyHandler.create(false));
      new WechatStandIn(Clock.systemUTC()).routes(router);
      HttpServer server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1").await();
      return new ApiStandIn(vertx, server.actualPort());
    }

    String host() {
      return "http://127.0.0.1:" + port + WechatStandIn.PATH;
    }

    @Override
    public void close() {
      vertx.close().await();
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket free = new ServerSocket(0)) {
      return free.getLocalPort();
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
