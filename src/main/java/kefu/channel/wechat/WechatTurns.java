package kefu.channel.wechat;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Phaser;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import kefu.conversation.Message;
import kefu.conversation.MessageRepository;
import kefu.dialog.Bot;
import kefu.dialog.Decision;
import kefu.dialog.Inbound;
import kefu.dialog.Said;
import kefu.dialog.Turn;
import kefu.store.Database;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes one inbound WeChat message through the bot: stores it, lets the bot decide, stores the replies and puts
 * each in the outbox — the first as the passive reply if the request can still carry it, the rest (or all, if
 * it cannot) to be sent through the API. A retry of a message already taken gets what the first got.
 */
final class WechatTurns {
  private static final Logger log = LoggerFactory.getLogger(WechatTurns.class);
  /** After a turn failed with its message stored: when to try answering it again from what was stored. */
  private static final List<Duration> RETRIES = List.of(Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofMinutes(2));

  private final Vertx vertx;
  private final Database database;
  private final RetryGuard retries;
  private final Bot bot;
  private final Outbox outbox;
  private final OutboxSender sender;
  private final WorkerExecutor workers;
  private final Clock clock;
  private final QrScans scans;
  private final SubscribeDecisions decisions;
  private final MessageRepository messages = new MessageRepository();
  /**
   * Each customer's latest turn taken, until it finishes: the next waits for it, so that a customer's turns are
   * stored and answered one after another in the order taken, each reading what the one before recorded.
   */
  private final Map<String, Future<?>> latest = new ConcurrentHashMap<>();
  /** Turns taken and not yet finished, so that stopping waits for them before the database closes. */
  private final Phaser inFlight = new Phaser(1);
  private volatile boolean stopping;

  WechatTurns(Vertx vertx, Database database, RetryGuard retries, Bot bot, Outbox outbox, OutboxSender sender,
      WorkerExecutor workers, QrScans scans, SubscribeDecisions decisions, Clock clock) {
    this.vertx = vertx;
    this.database = database;
    this.retries = retries;
    this.bot = bot;
    this.outbox = outbox;
    this.sender = sender;
    this.workers = workers;
    this.clock = clock;
    this.scans = scans;
    this.decisions = decisions;
  }

  /**
   * Runs the turn on a worker, once the customer's turn taken before finished — one hop from the event loop for the
   * retry check, the turn and its bookkeeping.
   * The result is the passive reply's text: this turn's if {@code slot} was taken for it, or for a retry the
   * text the first request got back, if any.
   *
   * @param decided the decisions on subscription notices the event carries (none for a message)
   * @param messageStored completed once the message is stored (committed), or known to be already; failed if it cannot be
   */
  Future<Optional<String>> take(String retryKey, Inbound in, List<SubscribeDecisions.Decision> decided, PassiveSlot slot,
      Promise<Void> messageStored) {
    inFlight.register();
    Promise<Optional<String>> turn = Promise.promise();
    Future<?> before = latest.put(in.openid(), turn.future());
    Future<?> after = before == null ? Future.succeededFuture() : before.transform(done -> Future.succeededFuture());
    after.onComplete(go -> workers.executeBlocking(() -> guarded(retryKey, in, decided, slot, messageStored), false).onComplete(turn));
    return turn.future()
        .andThen(done -> {
          latest.remove(in.openid(), turn.future());
          if (done.failed()) {
            messageStored.tryFail(done.cause());
          } else {
            messageStored.tryComplete();
          }
          inFlight.arriveAndDeregister();
        });
  }

  private Optional<String> guarded(String retryKey, Inbound in, List<SubscribeDecisions.Decision> decided, PassiveSlot slot,
      Promise<Void> messageStored) throws Exception {
    if (stopping) {
      // Not started, so nothing is lost: WeChat retries it, and another node or the next start takes it.
      throw new StoppingException();
    }
    RetryGuard.Seen seen = retries.arrive(retryKey);
    if (!(seen instanceof RetryGuard.First)) {
      // The first is still being handled (its reply comes through the API), or it was answered.
      return seen instanceof RetryGuard.Handled handled ? handled.passiveReply() : Optional.empty();
    }
    Optional<String> passive;
    try {
      passive = run(in, decided, slot, messageStored);
    } catch (Exception | Error e) {
      // Handled afresh when WeChat retries; a message already stored is recognised by its MsgId then.
      retries.forget(retryKey);
      throw e;
    }
    retries.handled(retryKey, passive);
    return passive;
  }

