package kefu.channel.wechat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;


import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import kefu.App;
import kefu.TestConfigs;
import kefu.channel.simulator.SimulatedWechat;
import kefu.config.KefuConfig;
import kefu.dialog.Reply;
import kefu.store.Database;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The outbox through a real node in simulator mode: messages are put in the outbox directly (as the bot or an
 * agent would), and the node's sender delivers them to the stand-in WeChat API, or records why not.
 */
class OutboxTest {
  @TempDir Path dir;
  private final HttpClient http = HttpClient.newHttpClient();
  private KefuConfig config;
  private App app;
  private StandInClient wechat;

  /** A customer and their open conversation. */
  private record Recipient(long customerId, long conversationId, String openid) {}

  /** An outbox row as the test reads it back. */
  private record Row(String status, String channel, int attempts, Integer errorCode, String error, Instant nextAttemptAt) {}

  @AfterEach
  void stop() {
    if (app != null) {
      app.stop();
    }
  }

  private void start() {
    start(TestConfigs.embedded(dir));
  }

  private void start(KefuConfig node) {
    config = node;
    app = App.start(config);
    wechat = new StandInClient(http, app.port());
  }

  @Test
  void theFortyEightHourRuleHoldsEndToEnd() throws Exception {
    // Proves: past the 48-hour window a message is marked undeliverable with the reason and never reaches WeChat,
    // while one to a customer who wrote recently goes through the customer-service API.
    start();
    Recipient old = customer("o-old", Duration.ofHours(49));
    Recipient recent = customer("o-recent", Duration.ofMinutes(1));
    long late = queue(old, "您预约的档期已确认", "pending");
    long timely = queue(recent, "您预约的档期已确认", "pending");

    await().untilAsserted(() -> {
      assertThat(row(late).status()).isEqualTo("undeliverable");
      assertThat(row(timely).status()).isEqualTo("sent");
    });
    assertThat(row(late).error()).contains("48-hour window");
    assertThat(row(timely).channel()).isEqualTo("service");
    assertThat(wechat.texts(recent.openid())).containsExactly("您预约的档期已确认");
    assertThat(wechat.texts(old.openid())).isEmpty();
  }

  @Test
  void outsideTheWindowTheConfiguredTemplateCarriesTheMessage() throws Exception {
    // Proves: with wechat.service-template set, a message to a customer who last wrote 49 hours ago goes out as
    // that template message through WeChat's template API, its fields filled from templates/template-message.yaml
    // (the reply's first 20 characters and the time), recorded as sent by template.
    KefuConfig plain = TestConfigs.embedded(dir);
    KefuConfig.Wechat wechatConfig = plain.wechat();
    start(plain.withWechat(new KefuConfig.Wechat(wechatConfig.account(), wechatConfig.token(), wechatConfig.aesKey(),
        wechatConfig.replyBudget(), Optional.of("tmpl-service-notice"), wechatConfig.quotas())));
    Recipient old = customer("o-template", Duration.ofHours(49));
    long id = queue(old, "您的相册已精修完成,请在本周内预约取件时间,我们将为您包装好", "pending");

    await().untilAsserted(() -> assertThat(row(id).status()).isEqualTo("sent"));
    assertThat(row(id).channel()).isEqualTo("template");
    List<JsonObject> sent = wechat.sent(old.openid());
    assertThat(sent).hasSize(1);
    assertThat(sent.get(0).getString("channel")).isEqualTo("template");
    JsonObject message = sent.get(0).getJsonObject("message");
    assertThat(message.getString("template_id")).isEqualTo("tmpl-service-notice");
    JsonObject data = message.getJsonObject("data");
    assertThat(data.fieldNames()).containsExactlyInAnyOrder("thing1", "time2");
    assertThat(data.getJsonObject("thing1").getString("value")).isEqualTo("您的相册已精修完成,请在本周内预约取件…");
    assertThat(data.getJsonObject("time2").getString("value")).matches("\\d{4}年\\d{1,2}月\\d{1,2}日 \\d{2}:\\d{2}");
  }

