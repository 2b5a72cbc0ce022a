package kefu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import kefu.channel.simulator.SimulatedWechat;
import kefu.channel.wechat.StandInClient;
import kefu.channel.wechat.WechatCrypto;
import kefu.config.KefuConfig;
import kefu.greeting.Campaigns;
import kefu.greeting.Greetings;
import kefu.journey.Scheduler;
import kefu.survey.SurveyChat;

/**
 * A node started on a temporary directory, with WeChat played by {@link SimulatedWechat} and the database read
 * directly. Shared by the tests of the channel and the desk.
 */
public final class TestNode implements AutoCloseable {
  /** The webhook token of every test node. */
  public static final String TOKEN = "simulator";
  /** A 43-character EncodingAESKey for safe mode. */
  public static final String AES_KEY = "kefuTestEncodingAesKey0123456789abcdefghijk";
  /**
   * Long enough that a turn on a busy machine still makes the passive reply: these tests check what is
   * answered, not how fast.
   */
  public static final Duration REPLY_BUDGET = Duration.ofSeconds(30);
  /** The messages of the customer whose openid is the parameter. */
  public static final String MESSAGES_OF = "SELECT COUNT(*) FROM messages m JOIN conversations v ON v.id = m.conversation_id "
      + "JOIN customers c ON c.id = v.customer_id WHERE c.openid = ?";
  /** The outbox rows of the customer whose openid is the parameter. */
  public static final String OUTBOX_OF = "SELECT COUNT(*) FROM outbox o JOIN customers c ON c.id = o.customer_id WHERE c.openid = ?";

  private final KefuConfig config;
  private final TestClock clock;
  private final App app;
  private final WechatCrypto crypto;
  private final SimulatedWechat wechat;
  private final HttpClient http = HttpClient.newHttpClient();

  private TestNode(KefuConfig config, TestClock clock, App app) {
    this.config = config;
    this.clock = clock;
    this.app = app;
    // WeChat signs with the same time the node checks signatures against.
    this.crypto = new WechatCrypto(config.wechat());
    this.wechat = new SimulatedWechat(config.wechat().token(), crypto, clock);
  }

  /** The embedded test configuration on {@code dir}, in safe mode if {@code aesKey} is given. */
  public static KefuConfig config(Path dir, Optional<String> aesKey) {
    return config(dir, aesKey, REPLY_BUDGET);
  }

  public static KefuConfig config(Path dir, Optional<String> aesKey, Duration replyBudget) {
    return webhook(TestConfigs.embedded(dir), "test-node", aesKey, replyBudget);
  }

  /** A node on {@code db} without Redis, answering WeChat within {@code replyBudget}. */
  public static KefuConfig config(Path dir, KefuConfig.Db db, Duration replyBudget) {
    return webhook(TestConfigs.with(dir, db, Optional.empty()), "test-node", Optional.empty(), replyBudget);
  }

  /**
   * One of several nodes named {@code nodeId} sharing {@code db} and {@code redis}, each with its files under
   * {@code dir}.
   */
  public static KefuConfig shared(Path dir, String nodeId, KefuConfig.Db db, KefuConfig.Redis redis) {
    return shared(dir, nodeId, db, redis, REPLY_BUDGET);
  }

  /** As {@link #shared(Path, String, KefuConfig.Db, KefuConfig.Redis)}, answering WeChat within {@code replyBudget}. */
  public static KefuConfig shared(Path dir, String nodeId, KefuConfig.Db db, KefuConfig.Redis redis, Duration replyBudget) {
    return webhook(TestConfigs.with(dir, db, Optional.of(redis)), nodeId, Optional.empty(), replyBudget);
  }

