package kefu.desk;

import io.vertx.core.json.JsonObject;
import kefu.store.Coordination;
import kefu.store.CoordinationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the consoles on every node that the queue or a chat changed. An event carries ids only: each console
 * fetches what changed through its own session, so what an agent may see is decided in one place. Blocks on the
 * coordination layer: call it from worker threads.
 */
public final class DeskEvents {
  private static final Logger log = LoggerFactory.getLogger(DeskEvents.class);
  static final String CHANNEL = "desk";

  private final Coordination coordination;

  public DeskEvents(Coordination coordination) {
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

  private void publish(JsonObject event) {
    try {
      coordination.publish(CHANNEL, event.encode());
    } catch (CoordinationException e) {
      // The change is stored; consoles show it on their next refresh or reconnect.
      log.warn("Desk: consoles were not told of a {} change: {}", event.getString("type"), e.getMessage());
    }
  }
}
