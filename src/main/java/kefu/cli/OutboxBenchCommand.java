package kefu.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import kefu.App;
import kefu.config.ConfigLoader;
import kefu.config.KefuConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Measures how fast the outbox drains: starts a node in simulator mode (embedded H2, the WeChat API stand-in on
 * loopback), fills its outbox with messages for many customers in one transaction and times the sends, then checks
 * each customer's messages arrived once each and in order. A first, unmeasured round warms the JIT up.
 */
@Command(name = "outbox-bench", mixinStandardHelpOptions = true,
    description = "Fills the outbox (simulator mode, embedded H2) and measures customer-service sends per second to the stand-in API.")
public final class OutboxBenchCommand implements Callable<Integer> {
  @Option(names = "--messages", defaultValue = "10000", description = "messages to send (default ${DEFAULT-VALUE})")
  int messages;

  @Option(names = "--customers", defaultValue = "2000",
      description = "customers they go to, round robin; WeChat allows 5 per customer message (default ${DEFAULT-VALUE})")
  int customers;

  @Option(names = "--warmup", defaultValue = "5000", description = "messages sent first and not measured, for the JIT (default ${DEFAULT-VALUE})")
  int warmup;

  @Option(names = "--kb", defaultValue = "knowledge-base", description = "knowledge base the node loads (default ${DEFAULT-VALUE})")
  Path kb;

  @Override
  public Integer call() throws Exception {
    KefuConfig config = simulatorNode(Files.createTempDirectory("kefu-outbox-bench").resolve("data"), kb, Map.of());
    App app = App.start(config);
    try {
      // A first round for the JIT, as wechat-bench warms up: the measured round then runs on compiled code.
      if (warmup > 0) {
        fill(config.db(), "o-warmup-", warmup, Math.max(1, warmup / 5));
        awaitSent(config.db());
      }
      long before = count(config.db(), "SELECT COALESCE(MAX(id), 0) FROM outbox");
      fill(config.db(), "o-bench-", messages, customers);
      awaitSent(config.db());
      Duration took = sendingTime(config.db(), before);
      Map<String, List<Integer>> arrived = arrived(app.port(), "o-bench-");
      long total = arrived.values().stream().mapToLong(List::size).sum();
      boolean inOrder = arrived.values().stream().allMatch(OutboxBenchCommand::ascending);
      System.out.printf("messages=%d customers=%d warmup=%d arrived=%d in_order=%s seconds=%.2f sends_per_s=%.0f%n", messages,
          customers, warmup, total, inOrder, took.toNanos() / 1e9, messages / (took.toNanos() / 1e9));
      return total == messages && inOrder ? 0 : 1;
    } finally {
      app.stop();
    }
  }

  /**
   * A bench's node: simulator mode, its data (embedded H2) in {@code data}, words-only knowledge base {@code kb}, on a
   * free loopback port, with these {@code more} settings (as environment variables).
   */
  static KefuConfig simulatorNode(Path data, Path kb, Map<String, String> more) throws Exception {
    Map<String, String> settings = new HashMap<>(Map.of(
        "KEFU_CONFIG", "none",
        "KEFU_HTTP_HOST", "127.0.0.1",
        "KEFU_HTTP_PORT", Integer.toString(WechatBenchCommand.freePort()),
        "KEFU_DATA_DIR", data.toString(),
        "KEFU_KB_VECTORS", "off",
        "KEFU_KB_DIR", kb.toAbsolutePath().toString()));
    settings.putAll(more);
    return ConfigLoader.load(Optional.empty(), settings);
  }