  private static KefuConfig webhook(KefuConfig base, String nodeId, Optional<String> aesKey, Duration replyBudget) {
    return new KefuConfig(base.mode(), nodeId,
        new KefuConfig.Http(base.http().host(), base.http().port(), 128 * 1024, base.http().shutdownTimeout(),
            base.http().trustedProxies(), base.http().apiKey(), base.http().integrationKeys()),
        base.paths(), base.db(), base.redis(), base.kb(),
        new KefuConfig.Wechat(Optional.empty(), TOKEN, aesKey, replyBudget, Optional.empty(),
            new KefuConfig.Quotas(5, Duration.ofHours(48), 3)),
        base.dialog(), base.desk(), base.journey(), base.report());
  }

  /**
   * {@code config} with the words model suggesting from a confidence of 0.1: its fitted suggest threshold (0.35)
   * is above most paraphrases of the sample knowledge base, and tests of the suggestion turns need some.
   */
  public static KefuConfig suggestingParaphrases(KefuConfig config) {
    return config.withKb(new KefuConfig.Kb(config.kb().vectors(), config.kb().answerThreshold(), config.kb().answerLead(), OptionalDouble.of(0.1)));
  }

  /** Copies the sample knowledge base into the node directory {@code dir} (keeping files there), for a node that answers from it. */
  public static void copySampleKnowledgeBase(Path dir) throws IOException {
    copyShipped("knowledge-base", dir);
  }

  /** Copies the shipped templates into {@code dir}/templates (keeping files there), for a node whose templates a test changes. */
  public static Path copyTemplates(Path dir) throws IOException {
    return copyShipped("templates", dir);
  }

  private static Path copyShipped(String name, Path dir) throws IOException {
    Path from = Path.of(name);
    Path to = dir.resolve(name);
    try (Stream<Path> files = Files.walk(from)) {
      for (Path file : (Iterable<Path>) files::iterator) {
        Path target = to.resolve(from.relativize(file).toString());
        if (Files.isDirectory(file)) {
          Files.createDirectories(target);
        } else if (Files.notExists(target)) {
          Files.copy(file, target);
        }
      }
    }
    return to;
  }

  public static TestNode start(KefuConfig config) {
    TestClock clock = TestClock.wall();
    return new TestNode(config, clock, App.start(config, clock));
  }

  /** The node's clock: move it on to reach a deadline. */
  public TestClock clock() {
    return clock;
  }

  public int port() {
    return app.port();
  }

  /** The node's follow-up scheduler, to run the steps due at a chosen time. */
  public Scheduler journeys() {
    return app.journeys();
  }

  /** The node's greetings, to run those due at a chosen time. */
  public Greetings greetings() {
    return app.greetings();
  }

  /** The node's campaigns, to plan and send those due at a chosen time. */
  public Campaigns campaigns() {
    return app.campaigns();
  }

  /** The surveys asked in the chat, to end the unanswered ones at a chosen time. */
  public SurveyChat surveys() {
    return app.surveys();
  }

  public KefuConfig config() {
    return config;
  }

  public SimulatedWechat wechat() {
    return wechat;
  }

  public HttpResponse<String> get(String pathAndQuery) throws Exception {
    return http.send(HttpRequest.newBuilder(uri(pathAndQuery)).build(), HttpResponse.BodyHandlers.ofString());
  }

