package kefu.channel.wechat;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import kefu.store.Coordination;
import kefu.store.CoordinationException;
import kefu.store.Database;
import kefu.store.Subscription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends what waits in the outbox through WeChat's API, each customer's messages by one node at a time (the holder of
 * the customer's shard, see {@link OutboxShards}), so WeChat's per-customer quotas are counted in one place, each
 * customer's messages go in order and none goes out twice.
 *
 * <p>It works in batches: one transaction claims up to {@link #BATCH} due messages (marks them being sent, judging
 * each against WeChat's rules with what the batch already claimed for the customer counted), one durable write puts
 * the claims on disk, a few threads then call WeChat for different customers at once, each customer's messages one
 * after the other, and one transaction records the outcomes.
 *
 * <p>After a crash, exactly once as far as WeChat lets it be (its customer-service API has no idempotency key):
 * <ul>
 *   <li>a message whose claim was not on disk is still pending, and is sent: its call cannot have left;</li>
 *   <li>a message whose call stopped before it left kefu (the access token could not be read) is pending again, no
 *       attempt counted;</li>
 *   <li>a message found marked as being sent when a node takes its shard over, or whose call's answer was lost, may
 *       have reached the customer: it is marked unknown, not sent again, and shown to a person, who sends it again or
 *       marks it delivered. A crash leaves at most one batch so (what was claimed and not yet recorded).</li>
 * </ul>
 * Outcomes that cannot be recorded (the database is down) are kept and recorded first when it answers again; nothing
 * new is claimed until then.
 */
final class OutboxSender implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(OutboxSender.class);
  private static final String WAKE_CHANNEL = "wechat-outbox";
  /** How often the outbox is looked at without being woken: for retries coming due, and for a lost node's shards. */
  private static final long POLL_MILLIS = 1_000;
  /** Messages claimed at once: also the most a crash can leave unknown. */
  static final int BATCH = 100;
  /** Calls to WeChat at once; below WxJava's 10 connections to one host, so no call waits for a connection. */
  private static final int CALLS = 8;
  /** How long a stop waits for the batch under way to be recorded, so it leaves nothing unknown. */
  private static final Duration STOP_WAIT = Duration.ofSeconds(10);
  private static final List<Duration> BACKOFF = List.of(
      Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofMinutes(2), Duration.ofMinutes(10), Duration.ofMinutes(30));

  /** Said once a minute while sending keeps failing (Redis or the database down), not every second. */
  private final ThrottledWarning stopped = new ThrottledWarning(log);
  private final Vertx vertx;
  private final Database database;
  private final Outbox outbox;
  private final DeliveryPolicy policy;
  private final Optional<ServiceTemplate> serviceTemplate;
  private final Optional<ServiceTemplate> subscribeTemplate;
  private final Refusals refusals;
  private final Coordination coordination;
  private final OutboxShards shards;
  /** The one thread that drains (claims, records); each sender has its own, so two in one process never wait on each other. */
  private final ExecutorService drainer;
  private final ExecutorService calls;
  private final Clock clock;
  private final MeterRegistry registry;
  private final AtomicBoolean running = new AtomicBoolean();
  private final AtomicBoolean again = new AtomicBoolean();
  /** Completes when the drain under way ends; a stop waits for it. */
  private volatile CompletableFuture<Void> draining = CompletableFuture.completedFuture(null);
  private volatile WechatApi api;
  private volatile boolean closed;
  private long timer = -1;
  private Subscription wakeups;
  /** Shards taken over whose messages left being sent are not yet marked unknown; nothing is sent in them until then. */
  private final Set<Integer> unresolved = new HashSet<>();
  /** Outcomes of calls made, not yet recorded because the database did not answer. */
  private List<Outcome> unrecorded = List.of();

  /**
   * @param serviceTemplate present when {@code policy} may send by template message
   * @param subscribeTemplate the fields of subscription notices; empty: none can go
   * @param refusals told of each message that was to go one way only and did not
   */
  OutboxSender(Vertx vertx, Database database, Outbox outbox, DeliveryPolicy policy, Optional<ServiceTemplate> serviceTemplate,
      Optional<ServiceTemplate> subscribeTemplate, Refusals refusals, Coordination coordination, Clock clock, MeterRegistry registry) {
    this.vertx = vertx;
    this.serviceTemplate = serviceTemplate;
    this.subscribeTemplate = subscribeTemplate;
    this.refusals = refusals;
    this.database = database;
    this.outbox = outbox;
    this.policy = policy;
    this.coordination = coordination;
    this.shards = new OutboxShards(coordination);
    this.drainer = Executors.newSingleThreadExecutor(threads("kefu-outbox-drain-"));
    this.calls = Executors.newFixedThreadPool(CALLS, threads("kefu-outbox-call-"));
    this.clock = clock;
    this.registry = registry;
  }

  /** Daemon threads named {@code name} and a number: a stop does not wait for a call that hangs. */
  private static ThreadFactory threads(String name) {
    AtomicInteger count = new AtomicInteger();
    return run -> {
      Thread thread = new Thread(run, name + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }

  /** Starts sending through {@code api}. Blocks briefly (subscribes to wake-ups from other nodes). */
  void start(WechatApi api) {
    this.api = api;
    try {
      wakeups = coordination.subscribe(WAKE_CHANNEL, message -> drain());
    } catch (CoordinationException e) {
      // A node starts through a Redis outage; until it subscribes, other nodes' messages wait for the poll.
      log.warn("Outbox: cannot hear other nodes yet ({}); sending on the {} ms poll", e.getMessage(), POLL_MILLIS);
    }
    timer = vertx.setPeriodic(POLL_MILLIS, id -> drain());
    drain();
  }

  /** Something was put in the outbox: send it now, wherever its customer's shard is sent. */
  void wake() {
    if (shards.heldCount() < OutboxShards.COUNT) {
      try {
        coordination.publish(WAKE_CHANNEL, "");
      } catch (CoordinationException e) {
        // The senders' poll finds the message within a second anyway.
        log.debug("Outbox: could not wake the senders on other nodes: {}", e.getMessage());
      }
    }
    drain();
  }

  /** How many shards this node sends now. */
  int shardsHeld() {
    return shards.heldCount();
  }

  private void drain() {
    if (closed || api == null) {
      return;
    }
    if (!running.compareAndSet(false, true)) {
      again.set(true);
      return;
    }
    again.set(false);
    CompletableFuture<Void> done = new CompletableFuture<>();
    draining = done;
    drainer.execute(() -> {
      try {
        sendDue();
      } catch (Exception e) {
        stopped.warn("Outbox: sending stopped for now, tried again every second: {}", e.toString());
      } finally {
        running.set(false);
        done.complete(null);
      }
      if (again.get()) {
        drain();
      }
    });
  }

  private void sendDue() throws Exception {
    if (!unrecorded.isEmpty()) {
      // Needs the database only: recorded even while the coordination store is down.
      record(unrecorded);
    }
    unresolved.addAll(shards.refresh());
    int claimed;
    do {
      List<Integer> held = resolved();
      if (held.isEmpty() || closed) {
        return;
      }
      Instant now = clock.instant();
      List<Judged> batch = database.inTransaction(c -> claim(c, held, now));
      claimed = batch.size();
      List<Judged> calls = count(batch);
      if (!calls.isEmpty()) {
        try {
          // The claims are written before the calls: a crash after this finds them being sent, never sends them again.
          database.awaitDurable();
        } catch (SQLException e) {
          // The claims may not be on disk: no call is made, and they are pending again once the database answers.
          unrecorded = calls.stream().map(j -> new Outcome(j.message(), false, Optional.empty())).toList();
          throw e;
        }
        record(call(calls, now));
      }
      unresolved.addAll(shards.refresh());
    } while (claimed == BATCH && !closed);
  }

  /**
   * The shards held whose messages may be sent: those taken over are first rid of what the stopped sender left
   * being sent (marked unknown).
   */
  private List<Integer> resolved() throws SQLException {
    for (Integer shard : List.copyOf(unresolved)) {
      int unknown = database.inTransaction(c -> outbox.unknownAll(c, shard));
      unresolved.remove(shard);
      if (unknown > 0) {
        registry.counter("kefu.outbox.messages", "result", "unknown").increment(unknown);
        log.warn("Outbox: {} messages were being sent by a sender that stopped; marked unknown for a person, not sent again",
            unknown);
      }
    }
    List<Integer> held = new ArrayList<>(shards.held());
    held.removeAll(unresolved);
    return held;
  }

  /** A due message as the claim judged it: how it goes, and to whom (empty for an unknown customer). */
  private record Judged(OutboxMessage message, DeliveryPolicy.Verdict verdict, String openid) {}

  /**
   * Claims the messages due in {@code held}: each customer locked (so that a message from them either comes first
   * and opens the window, or releases what is held here), judged against WeChat's rules counting what this batch
   * already claimed for them; held or undeliverable ones are recorded so at once.
   */
  private List<Judged> claim(Connection c, List<Integer> held, Instant now) throws SQLException {
    Map<Long, List<OutboxMessage>> byCustomer = new LinkedHashMap<>();
    for (OutboxMessage message : outbox.due(c, now, held, BATCH)) {
      byCustomer.computeIfAbsent(message.customerId(), id -> new ArrayList<>()).add(message);
    }
    if (byCustomer.isEmpty()) {
      return List.of();
    }
    Map<Long, Outbox.Addressee> addressees = outbox.lockAddressees(c, List.copyOf(byCustomer.keySet()));
    List<Judged> judged = new ArrayList<>();
    Map<OutboxMessage.Channel, List<Long>> claims = new EnumMap<>(OutboxMessage.Channel.class);
    for (Map.Entry<Long, List<OutboxMessage>> customer : byCustomer.entrySet()) {
      long customerId = customer.getKey();
      Optional<Outbox.Addressee> to = Optional.ofNullable(addressees.get(customerId));
      DeliveryPolicy.Recipient recipient = to.map(Outbox.Addressee::recipient).orElse(DeliveryPolicy.Recipient.UNFOLLOWED);
      String openid = to.map(Outbox.Addressee::openid).orElse("");
      for (OutboxMessage message : customer.getValue()) {
        DeliveryPolicy.Verdict v = verdict(message, recipient, now);
        if (v instanceof DeliveryPolicy.Hold hold) {
          outbox.hold(c, message.id(), customerId, hold.reason(), now);
        } else if (v instanceof DeliveryPolicy.Undeliverable no) {
          outbox.undeliverable(c, message.id(), no.reason(), now);
        } else if (v instanceof DeliveryPolicy.Refused no) {
          outbox.undeliverable(c, message.id(), no.reason(), now);
          refusals.refused(c, message.messageId(), 0, no.reason(), now);
        } else {
          claims.computeIfAbsent(channel(v), channel -> new ArrayList<>()).add(message.id());
          if (v instanceof DeliveryPolicy.Service) {
            recipient = recipient.afterService();
          }
        }
        judged.add(new Judged(message, v, openid));
      }
    }
    for (Map.Entry<OutboxMessage.Channel, List<Long>> channel : claims.entrySet()) {
      outbox.claim(c, channel.getValue(), channel.getKey(), now);
    }
    return judged;
  }

  /** How {@code message} may go: as the policy judges, or by its route only. */
  private DeliveryPolicy.Verdict verdict(OutboxMessage message, DeliveryPolicy.Recipient recipient, Instant now) {
    if (message.route().isEmpty()) {
      return policy.judge(recipient, now);
    }
    if (message.route().get() == OutboxMessage.Channel.SUBSCRIBE && subscribeTemplate.isEmpty()) {
      return new DeliveryPolicy.Refused("no subscription notice: templates/ define no " + ServiceTemplate.SUBSCRIBE_FIELDS + "*");
    }
    return policy.judge(recipient, now, message.route().get(), message.templateId());
  }

  private static OutboxMessage.Channel channel(DeliveryPolicy.Verdict verdict) {
    return verdict instanceof DeliveryPolicy.Template ? OutboxMessage.Channel.TEMPLATE
        : verdict instanceof DeliveryPolicy.Subscribe ? OutboxMessage.Channel.SUBSCRIBE : OutboxMessage.Channel.SERVICE;
  }

  /** Counts the held and undeliverable messages of a batch; returns those to call WeChat for. */
  private List<Judged> count(List<Judged> batch) {
    List<Judged> calls = new ArrayList<>();
    for (Judged j : batch) {
      if (j.verdict() instanceof DeliveryPolicy.Hold) {
        registry.counter("kefu.outbox.messages", "result", "held").increment();
      } else if (j.verdict() instanceof DeliveryPolicy.Undeliverable || j.verdict() instanceof DeliveryPolicy.Refused) {
        registry.counter("kefu.outbox.messages", "result", "undeliverable").increment();
      } else {
        calls.add(j);
      }
    }
    return calls;
  }

  /**
   * What a claimed message's call came to: {@code called} false if it was not made (an earlier message of the
   * customer failed, or the sender stops); {@code error} empty if WeChat took it.
   */
  private record Outcome(OutboxMessage message, boolean called, Optional<WechatApiException> error) {}

  /** Calls WeChat for the claimed messages, different customers at once, each customer's in order. */
  private List<Outcome> call(List<Judged> claimed, Instant now) throws Exception {
    Map<Long, List<Judged>> byCustomer = new LinkedHashMap<>();
    claimed.forEach(j -> byCustomer.computeIfAbsent(j.message().customerId(), id -> new ArrayList<>()).add(j));
    List<Future<List<Outcome>>> sending = new ArrayList<>();
    for (List<Judged> messages : byCustomer.values()) {
      sending.add(calls.submit(() -> callInOrder(messages, now)));
    }
    List<Outcome> outcomes = new ArrayList<>();
    for (Future<List<Outcome>> customer : sending) {
      outcomes.addAll(customer.get());
    }
    return outcomes;
  }

  /** One customer's messages, one after the other; after one that did not go, the rest wait for the next batch. */
  private List<Outcome> callInOrder(List<Judged> messages, Instant now) {
    List<Outcome> outcomes = new ArrayList<>();
    boolean go = true;
    for (Judged j : messages) {
      if (!go || closed) {
        outcomes.add(new Outcome(j.message(), false, Optional.empty()));
        continue;
      }
      try {
        if (j.verdict() instanceof DeliveryPolicy.Template template) {
          api.sendTemplate(j.openid(), template.templateId(),
              serviceTemplate.orElseThrow().fields(j.message().reply().asText(), now));
        } else if (j.verdict() instanceof DeliveryPolicy.Subscribe subscribe) {
          api.sendSubscribe(j.openid(), subscribe.templateId(), subscribeTemplate.orElseThrow().fields(j.message().reply().asText(), now));
        } else {
          api.sendService(j.openid(), j.message().reply());
        }
        outcomes.add(new Outcome(j.message(), true, Optional.empty()));
      } catch (WechatApiException e) {
        outcomes.add(new Outcome(j.message(), true, Optional.of(e)));
        go = false;
      }
    }
    return outcomes;
  }

  /**
   * Records the outcomes in one transaction; kept for the next drain if the database does not answer. If a call
   * never left for want of the coordination store, this drain stops after recording: the next, a second later, tries
   * again, so the messages go as soon as the store is back.
   */
  private void record(List<Outcome> outcomes) throws Exception {
    unrecorded = outcomes;
    Instant now = clock.instant();
    database.inTransaction(c -> {
      List<Long> sent = new ArrayList<>();
      for (Outcome o : outcomes) {
        if (result(o).equals("sent")) {
          sent.add(o.message().id());
        } else {
          record(c, o, now);
        }
      }
      if (!sent.isEmpty()) {
        outbox.sent(c, sent, now);
      }
      return null;
    });
    unrecorded = List.of();
    Optional<WechatApiException> storeDown = Optional.empty();
    for (Outcome o : outcomes) {
      String result = result(o);
      registry.counter("kefu.outbox.messages", "result", result).increment();
      if (o.error().isPresent()) {
        WechatApiException e = o.error().get();
        if (e.neverLeft()) {
          storeDown = o.error();
        } else {
          log.warn("Outbox: message #{} to Customer#{}: {}; {}", o.message().id(), o.message().customerId(),
              e.outcomeUnknown() ? e.getMessage() : "WeChat error " + e.code(), switch (result) {
                case "unknown" -> "marked unknown for a person, not sent again";
                case "retried" -> "retried in " + BACKOFF.get(o.message().attempts()).toSeconds() + " s";
                default -> "not retried";
              });
        }
      }
    }
    if (storeDown.isPresent()) {
      throw new CoordinationException("Outbox: " + storeDown.get().getMessage() + "; the messages wait", null);
    }
  }

  private void record(Connection c, Outcome o, Instant now) throws SQLException {
    long id = o.message().id();
    Optional<String> error = o.error().map(Exception::getMessage);
    switch (result(o)) {
      case "waiting" -> outbox.unclaim(c, id, error, now);
      case "unknown" -> outbox.unknown(c, id, error.orElseThrow() + "; not sent again, it may have arrived", now);
      case "retried" -> outbox.retryAt(c, id, o.error().get().code(), error.orElseThrow(),
          now.plus(BACKOFF.get(o.message().attempts())));
      default -> {
        outbox.failed(c, id, o.error().get().code(), error.orElseThrow(), now);
        if (o.message().route().isPresent()) {
          refusals.refused(c, o.message().messageId(), o.error().get().code(), "WeChat refused the "
              + o.message().route().get().name().toLowerCase(Locale.ROOT) + " message: error " + o.error().get().code() + " "
              + error.orElseThrow(), now);
        }
      }
    }
  }

  /** What becomes of the message: sent, waiting (pending again), unknown, retried or failed. */
  private static String result(Outcome o) {
    if (o.error().isEmpty()) {
      return o.called() ? "sent" : "waiting";
    }
    WechatApiException e = o.error().get();
    if (e.neverLeft()) {
      return "waiting";
    }
    if (e.outcomeUnknown()) {
      return "unknown";
    }
    // attempts() counts the calls before this one.
    return e.isTransient() && o.message().attempts() < BACKOFF.size() ? "retried" : "failed";
  }

  /** Stops sending: waits for the batch under way to be recorded, then gives the shards back to other nodes. */
  @Override
  public void close() {
    closed = true;
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
    if (wakeups != null) {
      wakeups.close();
    }
    try {
      draining.get(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      log.warn("Outbox: the batch under way was not recorded within {} s; its messages will be marked unknown", STOP_WAIT.toSeconds());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException e) {
      // The drain's future is only ever completed normally.
      throw new IllegalStateException(e);
    }
    try {
      shards.close();
    } catch (CoordinationException e) {
      log.warn("Outbox: could not give the shards back ({}); other nodes take them when their leases run out", e.getMessage());
    }
    calls.shutdown();
    drainer.shutdown();
  }
}
