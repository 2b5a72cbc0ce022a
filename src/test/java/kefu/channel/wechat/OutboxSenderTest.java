package kefu.channel.wechat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.benmanes.caffeine.cache.Ticker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import kefu.LogLines;
import kefu.TestStore;
import kefu.config.KefuConfig;
import kefu.dialog.Reply;
import kefu.store.Coordination;
import kefu.store.InProcessCoordination;
import kefu.store.Sql;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The outbox sender on its own, over the real database, with a WeChat API that records what it is asked to send:
 * order per customer while customers are sent at once, quotas within a batch, two senders sharing the work, and
 * what a sender that stops mid-batch leaves.
 */
class OutboxSenderTest {
  private static final Duration WAIT = Duration.ofSeconds(60);
  @TempDir Path dir;
  private TestStore.Open store;
  private final Clock clock = Clock.systemUTC();
  private final Outbox outbox = new Outbox();
  private final List<OutboxSender> senders = new ArrayList<>();
  /** The coordination store's time, moved by the tests to let leases run out. */
  private final AtomicLong nanos = new AtomicLong();
  private final Coordination coordination = new InProcessCoordination(nanos::get);

  /** Opens the database the test runs on. */
  private void use(TestStore kind) {
    store = kind.open(dir);
  }

  @AfterEach
  void close() {
    senders.forEach(OutboxSender::close);
    coordination.close();
    if (store != null) {
      store.close();
    }
  }

  /** What one sender's API was asked to send: text by openid in arrival order, and whether calls overlapped. */
  private static class Recording implements WechatApi {
    final Map<String, List<String>> texts = new ConcurrentHashMap<>();
    final AtomicInteger calls = new AtomicInteger();
    final Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();
    final List<String> overlaps = new CopyOnWriteArrayList<>();

    @Override
    public void sendService(String openid, Reply reply) throws WechatApiException {
      AtomicInteger flying = inFlight.computeIfAbsent(openid, o -> new AtomicInteger());
      if (flying.incrementAndGet() > 1) {
        overlaps.add(openid);
      }
      try {
        carry(openid, reply.asText());
      } finally {
        flying.decrementAndGet();
      }
    }

    void carry(String openid, String text) throws WechatApiException {
      texts.computeIfAbsent(openid, o -> new CopyOnWriteArrayList<>()).add(text);
      calls.incrementAndGet();
    }

    @Override
    public void sendTemplate(String openid, String templateId, Map<String, String> fields) {
      throw new AssertionError("no template is configured");
    }

    @Override
    public void sendSubscribe(String openid, String templateId, Map<String, String> fields) {
      throw new AssertionError("no subscription notice is queued here");
    }

    @Override
    public WechatChannel.JsapiSignature jsapiSignature(String url) {
      throw new AssertionError("the sender signs no page");
    }

    @Override
    public void createMenu(String menuJson) {
      throw new AssertionError("the sender pushes no menu");
    }

    @Override
    public String qrCodePictureUrl(String scene) {
      throw new AssertionError("the sender makes no QR code");
    }
  }

  private OutboxSender sender(WechatApi api) {
    KefuConfig.Wechat wechat = new KefuConfig.Wechat(Optional.empty(), "simulator", Optional.empty(), Duration.ofSeconds(3),
        Optional.empty(), new KefuConfig.Quotas(5, Duration.ofHours(48), 3));
    OutboxSender sender = new OutboxSender(store.vertx(), store.db(), outbox, new DeliveryPolicy(wechat), Optional.empty(),
        Optional.empty(), Refusals.NONE, coordination, clock, new SimpleMeterRegistry());
    senders.add(sender);
    sender.start(api);
    return sender;
  }

