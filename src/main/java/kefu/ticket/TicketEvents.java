package kefu.ticket;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.function.Consumer;
import kefu.store.Coordination;
import kefu.store.CoordinationException;
import kefu.store.Subscription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the consoles on every node that the queue or a chat changed. An event carries ids only: each console
 * fetches what changed through its own session, so what an agent may see is decided in one place. Blocks on the
 * coordination layer: call it from worker threads.
 */
public final class TicketEvents {
  private static final Logger log = LoggerFactory.getLogger(TicketEvents.class);
  static final String CHANNEL = "desk";
  private static final long RESUBSCRIBE_MILLIS = 5_000;

  private final Coordination coordination;

  public TicketEvents(Coordination coordination) {
    this.coordination = coordination;
  }

  /** A customer joined or left the queue, or a chat started or ended. */
  public void queueChanged() {
    publish(new JsonObject().put("type", "queue"));
  }

  /** Something was said in {@code conversationId}, which {@code agentId} has. */
  public void chatChanged(long conversationId, long agentId) {
    publish(new JsonObject().put("type", "chat").put("conversation", conversationId).put("agent", agentId));
  }

  /**
   * Calls {@code listener} on a Vert.x thread with each desk event from every node, subscribing on a worker and trying
   * again while Redis cannot be reached. Does not block.
   */
  public Subscription listen(Vertx vertx, Consumer<JsonObject> listener) {
    Listening listening = new Listening(vertx, listener);
    listening.subscribe();
    return listening;
  }

  /** One listener's subscription, made again until it holds. */
  private final class Listening implements Subscription {
    private final Vertx vertx;
    private final Consumer<JsonObject> listener;
    private volatile Subscription subscription;
    private volatile boolean closed;

    Listening(Vertx vertx, Consumer<JsonObject> listener) {
      this.vertx = vertx;
      this.listener = listener;
    }

    void subscribe() {
      vertx.executeBlocking(() -> coordination.subscribe(CHANNEL, message -> vertx.runOnContext(go -> listener.accept(new JsonObject(message)))),
          false).onSuccess(subscribed -> {
            subscription = subscribed;
            if (closed) {
              subscribed.close();
            }
          }).onFailure(e -> {
            log.warn("Desk: cannot hear of changes on other nodes yet ({}); trying again in {} ms", e.getMessage(), RESUBSCRIBE_MILLIS);
            if (!closed) {
              vertx.setTimer(RESUBSCRIBE_MILLIS, again -> subscribe());
            }
          });
    }

    @Override
    public void close() {
      closed = true;
      if (subscription != null) {
        subscription.close();
      }
    }
  }

  /** A major complaint was recorded: supervisors are alerted at once. */
  public void majorComplaint(long ticketId) {
    publish(new JsonObject().put("type", "alert").put("ticket", ticketId));
  }

  /** A service report was made: supervisors see a notice of it at once. */
  public void reportMade(long reportId) {
    publish(new JsonObject().put("type", "report").put("report", reportId));
  }

  private void publish(JsonObject event) {
    try {
      coordination.publish(CHANNEL, event.encode());
    } catch (CoordinationException e) {
      // The change is stored; consoles show it on their next refresh or reconnect.
      log.warn("Desk: consoles were not told of a {} change: {}", event.getString("type"), e.getMessage());
    }
  }
}
