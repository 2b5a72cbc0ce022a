package kefu.desk;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import kefu.config.KefuConfig;
import kefu.conversation.Delivery;
import kefu.store.Database;
import kefu.store.Subscription;
import kefu.ticket.Ticket;
import kefu.ticket.TicketEvents;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the desk moving whenever the queue may have changed — a customer joined it, a chat ended or passed on, an
 * agent came online — as the desk's events tell from any node, and every half minute: closes chats that fell quiet,
 * gives waiting customers to agents ({@link Assigner}), and apologises to those waiting too long, offering a call
 * back; and reads the desk's figures for {@code /metrics}. Then tells the consoles and sends what was said.
 */
final class Dispatcher implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);
  private static final long SWEEP_MILLIS = 30_000;

  private final Vertx vertx;
  private final Database database;
  private final Assigner assigner;
  private final Chats chats;
  private final KefuConfig.Desk config;
  private final DeskGauges gauges;
  private final Delivery delivery;
  private final TicketEvents events;
  private final Clock clock;
  private final Subscription listening;
  private final long sweeper;
  /** One run at a time on this node; a change during a run asks for one more. */
  private final AtomicBoolean running = new AtomicBoolean();
  private final AtomicBoolean again = new AtomicBoolean();

  Dispatcher(Vertx vertx, Database database, Assigner assigner, Chats chats, KefuConfig.Desk config, DeskGauges gauges,
      Delivery delivery, TicketEvents events, Clock clock) {
    this.vertx = vertx;
    this.database = database;
    this.assigner = assigner;
    this.chats = chats;
    this.config = config;
    this.gauges = gauges;
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
      Round round = database.inTransaction(c -> {
        Instant now = clock.instant();
        Assigner.lock(c);
        // Quiet chats first: closing them makes room for the waiting.
        List<Ticket> closed = chats.closeQuiet(c, now.minus(config.chatIdleTimeout()), now);
        List<Assigner.Given> given = assigner.assignWaiting(c, now);
        List<Ticket> offered = config.calendar().isOpen(now) ? chats.offerLongWaits(c, now.minus(config.maxWait()), now) : List.of();
        gauges.refresh(c, now);
        return new Round(closed, given, offered);
      });
      tell(round);
      return round;
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

  /** What a run did. */
  private record Round(List<Ticket> closed, List<Assigner.Given> given, List<Ticket> offered) {}

  private void tell(Round round) {
    if (round.closed().isEmpty() && round.given().isEmpty() && round.offered().isEmpty()) {
      return;
    }
    delivery.wake();
    if (!round.closed().isEmpty() || !round.given().isEmpty()) {
      events.queueChanged();
    }
    round.closed().forEach(t -> events.chatChanged(t.conversationId(), t.agentId().orElseThrow()));
    round.given().forEach(g -> events.chatChanged(g.ticket().conversationId(), g.agent().id()));
    log.info("Desk: {} quiet chats closed, {} waiting customers given to agents, {} offered a call back",
        round.closed().size(), round.given().size(), round.offered().size());
  }

  @Override
  public void close() {
    vertx.cancelTimer(sweeper);
    listening.close();
  }
}