  @Test
  void customersAreSentAtOnceAndEachCustomersMessagesInOrder() throws Exception {
    // Proves: calls for different customers overlap (the first two calls each wait until the other has begun),
    // never two for one customer, and each customer receives their messages in the order they were queued.
    use(TestStore.H2);
    CountDownLatch bothBegun = new CountDownLatch(2);
    Recording api = new Recording() {
      @Override
      void carry(String openid, String text) throws WechatApiException {
        bothBegun.countDown();
        try {
          assertThat(bothBegun.await(30, TimeUnit.SECONDS)).as("a second customer's call began meanwhile").isTrue();
        } catch (InterruptedException e) {
          throw new AssertionError(e);
        }
        super.carry(openid, text);
      }
    };
    List<Long> customers = customers(40);
    queueRoundRobin(customers, 200);
    sender(api);

    await().atMost(WAIT).until(() -> api.calls.get() == 200);
    assertThat(api.overlaps).isEmpty();
    assertThat(api.texts).hasSize(40);
    api.texts.values().forEach(texts -> assertThat(texts).isSortedAccordingTo((a, b) -> Integer.parseInt(a) - Integer.parseInt(b)));
    await().atMost(WAIT).until(() -> statusCounts().equals(Map.of("sent", 200)));
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void theQuotaHoldsForManyMessagesToOneCustomerInOneBatch(TestStore kind) throws Exception {
    // Proves: twelve messages due at once for a customer who wrote a minute ago go five by customer-service
    // message and seven wait; for one with three sent since they wrote, two go and two wait.
    use(kind);
    List<Long> two = customers(2);
    long fresh = two.get(0);
    long busy = two.get(1);
    for (int i = 0; i < 3; i++) {
      long id = queue(busy, "earlier " + i);
      store.db().inTransaction(c -> Sql.update(c, "UPDATE outbox SET status = 'sent', channel = 'service', sent_at = ? WHERE id = ?",
          clock.instant(), id));
    }
    for (int i = 0; i < 12; i++) {
      queue(fresh, Integer.toString(i));
    }
    for (int i = 0; i < 4; i++) {
      queue(busy, Integer.toString(i));
    }
    Recording api = new Recording();
    sender(api);

    await().atMost(WAIT).until(() -> statusCounts().getOrDefault("pending", 0) == 0 && !statusCounts().containsKey("sending"));
    assertThat(api.texts.get("o-" + fresh)).containsExactly("0", "1", "2", "3", "4");
    assertThat(api.texts.get("o-" + busy)).containsExactly("0", "1");
    assertThat(statusCounts()).containsEntry("held", 9).containsEntry("sent", 10);
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void twoSendersShareTheShardsAndNeverSendAMessageTwice(TestStore kind) throws Exception {
    // Proves: a second sender (another node on the same database and coordination store) takes half the shards
    // from the first, both then send, and every message reaches its customer once, in order.
    use(kind);
    Recording first = new Recording();
    Recording second = new Recording();
    OutboxSender a = sender(first);
    OutboxSender b = sender(second);
    await().atMost(WAIT).until(() -> a.shardsHeld() == OutboxShards.COUNT / 2 && b.shardsHeld() == OutboxShards.COUNT / 2);

    List<Long> customers = customers(80);
    queueRoundRobin(customers, 400);
    a.wake();
    b.wake();

    await().atMost(WAIT).until(() -> first.calls.get() + second.calls.get() == 400);
    assertThat(first.calls.get()).isPositive();
    assertThat(second.calls.get()).isPositive();
    Map<String, List<String>> all = new HashMap<>(first.texts);
    second.texts.forEach((openid, texts) -> assertThat(all.put(openid, texts)).as("%s sent by one sender only", openid).isNull());
    assertThat(all).hasSize(80);
    all.values().forEach(texts -> assertThat(texts).hasSize(5).doesNotHaveDuplicates()
        .isSortedAccordingTo((x, y) -> Integer.parseInt(x) - Integer.parseInt(y)));
    // The calls are counted as they are made, the outcomes recorded after the batch's calls.
    await().atMost(WAIT).until(() -> statusCounts().equals(Map.of("sent", 400)));
  }

  @Test
  void anOutcomeTheDatabaseCannotTakeIsKeptAndRecordedWhenItCan() throws Exception {
    // Proves: when the database cannot take the outcome of a call (here: the row locked by another connection
    // during the call, so the recording times out), the message stays being sent, not unknown and not sent again,
    // and the outcome is recorded as sent once the database takes it.
    use(TestStore.H2);
    long customer = customers(1).get(0);
    long id = queue(customer, "数据库恢复后记为已发送");
    Connection blocker = DriverManager.getConnection(store.settings().url(), store.settings().user(), store.settings().password());
    blocker.setAutoCommit(false);
    Recording api = new Recording() {
      @Override
      void carry(String openid, String text) throws WechatApiException {
        try (PreparedStatement lock = blocker.prepareStatement("SELECT id FROM outbox WHERE id = ? FOR UPDATE")) {
          lock.setLong(1, id);
          lock.executeQuery().close();
        } catch (SQLException e) {
          throw new AssertionError(e);
        }
        super.carry(openid, text);
      }
    };
    try (LogLines log = new LogLines(OutboxSender.class)) {
      sender(api);
      await().atMost(WAIT).until(() -> log.messages().stream().anyMatch(line -> line.contains("sending stopped for now")));
    }
    assertThat(api.calls.get()).isEqualTo(1);
    assertThat(statusCounts()).isEqualTo(Map.of("sending", 1));
    blocker.rollback();
    blocker.close();

    await().atMost(WAIT).until(() -> statusCounts().equals(Map.of("sent", 1)));
    assertThat(api.calls.get()).isEqualTo(1);
  }

  @Test
  void aSenderThatStopsMidBatchLeavesThatBatchUnknownAndNothingIsSentTwice() throws Exception {
    // Proves (and measures): a sender frozen mid-batch (as a killed node is) after 30 calls leaves exactly its batch
    // of claimed messages; the node taking its shards over, once its leases ran out, marks those unknown, sends every
    // other message once, and sends none of the batch again — neither the 30 that arrived nor the rest.
    use(TestStore.H2);
    CountDownLatch thaw = new CountDownLatch(1);
    Recording frozen = new Recording() {
      /** Numbered as they start: the calling threads check at once, so counting those carried would let more pass. */
      private final AtomicInteger started = new AtomicInteger();

      @Override
      void carry(String openid, String text) throws WechatApiException {
        if (started.incrementAndGet() > 30) {
          try {
            thaw.await();
          } catch (InterruptedException e) {
            throw new AssertionError(e);
          }
        }
        super.carry(openid, text);
      }
    };
    List<Long> customers = customers(100);
    queueRoundRobin(customers, 500);
    sender(frozen);
    await().atMost(WAIT).until(() -> frozen.calls.get() == 30 && statusCounts().getOrDefault("sending", 0) == OutboxSender.BATCH);

    nanos.addAndGet(Duration.ofSeconds(31).toNanos());
    Recording next = new Recording();
    sender(next);
    await().atMost(WAIT).until(() -> next.calls.get() == 500 - OutboxSender.BATCH);

    await().atMost(WAIT).until(() -> statusCounts().equals(Map.of("sent", 500 - OutboxSender.BATCH, "unknown", OutboxSender.BATCH)));
    Map<String, List<String>> both = new HashMap<>(next.texts);
    frozen.texts.forEach((openid, texts) -> both.merge(openid, texts, (x, y) -> {
      List<String> merged = new ArrayList<>(x);
      merged.addAll(y);
      return merged;
    }));
    assertThat(both.values().stream().mapToInt(List::size).sum()).isEqualTo(500 - OutboxSender.BATCH + 30);
    both.values().forEach(texts -> assertThat(texts).doesNotHaveDuplicates());
    thaw.countDown();
  }

  // The database.

  /** {@code n} customers who wrote a minute ago, each with an open conversation; their openids are "o-" + id. */
  private List<Long> customers(int n) throws SQLException {
    Instant now = clock.instant();
    return store.db().inTransaction(c -> {
      List<Long> ids = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        long id = Sql.insert(c, "INSERT INTO customers (openid, created_at, updated_at, last_inbound_at) VALUES (?, ?, ?, ?)",
            "pending-" + i, now, now, now.minus(Duration.ofMinutes(1)));
        Sql.update(c, "UPDATE customers SET openid = ? WHERE id = ?", "o-" + id, id);
        Sql.insert(c, "INSERT INTO conversations (customer_id, inbox, status, started_at, last_message_at) VALUES (?, 'wechat', 'open', ?, ?)",
            id, now, now);
        ids.add(id);
      }
      return ids;
    });
  }

  /** Messages "0" to "count - 1", message i to customer i mod customers: each customer's in ascending order. */
  private void queueRoundRobin(List<Long> customers, int count) throws SQLException {
    for (int i = 0; i < count; i++) {
      queue(customers.get(i % customers.size()), Integer.toString(i));
    }
  }

  private long queue(long customerId, String text) throws SQLException {
    Instant now = clock.instant();
    return store.db().inTransaction(c -> {
      long conversation = Sql.one(c, "SELECT id FROM conversations WHERE customer_id = ?", row -> row.longValue("id"), customerId).orElseThrow();
      long message = Sql.insert(c, "INSERT INTO messages (conversation_id, direction, type, text, created_at) VALUES (?, 'out', 'text', ?, ?)",
          conversation, text, now);
      return outbox.addPending(c, customerId, message, new Reply.Text(text), now);
    });
  }

  private Map<String, Integer> statusCounts() throws SQLException {
    Map<String, Integer> counts = new TreeMap<>();
    store.db().inTransaction(c -> Sql.list(c, "SELECT status, COUNT(*) AS n FROM outbox GROUP BY status",
        row -> counts.put(row.string("status"), row.integer("n"))));
    return counts;
  }
}