  /** What the knowledge base makes of {@code question}, from {@code /api/kb/search} with the configured API key. */
  public JsonObject kbSearch(String question) throws Exception {
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri("/api/kb/search?q=" + URLEncoder.encode(question, StandardCharsets.UTF_8)))
        .header("Authorization", "Bearer " + config.http().apiKey().orElseThrow()).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return new JsonObject(response.body());
  }

  public HttpResponse<String> post(SimulatedWechat.Request request) throws Exception {
    return post(request.query(), request.body());
  }

  public HttpResponse<String> post(String query, String body) throws Exception {
    CustomerData.sent(body, crypto);
    return http.send(postRequest(query, body), HttpResponse.BodyHandlers.ofString());
  }

  public CompletableFuture<HttpResponse<String>> postAsync(SimulatedWechat.Request request) {
    CustomerData.sent(request.body(), crypto);
    return http.sendAsync(postRequest(request.query(), request.body()), HttpResponse.BodyHandlers.ofString());
  }

  /** Sends {@code request} as WeChat would and opens the passive reply (empty for "success"). */
  public Map<String, String> reply(SimulatedWechat.Request request) throws Exception {
    HttpResponse<String> response = post(request);
    assertThat(response.statusCode()).as("status of %s", response.body()).isEqualTo(200);
    return wechat.open(response.body());
  }

  /** The customer {@code openid} writes {@code text}; the passive reply's text. */
  public String say(String openid, String text) throws Exception {
    return reply(wechat.text(openid, text)).get("Content");
  }

  /** What kefu sent {@code openid} through the stand-in's customer-service API. */
  public List<JsonObject> sent(String openid) throws Exception {
    return new StandInClient(http, app.port()).sent(openid);
  }

  public void awaitKnowledgeBase() {
    await().atMost(Duration.ofSeconds(60)).until(() -> new JsonObject(get("/health").body())
        .getJsonObject("checks").getJsonObject("knowledge-base").getString("status").equals("UP"));
  }

  public boolean customerExists(String openid) throws SQLException {
    return count("SELECT COUNT(*) FROM customers WHERE openid = ?", openid) > 0;
  }

  public long count(String sql, Object... args) throws SQLException {
    return one(Long.class, sql, args);
  }

  /** Changes the node's data as time or another party would; returns how many rows changed. */
  public int execute(String sql, Object... args) throws SQLException {
    try (Connection c = connect(); PreparedStatement update = bind(c.prepareStatement(sql), args)) {
      return update.executeUpdate();
    }
  }

  /** The first column of the one row {@code sql} selects. */
  public <T> T one(Class<T> type, String sql, Object... args) throws SQLException {
    try (Connection c = connect(); PreparedStatement select = bind(c.prepareStatement(sql), args)) {
      try (ResultSet rs = select.executeQuery()) {
        assertThat(rs.next()).as("a row from %s", sql).isTrue();
        T value = rs.getObject(1, type);
        assertThat(rs.next()).as("only one row from %s", sql).isFalse();
        return value;
      }
    }
  }

  /** The first column of every row {@code sql} selects. */
  public <T> List<T> column(Class<T> type, String sql, Object... args) throws SQLException {
    try (Connection c = connect(); PreparedStatement select = bind(c.prepareStatement(sql), args)) {
      try (ResultSet rs = select.executeQuery()) {
        List<T> values = new ArrayList<>();
        while (rs.next()) {
          values.add(rs.getObject(1, type));
        }
        return values;
      }
    }
  }

  private Connection connect() throws SQLException {
    return DriverManager.getConnection(config.db().url(), config.db().user(), config.db().password());
  }

  private static PreparedStatement bind(PreparedStatement statement, Object... args) throws SQLException {
    for (int i = 0; i < args.length; i++) {
      statement.setObject(i + 1, args[i]);
    }
    return statement;
  }

  /** Posts {@code body} as it is, for bodies that are not UTF-8. */
  public HttpResponse<String> post(String query, byte[] body) throws Exception {
    return http.send(postRequest(query, HttpRequest.BodyPublishers.ofByteArray(body)), HttpResponse.BodyHandlers.ofString());
  }

  private HttpRequest postRequest(String query, String body) {
    return postRequest(query, HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
  }

  private HttpRequest postRequest(String query, HttpRequest.BodyPublisher body) {
    return HttpRequest.newBuilder(uri("/wechat?" + query))
        .header("Content-Type", "text/xml; charset=utf-8")
        .timeout(Duration.ofSeconds(60))
        .POST(body)
        .build();
  }

  private URI uri(String pathAndQuery) {
    return URI.create("http://127.0.0.1:" + app.port() + pathAndQuery);
  }

  @Override
  public void close() {
    app.stop();
  }
}
