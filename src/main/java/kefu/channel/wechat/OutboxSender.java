package kefu.channel.wechat;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import kefu.customer.CustomerRepository;
import kefu.store.Coordination;
import kefu.store.CoordinationException;
import kefu.store.Database;
import kefu.store.Lease;
import kefu.store.Subscription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends what waits in the outbox through WeChat's API, on one node at a time (the holder of a lease), so WeChat's
 * per-customer quotas are counted in one place and no message goes out twice.
 *
 * <p>Each message is marked as being sent before the call and as sent or failed after it. Transient errors are
 * retried with growing pauses; permanent ones are recorded with WeChat's code. A call whose answer was lost, and a
 * message found still marked as being sent when a node takes the lease (cut off mid-call), may have arrived: they
 * are marked interrupted and not sent again.
 */
final class OutboxSender implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(OutboxSender.class);
  private static final String LEASE = "wechat-outbox-sender";
  private static final Duration LEASE_TTL = Duration.ofSeconds(30);
  /** A third of the lease: renewed this often while sending, it outlives two slow calls in a row. */
  private static final Duration RENEW_EVERY = LEASE_TTL.dividedBy(3);
  private static final String WAKE_CHANNEL = "wechat-outbox";
  /** How often the outbox is looked at without being woken: for retries coming due, and for a lost leader. */
  private static final long POLL_MILLIS = 1_000;
  private static final int BATCH = 20;
  private static final List<Duration> BACKOFF = List.of(
      Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofMinutes(2), Duration.ofMinutes(10), Duration.ofMinutes(30));

  /** Said once a minute while sending keeps failing (Redis or the database down), not every second. */
  private final ThrottledWarning stopped = new ThrottledWarning(log);
  private final Vertx vertx;
  private final Database database;
  private final Outbox outbox;
  private final DeliveryPolicy policy;
  private final Optional<ServiceTemplate> serviceTemplate;
  private final Coordination coordination;
  private final WorkerExecutor worker;
  private final Clock clock;
  private final MeterRegistry registry;
  private final AtomicBoolean running = new AtomicBoolean();
  private final AtomicBoolean again = new AtomicBoolean();
  private volatile WechatApi api;
  private volatile boolean closed;
  private volatile Lease lease;
  /** When the lease was last taken or renewed (System.nanoTime); one drain runs at a time. */
  private volatile long renewedAt;
  private long timer = -1;
  private Subscription wakeups;

  /** @param serviceTemplate present when {@code policy} may send by template message */
  OutboxSender(Vertx vertx, Database database, Outbox outbox, DeliveryPolicy policy,
      Optional<ServiceTemplate> serviceTemplate, Coordination coordination, Clock clock, MeterRegistry registry) {
    this.vertx = vertx;
    this.serviceTemplate = serviceTemplate;
    this.database = database;
    this.outbox = outbox;
    this.policy = policy;
    this.coordination = coordination;
    this.worker = vertx.createSharedWorkerExecutor("kefu-outbox", 1);
    this.clock = clock;
    this.registry = registry;
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

  /** Something was put in the outbox: send it now, wherever the sender runs. */
  void wake() {
    if (lease == null) {
      try {
        coordination.publish(WAKE_CHANNEL, "");
      } catch (CoordinationException e) {
        // The sender's poll finds the message within a second anyway.
        log.debug("Outbox: could not wake the sender on another node: {}", e.getMessage());
      }
    }
    drain();
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
    worker.executeBlocking(() -> {
      sendDue();
      return null;
    }, false).onComplete(done -> {
      if (done.failed()) {
        stopped.warn("Outbox: sending stopped for now, tried again every second: {}", done.cause().toString());
      }
      running.set(false);
      if (again.get()) {
        drain();
      }
    });
  }

  private void sendDue() throws Exception {
    List<OutboxMessage> due;
    do {
      // Renewed before each message, so a long drain keeps the lease and no other node takes it and sends the same rows.
      if (!leading()) {
        return;
      }
      Instant now = clock.instant();
      due = database.inTransaction(c -> outbox.due(c, now, BATCH));
      for (OutboxMessage message : due) {
        if (closed || !leading()) {
          return;
        }
        send(message);
      }
    } while (due.size() == BATCH && !closed);
  }

  private boolean leading() throws Exception {
    if (lease != null) {
      if (System.nanoTime() - renewedAt < RENEW_EVERY.toNanos()) {
        return true;
      }
      if (lease.renew(LEASE_TTL)) {
        renewedAt = System.nanoTime();
        return true;
      }
      log.warn("Outbox: lost the sender lease; another node sends now");
      lease = null;
    }
    Optional<Lease> taken = coordination.tryLease(LEASE, LEASE_TTL);
    if (taken.isEmpty()) {
      return false;
    }
    lease = taken.get();
    renewedAt = System.nanoTime();
    int interrupted = database.inTransaction(outbox::interruptAll);
    if (interrupted > 0) {
      log.warn("Outbox: {} messages were cut off mid-send by a stopped sender; marked interrupted, not sent again", interrupted);
    }
    return true;
  }

  /** What the transaction before a call decided: how the message goes, and to whom (empty for an unknown customer). */
  private record Claim(DeliveryPolicy.Verdict verdict, String openid) {}

  private void send(OutboxMessage message) throws Exception {
    Instant now = clock.instant();
    Claim claim = database.inTransaction(c -> {
      // Locked, so that a message from the customer either comes first (and opens the window) or releases this hold.
      CustomerRepository.lock(c, message.customerId());
      Optional<Outbox.Addressee> to = outbox.addressee(c, message.customerId());
      DeliveryPolicy.Verdict v = policy.judge(to.map(Outbox.Addressee::recipient).orElse(DeliveryPolicy.Recipient.UNFOLLOWED), now);
      if (v instanceof DeliveryPolicy.Hold hold) {
        outbox.hold(c, message.id(), message.customerId(), hold.reason(), now);
      } else if (v instanceof DeliveryPolicy.Undeliverable no) {
        outbox.undeliverable(c, message.id(), no.reason(), now);
      } else if (!outbox.claim(c, message.id(),
          v instanceof DeliveryPolicy.Template ? OutboxMessage.Channel.TEMPLATE : OutboxMessage.Channel.SERVICE, now)) {
        return null;
      }
      return new Claim(v, to.map(Outbox.Addressee::openid).orElse(""));
    });
    if (claim == null) {
      return;
    }
    DeliveryPolicy.Verdict verdict = claim.verdict();
    if (verdict instanceof DeliveryPolicy.Hold || verdict instanceof DeliveryPolicy.Undeliverable) {
      registry.counter("kefu.outbox.messages", "result", verdict instanceof DeliveryPolicy.Hold ? "held" : "undeliverable").increment();
      return;
    }
    // The claim is written before the call: a crash after it must find the message being sent, never send it again.
    database.awaitDurable();
    try {
      if (verdict instanceof DeliveryPolicy.Template template) {
        api.sendTemplate(claim.openid(), template.templateId(),
            serviceTemplate.orElseThrow().fields(message.reply().asText(), now));
      } else {
        api.sendService(claim.openid(), message.reply());
      }
      database.inTransaction(c -> {
        outbox.sent(c, message.id(), clock.instant());
        return null;
      });
      registry.counter("kefu.outbox.messages", "result", "sent").increment();
    } catch (WechatApiException e) {
      if (e.neverLeft()) {
        waiting(message, e);
      } else if (e.outcomeUnknown()) {
        interrupted(message, e);
      } else {
        failed(message, e);
      }
    }
  }

  /**
   * The call never left (the coordination store is down): the message is due again at once, no attempt counted,
   * and this drain stops; the next, a second later, tries again, so the messages go as soon as the store is back.
   */
  private void waiting(OutboxMessage message, WechatApiException e) throws Exception {
    database.inTransaction(c -> outbox.unclaim(c, message.id(), e.getMessage(), clock.instant()));
    throw new CoordinationException("Outbox: " + e.getMessage() + "; the messages wait", null);
  }

  private void interrupted(OutboxMessage message, WechatApiException e) throws Exception {
    database.inTransaction(c -> {
      outbox.interrupted(c, message.id(), e.getMessage() + "; not sent again, it may have arrived", clock.instant());
      return null;
    });
    registry.counter("kefu.outbox.messages", "result", "interrupted").increment();
    log.warn("Outbox: message #{} to Customer#{}: {}; marked interrupted, not sent again", message.id(), message.customerId(),
        e.getMessage());
  }

  private void failed(OutboxMessage message, WechatApiException e) throws Exception {
    int attempt = message.attempts() + 1;
    boolean retry = e.isTransient() && attempt <= BACKOFF.size();
    database.inTransaction(c -> {
      if (retry) {
        outbox.retryAt(c, message.id(), e.code(), e.getMessage(), clock.instant().plus(BACKOFF.get(attempt - 1)));
      } else {
        outbox.failed(c, message.id(), e.code(), e.getMessage(), clock.instant());
      }
      return null;
    });
    registry.counter("kefu.outbox.messages", "result", retry ? "retried" : "failed").increment();
    log.warn("Outbox: {} to Customer#{}: WeChat error {}{}", "message #" + message.id(), message.customerId(), e.code(),
        retry ? ", retried in " + BACKOFF.get(attempt - 1).toSeconds() + " s" : ", not retried");
  }

  @Override
  public void close() {
    closed = true;
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
    if (wakeups != null) {
      wakeups.close();
    }
    if (lease != null) {
      lease.release();
    }
    worker.close();
  }
}