  @Test
  void aTransientErrorPutsTheMessageBackForALaterAttempt() throws Exception {
    // Proves: WeChat's -1 (busy) is recorded and the message is pending again after a backoff, then sent once.
    start();
    Recipient customer = customer("o-busy", Duration.ofMinutes(1));
    wechat.fail(-1);
    Instant queuedAt = Instant.now();
    long id = queue(customer, "请稍候", "pending");

    await().untilAsserted(() -> assertThat(row(id).errorCode()).isEqualTo(-1));
    Row retried = row(id);
    assertThat(retried.status()).isEqualTo("pending");
    assertThat(retried.channel()).isNull();
    assertThat(retried.attempts()).isEqualTo(1);
    assertThat(retried.nextAttemptAt()).isAfterOrEqualTo(queuedAt.plusSeconds(5));
    assertThat(wechat.texts(customer.openid())).isEmpty();

    execute("UPDATE outbox SET next_attempt_at = ? WHERE id = ?", Database.timestamp(Instant.now()), id);
    await().untilAsserted(() -> assertThat(row(id).status()).isEqualTo("sent"));
    assertThat(row(id).attempts()).isEqualTo(2);
    assertThat(wechat.texts(customer.openid())).containsExactly("请稍候");
  }

  @Test
  void aPermanentErrorIsRecordedAndNotRetried() throws Exception {
    // Proves: 45015 marks the message failed with WeChat's code after one attempt; the sender moves past it.
    start();
    Recipient customer = customer("o-refused", Duration.ofMinutes(1));
    wechat.fail(45015);
    long refused = queue(customer, "第一条", "pending");
    await().untilAsserted(() -> assertThat(row(refused).status()).isEqualTo("failed"));

    // A later message going through shows the sender has been round since: the failed one was left alone.
    long next = queue(customer, "第二条", "pending");
    await().untilAsserted(() -> assertThat(row(next).status()).isEqualTo("sent"));
    Row failed = row(refused);
    assertThat(failed.status()).isEqualTo("failed");
    assertThat(failed.errorCode()).isEqualTo(45015);
    assertThat(failed.attempts()).isEqualTo(1);
    assertThat(wechat.texts(customer.openid())).containsExactly("第二条");
  }

  @Test
  void aSendWhoseAnswerIsLostIsMarkedUnknownAndNotSentAgain() throws Exception {
    // Proves: when WeChat takes a message but the connection closes before its answer, the row is marked
    // unknown at once (not retried, which could deliver it twice) and the sender goes on with the next.
    start();
    Recipient customer = customer("o-lost-answer", Duration.ofMinutes(1));
    wechat.loseAnswer();
    long lost = queue(customer, "应答丢失的那条", "pending");
    await().untilAsserted(() -> assertThat(row(lost).status()).isEqualTo("unknown"));

    long next = queue(customer, "之后的那条", "pending");
    await().untilAsserted(() -> assertThat(row(next).status()).isEqualTo("sent"));
    Row unknown = row(lost);
    assertThat(unknown.status()).isEqualTo("unknown");
    assertThat(unknown.attempts()).isEqualTo(1);
    assertThat(unknown.error()).contains("no answer from WeChat").contains("not sent again");
    assertThat(wechat.texts(customer.openid())).containsExactly("应答丢失的那条", "之后的那条");
  }

  @Test
  void aMessageCutOffMidSendIsNotSentAgainAfterARestart() throws Exception {
    // Proves: a row left 'sending' by a stopped node is marked unknown by the next and never resent, while
    // a pending one is sent exactly once.
    start();
    Recipient customer = customer("o-restart", Duration.ofMinutes(1));
    long cutOff = queue(customer, "发送中断的那条", "sending");
    app.stop();
    long due = queue(customer, "停机时排队的那条", "pending");

    start();
    await().untilAsserted(() -> {
      assertThat(row(cutOff).status()).isEqualTo("unknown");
      assertThat(row(due).status()).isEqualTo("sent");
    });
    assertThat(row(cutOff).error()).contains("not sent again");
    assertThat(row(cutOff).attempts()).isEqualTo(1);
    assertThat(wechat.texts(customer.openid())).containsExactly("停机时排队的那条");
  }