  /**
   * Stores the message and, when the bot can decide at once (small talk, events, a choice, a person asked for), its
   * replies in the same transaction; a question for the knowledge base is decided between two, so that no
   * transaction waits on the FAQ engine.
   */
  private Optional<String> run(Inbound in, List<SubscribeDecisions.Decision> decided, PassiveSlot slot, Promise<Void> messageStored)
      throws Exception {
    // Written with the turns of other customers arriving meanwhile: one commit and one write to disk for all of them.
    Optional<Opening> first;
    try {
      first = Optional.of(database.inGroupCommit(c -> open(c, in, decided, slot)));
    } catch (MessageRepository.AlreadyStored e) {
      first = Optional.empty();
    }
    Optional<String> again = first.isEmpty() ? passiveReplyAgain(in, slot) : Optional.empty();
    try {
      // Written: WeChat may be told "success" now, before the knowledge base is searched.
      database.awaitDurable();
    } catch (SQLException e) {
      // Committed, perhaps not on disk: WeChat hears an error and retries, and the turn is finished later.
      first.ifPresent(opening -> retryLater(opening.turn().inbound(), 0));
      throw e;
    }
    messageStored.tryComplete();
    if (first.isEmpty()) {
      return again; // stored before: a retry that got past the guard
    }
    Opening opening = first.get();
    Turn turn = opening.turn();
    Stored stored;
    try {
      stored = opening.stored().isPresent() ? opening.stored().get() : decideAndStore(turn, in, slot);
    } catch (Exception | Error e) {
      // The message is stored, and may have been acknowledged: it is answered later from what was stored.
      retryLater(turn.inbound(), 0);
      throw e;
    }
    // Replies held for WeChat's quota may go now that the customer has written again.
    if (opening.released() || stored.recorded().pending() > 0) {
      sender.wake();
    }
    bot.recorded(turn, stored.decision());
    return stored.recorded().passive();
  }

  /**
   * Stores the message and, if the bot decides at once, its replies; records the customer's decisions on subscription
   * notices; releases the replies held for the customer.
   */
  private Opening open(Connection c, Inbound in, List<SubscribeDecisions.Decision> decided, PassiveSlot slot) throws SQLException {
    Turn turn = bot.open(c, in);
    Optional<String> scene = WechatInbound.scene(in);
    if (scene.isPresent()) {
      scans.scanned(c, turn.customer().id(), scene.get(), in.at());
    }
    // Once, with the event: a retry of a stored event opens no turn.
    for (SubscribeDecisions.Decision decision : decided) {
      decisions.decided(c, turn.customer().id(), decision, in.at());
    }
    boolean released = in.isMessage() && outbox.release(c, turn.customer(), in.at()) > 0;
    Optional<Decision> atOnce = bot.decideAtOnce(turn, in);
    Optional<Stored> stored = Optional.empty();
    if (atOnce.isPresent()) {
      stored = Optional.of(new Stored(atOnce.get(), store(c, turn, atOnce.get(), slot)));
    }
    return new Opening(turn, stored, released);
  }

  /**
   * Answers the messages stored from {@code from} to {@code to} that no turn followed: acknowledged to WeChat, then
   * left unanswered when a node stopped between storing and answering them. Their replies go through the API. A
   * message another node answers meanwhile is skipped. Returns how many were answered.
   */
  int resumeUnanswered(Instant from, Instant to) throws Exception {
    int answered = 0;
    for (Message message : database.inTransaction(c -> messages.unanswered(c, from, to))) {
      if (stopping) {
        break; // the next start answers the rest
      }
      if (resume(message)) {
        answered++;
      }
    }
    return answered;
  }

  /** Answers a stored message no turn followed, unless it was answered meanwhile; a stop waits for it like for a turn. */
  private boolean resume(Message message) throws Exception {
    inFlight.register();
    try {
      return !stopping && answer(message);
    } finally {
      inFlight.arriveAndDeregister();
    }
  }

  private boolean answer(Message message) throws Exception {
    Optional<Turn> turn = database.inTransaction(c -> bot.resume(c, message));
    if (turn.isEmpty()) {
      return false;
    }
    Decision decision = bot.decide(turn.get(), WechatInbound.stored(turn.get().customer().openid(), message));
    // WeChat's request was answered long ago: every reply goes through the API.
    PassiveSlot answered = new PassiveSlot();
    answered.close();
    Optional<Recorded> recorded = database.inTransaction(c ->
        bot.resume(c, message).isEmpty() ? Optional.<Recorded>empty() : Optional.of(store(c, turn.get(), decision, answered)));
    if (recorded.isEmpty()) {
      return false;
    }
    sender.wake();
    bot.recorded(turn.get(), decision);
    return true;
  }

