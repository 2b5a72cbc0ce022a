package kefu.desk;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import kefu.conversation.Delivery;
import kefu.store.Database;
import kefu.store.Subscription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the {@link Assigner} whenever the queue may have changed — a customer joined it, a chat ended or passed on, an
 * agent came online — as the desk's events tell from any node, and every half minute in case an event was lost;
 * then tells the consoles and sends the greetings.
 */
final class Dispatcher implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);
  private static final long SWEEP_MILLIS = 30_000;

  private final Vertx vertx;
  private final Database database;
  private final Assigner assigner;
  private final Delivery delivery;
  private final DeskEvents events;
  private final Clock clock;
  private final Subscription listening;
  private final long sweeper;
  /** One run at a time on this node; a change during a run asks for one more. */
  private final AtomicBoolean running = new AtomicBoolean();
  private final AtomicBoolean again = new AtomicBoolean();

  Dispatcher(Vertx vertx, Database database, Assigner assigner, Delivery delivery, DeskEvents events, Clock clock) {
    this.vertx = vertx;
    this.database = database;
    this.assigner = assigner;
    this.delivery = delivery;
    this.events = events;
    this.clock = clock;
    this.listening = events.listen(vertx, this::onEvent);
    this.sweeper = vertx.setPeriodic(SWEEP_MILLIS, tick -> run());
  }

  private void onEvent(JsonObject event) {
    if ("queue".equals(event.getString("type"))) {
      run();
    }
  }

  /** Assigns now, or after the run under way. */
  void run() {
    again.set(true);
    if (!running.compareAndSet(false, true)) {
      return;
    }
    again.set(false);
    vertx.executeBlocking(() -> {
      List<Assigner.Given> given = database.inTransaction(c -> assigner.assignWaiting(c, clock.instant()));
      if (!given.isEmpty()) {
        delivery.wake();
        events.queueChanged();
        given.forEach(g -> events.chatChanged(g.ticket().conversationId(), g.agent().id()));
        log.info("Desk: {} waiting customers given to agents", given.size());
      }
      return given.size();
    }, false).onComplete(done -> {
      if (done.failed()) {
        log.warn("Desk: giving waiting customers to agents failed; trying again on the next change", done.cause());
      }
      running.set(false);
      if (again.get()) {
        run();
      }
    });
  }

  @Override
  public void close() {
    vertx.cancelTimer(sweeper);
    listening.close();
  }
}
