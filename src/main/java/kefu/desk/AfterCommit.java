package kefu.desk;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.concurrent.Callable;
import kefu.conversation.Delivery;
import kefu.ticket.Ticket;
import kefu.ticket.TicketEvents;

/**
 * What follows a change once its transaction committed: sending what was said, and telling the consoles on every
 * node. Both may block on Redis, so they run on a worker.
 */
final class AfterCommit {
  private final Vertx vertx;
  private final Delivery delivery;
  private final TicketEvents events;

  AfterCommit(Vertx vertx, Delivery delivery, TicketEvents events) {
    this.vertx = vertx;
    this.delivery = delivery;
    this.events = events;
  }

  /** Runs {@code work} on a worker. */
  <T> Future<T> run(Callable<T> work) {
    return vertx.executeBlocking(work, false);
  }

  /**
   * A ticket changed: sends what was said and tells the lists and the chat's agent (and any {@code alsoAgents}, such
   * as the one a chat passed to).
   */
  Future<Ticket> ticketChanged(Ticket ticket, long... alsoAgents) {
    return run(() -> {
      delivery.wake();
      events.queueChanged();
      events.chatChanged(ticket.conversationId(), ticket.agentId().orElseThrow());
      for (long agent : alsoAgents) {
        events.chatChanged(ticket.conversationId(), agent);
      }
      return ticket;
    });
  }
}