  @Test
  void aMessageOverTheQuotaWaitsForTheCustomersNextMessage() throws Exception {
    // Proves: past WeChat's five messages per customer message the sixth is held, not sent into a refusal, and
    // the customer's next message releases it.
    start();
    Recipient customer = customer("o-quota", Duration.ofMinutes(1));
    List<Long> ids = new ArrayList<>();
    for (int i = 1; i <= 6; i++) {
      ids.add(queue(customer, "第" + i + "条", "pending"));
    }
    long sixth = ids.get(5);
    // The sixth is held in the transaction that claims the fifth, before the fifth is sent.
    await().untilAsserted(() -> {
      assertThat(row(sixth).status()).isEqualTo("held");
      assertThat(wechat.texts(customer.openid())).containsExactly("第1条", "第2条", "第3条", "第4条", "第5条");
    });
    assertThat(row(sixth).error()).contains("5 customer-service messages");

    SimulatedWechat.Request message = new SimulatedWechat(config.wechat().token(), new WechatCrypto(config.wechat()),
        Clock.systemUTC()).text(customer.openid(), "你好");
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + app.port() + "/wechat?" + message.query()))
        .POST(HttpRequest.BodyPublishers.ofString(message.body())).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);

    await().untilAsserted(() -> assertThat(row(sixth).status()).isEqualTo("sent"));
    assertThat(wechat.texts(customer.openid())).containsExactly("第1条", "第2条", "第3条", "第4条", "第5条", "第6条");
  }

  // The database, through plain JDBC on the node's H2 file.

  /** A customer who last wrote {@code wroteAgo}, with an open conversation. */
  private Recipient customer(String openid, Duration wroteAgo) throws SQLException {
    Instant now = Instant.now();
    long customerId = insert("INSERT INTO customers (openid, created_at, updated_at, last_inbound_at) VALUES (?, ?, ?, ?)",
        openid, Database.timestamp(now.minus(Duration.ofDays(7))), Database.timestamp(now), Database.timestamp(now.minus(wroteAgo)));
    long conversationId = insert(
        "INSERT INTO conversations (customer_id, inbox, status, started_at, last_message_at) VALUES (?, 'wechat', 'open', ?, ?)",
        customerId, Database.timestamp(now.minus(wroteAgo)), Database.timestamp(now.minus(wroteAgo)));
    return new Recipient(customerId, conversationId, openid);
  }

  /**
   * An outbound text in the conversation and its outbox row, due now, with {@code status}: 'pending' as the bot
   * leaves it, or 'sending' as a node that stopped mid-call leaves it.
   */
  private long queue(Recipient to, String text, String status) throws SQLException {
    OffsetDateTime now = Database.timestamp(Instant.now());
    long messageId = insert("INSERT INTO messages (conversation_id, direction, type, text, created_at) VALUES (?, 'out', 'text', ?, ?)",
        to.conversationId(), text, now);
    boolean sending = status.equals("sending");
    return insert("INSERT INTO outbox (customer_id, message_id, kind, payload, channel, status, attempts, next_attempt_at, created_at)"
            + " VALUES (?, ?, 'text', ?, ?, ?, ?, ?, ?)",
        to.customerId(), messageId, OutboxMessage.payload(new Reply.Text(text)), sending ? "service" : null, status,
        sending ? 1 : 0, now, now);
  }

  private Row row(long id) throws SQLException {
    try (Connection c = connect(); PreparedStatement select = c.prepareStatement(
        "SELECT status, channel, attempts, error_code, error, next_attempt_at FROM outbox WHERE id = ?")) {
      select.setLong(1, id);
      try (ResultSet rs = select.executeQuery()) {
        assertThat(rs.next()).as("outbox row %d exists", id).isTrue();
        return new Row(rs.getString("status"), rs.getString("channel"), rs.getInt("attempts"),
            rs.getObject("error_code", Integer.class), rs.getString("error"),
            rs.getObject("next_attempt_at", OffsetDateTime.class).toInstant());
      }
    }
  }

  private long insert(String sql, Object... params) throws SQLException {
    try (Connection c = connect(); PreparedStatement insert = c.prepareStatement(sql, Statement.RETURN_GENERATED_KEYS)) {
      bind(insert, params).executeUpdate();
      try (ResultSet keys = insert.getGeneratedKeys()) {
        keys.next();
        return keys.getLong(1);
      }
    }
  }

  private void execute(String sql, Object... params) throws SQLException {
    try (Connection c = connect(); PreparedStatement update = c.prepareStatement(sql)) {
      bind(update, params).executeUpdate();
    }
  }

  private static PreparedStatement bind(PreparedStatement statement, Object... params) throws SQLException {
    for (int i = 0; i < params.length; i++) {
      statement.setObject(i + 1, params[i]);
    }
    return statement;
  }

  private Connection connect() throws SQLException {
    return DriverManager.getConnection(config.db().url());
  }
}