  /**
   * For a retry that got past the guard (after a restart, or with Redis down) and found its message stored: the passive
   * reply the first request carried. WeChat retries only what it got no answer for — the node may have died after
   * storing the reply, before sending it — so the retry carries it again, as the guard's memory would have given it;
   * if the reply budget ran out meanwhile, it goes through the API instead.
   */
  private Optional<String> passiveReplyAgain(Inbound in, PassiveSlot slot) throws Exception {
    if (in.channelMessageId().isEmpty()) {
      return Optional.empty();
    }
    Optional<Outbox.Passive> passive = database.inTransaction(c -> outbox.passiveReplyTo(c, in.channelMessageId().get()));
    if (passive.isEmpty()) {
      return Optional.empty();
    }
    if (slot.take()) {
      return Optional.of(passive.get().text());
    }
    if (database.inTransaction(c -> outbox.sendPassiveThroughApi(c, passive.get().id(), clock.instant()))) {
      sender.wake();
    }
    return Optional.empty();
  }

  /**
   * Tries answering a stored message again after {@link #RETRIES}{@code [attempt]}; when every try failed it is an
   * error in the log (and the next start answers it, within the hour).
   */
  private void retryLater(Message message, int attempt) {
    if (stopping) {
      return;
    }
    vertx.setTimer(RETRIES.get(attempt).toMillis(), go -> {
      if (stopping) {
        return; // the next start answers it
      }
      workers.executeBlocking(() -> resume(message), false).onFailure(e -> {
        if (attempt + 1 < RETRIES.size()) {
          retryLater(message, attempt + 1);
        } else {
          log.error("{} was stored but could not be answered, tried {} times", message, RETRIES.size() + 1, e);
        }
      });
    });
  }

  /** A question for the knowledge base: decided outside any transaction, then stored in a second one. */
  private Stored decideAndStore(Turn turn, Inbound in, PassiveSlot slot) throws Exception {
    Decision decision = bot.decide(turn, in);
    Stored stored = new Stored(decision, database.inGroupCommit(c -> store(c, turn, decision, slot)));
    // A passive reply goes back only once it is written: a crash must not make the next start answer again.
    database.awaitDurable();
    return stored;
  }

  /**
   * The first transaction's outcome: the turn opened, what it stored if the bot decided at once, and whether replies
   * held for the customer were released.
   */
  private record Opening(Turn turn, Optional<Stored> stored, boolean released) {}

  /** A decision and its replies as stored. */
  private record Stored(Decision decision, Recorded recorded) {}

  /** Stores the replies and puts each in the outbox: the first as the passive reply if the request can still carry it. */
  private Recorded store(Connection c, Turn turn, Decision decision, PassiveSlot slot) throws SQLException {
    long customerId = turn.customer().id();
    List<Said> said = bot.record(c, turn, decision, clock.instant());
    Optional<String> first = Optional.empty();
    for (Said s : said) {
      if (first.isEmpty() && slot.take()) {
        outbox.addReplied(c, customerId, s.message().id(), s.reply(), clock.instant());
        first = Optional.of(s.reply().asText());
      } else {
        outbox.addPending(c, customerId, s.message().id(), s.reply(), clock.instant());
      }
    }
    return new Recorded(first, said.size() - (first.isPresent() ? 1 : 0));
  }

  /** A turn's replies as stored: the passive reply's text, if one went that way, and how many wait to be sent. */
  private record Recorded(Optional<String> passive, int pending) {}

  /**
   * Takes no more turns and waits up to {@code timeout} for those under way, which finish with the database
   * still open; turns still queued are refused.
   */
  void stop(Duration timeout) {
    stopping = true;
    try {
      inFlight.awaitAdvanceInterruptibly(inFlight.arrive(), timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (TimeoutException e) {
      log.warn("Stopping with {} WeChat turns still under way", inFlight.getUnarrivedParties());
    }
  }

  /** The node is stopping: the turn was not started. */
  static final class StoppingException extends IllegalStateException {
    StoppingException() {
      super("kefu is stopping");
    }
  }
}