  /**
   * {@code customers} customers (openids {@code prefix} + i) who wrote a minute ago, and message i to customer
   * i mod customers, text "i", all due; in one transaction, so the sender finds them all at once.
   */
  private static void fill(KefuConfig.Db db, String prefix, int messages, int customers) throws Exception {
    OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
    try (Connection c = DriverManager.getConnection(db.url(), db.user(), db.password())) {
      c.setAutoCommit(false);
      long[] conversation = new long[customers];
      long[] customer = new long[customers];
      try (PreparedStatement addCustomer = c.prepareStatement("INSERT INTO customers (openid, created_at, updated_at, last_inbound_at)"
              + " VALUES (?, ?, ?, ?)", Statement.RETURN_GENERATED_KEYS);
          PreparedStatement addConversation = c.prepareStatement("INSERT INTO conversations (customer_id, inbox, status, started_at,"
              + " last_message_at) VALUES (?, 'wechat', 'open', ?, ?)", Statement.RETURN_GENERATED_KEYS)) {
        for (int i = 0; i < customers; i++) {
          customer[i] = insert(addCustomer, prefix + i, now, now, now.minusMinutes(1));
          conversation[i] = insert(addConversation, customer[i], now, now);
        }
      }
      try (PreparedStatement addMessage = c.prepareStatement("INSERT INTO messages (conversation_id, direction, type, text, created_at)"
              + " VALUES (?, 'out', 'text', ?, ?)", Statement.RETURN_GENERATED_KEYS);
          PreparedStatement addOutbox = c.prepareStatement("INSERT INTO outbox (customer_id, message_id, kind, payload, status,"
              + " next_attempt_at, created_at) VALUES (?, ?, 'text', ?, 'pending', ?, ?)", Statement.RETURN_GENERATED_KEYS)) {
        for (int i = 0; i < messages; i++) {
          int to = i % customers;
          long message = insert(addMessage, conversation[to], Integer.toString(i), now);
          insert(addOutbox, customer[to], message, new JsonObject().put("text", Integer.toString(i)).encode(), now, now);
        }
      }
      c.commit();
    }
  }

  static long insert(PreparedStatement insert, Object... params) throws Exception {
    for (int i = 0; i < params.length; i++) {
      insert.setObject(i + 1, params[i]);
    }
    insert.executeUpdate();
    try (ResultSet keys = insert.getGeneratedKeys()) {
      keys.next();
      return keys.getLong(1);
    }
  }

  static void awaitSent(KefuConfig.Db db) throws Exception {
    Instant giveUp = Instant.now().plus(Duration.ofMinutes(30));
    while (count(db, "SELECT COUNT(*) FROM outbox WHERE status IN ('pending', 'sending')") > 0) {
      if (Instant.now().isAfter(giveUp)) {
        throw new IllegalStateException("the outbox did not drain within 30 minutes");
      }
      Thread.sleep(200);
    }
  }

  /** From the first message after {@code afterId} recorded sent to the last: the wait for the sender's poll is not counted. */
  private static Duration sendingTime(KefuConfig.Db db, long afterId) throws Exception {
    try (Connection c = DriverManager.getConnection(db.url(), db.user(), db.password());
        PreparedStatement s = c.prepareStatement("SELECT MIN(sent_at), MAX(sent_at) FROM outbox WHERE status = 'sent' AND id > ?")) {
      s.setLong(1, afterId);
      ResultSet rs = s.executeQuery();
      rs.next();
      return Duration.between(rs.getObject(1, OffsetDateTime.class), rs.getObject(2, OffsetDateTime.class));
    }
  }

  static long count(KefuConfig.Db db, String sql) throws Exception {
    try (Connection c = DriverManager.getConnection(db.url(), db.user(), db.password());
        Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** What the stand-in received for the customers whose openids start with {@code prefix}: the texts as numbers, in order. */
  private static Map<String, List<Integer>> arrived(int port, String prefix) throws Exception {
    HttpResponse<String> response = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/simulator/api/sent")).build(),
        HttpResponse.BodyHandlers.ofString());
    Map<String, List<Integer>> byCustomer = new HashMap<>();
    for (Object item : new JsonArray(response.body())) {
      JsonObject sent = (JsonObject) item;
      if (!sent.getString("openid").startsWith(prefix)) {
        continue;
      }
      byCustomer.computeIfAbsent(sent.getString("openid"), k -> new ArrayList<>())
          .add(Integer.parseInt(sent.getJsonObject("message").getJsonObject("text").getString("content")));
    }
    return byCustomer;
  }

  private static boolean ascending(List<Integer> texts) {
    for (int i = 1; i < texts.size(); i++) {
      if (texts.get(i) <= texts.get(i - 1)) {
        return false;
      }
    }
    return true;
  }
}
