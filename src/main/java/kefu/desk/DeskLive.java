package kefu.desk;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.net.URI;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import kefu.store.Coordination;
import kefu.store.Subscription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The consoles connected to this node over WebSocket ({@code /desk/live}): each gets the desk events, from every
 * node, that its agent may see — the queue's, and those of their own chats (all chats for supervisors).
 */
final class DeskLive implements AutoCloseable {
  private static final short POLICY_VIOLATION = 1008;
  private static final String READY = new JsonObject().put("type", "ready").encode();
  private static final Logger log = LoggerFactory.getLogger(DeskLive.class);
  private static final long RESUBSCRIBE_MILLIS = 5_000;

  private final Map<ServerWebSocket, Watcher> watchers = new ConcurrentHashMap<>();
  private final Vertx vertx;
  private final Coordination coordination;
  private volatile Subscription subscription;
  private volatile boolean closed;

  /** A console: whose it is, and the event loop its socket belongs to. */
  private record Watcher(Agent agent, Context context) {}

  DeskLive(Vertx vertx, Coordination coordination) {
    this.vertx = vertx;
    this.coordination = coordination;
    subscribe();
  }

  /** Subscribes to the desk's events on a worker, trying again while Redis cannot be reached. */
  private void subscribe() {
    vertx.executeBlocking(() -> coordination.subscribe(DeskEvents.CHANNEL, this::deliver), false).onSuccess(subscribed -> {
      subscription = subscribed;
      if (closed) {
        subscribed.close();
      }
    }).onFailure(e -> {
      log.warn("Desk: consoles cannot hear of changes yet ({}); trying again in {} ms", e.getMessage(), RESUBSCRIBE_MILLIS);
      if (!closed) {
        vertx.setTimer(RESUBSCRIBE_MILLIS, again -> subscribe());
      }
    });
  }

  /**
   * Upgrades a console's request to its socket, then registers it for {@code agent}'s events once the session is
   * found, saying so with a {@code ready} event; without a session the socket is closed (1008). The upgrade comes
   * first because Vert.x can upgrade a request only before it has been read to its end.
   */
  void connect(RoutingContext ctx, Future<Optional<Agent>> agent) {
    if (!sameOrigin(ctx)) {
      // Cookies go with a cross-site WebSocket handshake too; the Origin header is what tells it apart.
      ctx.fail(403);
      return;
    }
    Context context = Vertx.currentContext();
    ctx.request().toWebSocket().onSuccess(socket -> agent.onComplete(found -> {
      if (found.failed() || found.result().isEmpty()) {
        socket.close(POLICY_VIOLATION, "no session");
        return;
      }
      watchers.put(socket, new Watcher(found.result().get(), context));
      socket.closeHandler(closed -> watchers.remove(socket));
      socket.writeTextMessage(READY);
    })).onFailure(ctx::fail);
  }

  private static boolean sameOrigin(RoutingContext ctx) {
    String origin = ctx.request().getHeader("Origin");
    if (origin == null || ctx.request().authority() == null) {
      return false;
    }
    try {
      return ctx.request().authority().toString().equalsIgnoreCase(URI.create(origin).getRawAuthority());
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private void deliver(String message) {
    JsonObject event = new JsonObject(message);
    watchers.forEach((socket, watcher) -> {
      if (visible(event, watcher.agent())) {
        watcher.context().runOnContext(go -> socket.writeTextMessage(message));
      }
    });
  }

  /** A chat's events go to its agent and to those who oversee the desk; queue events to everyone. */
  private static boolean visible(JsonObject event, Agent agent) {
    return !"chat".equals(event.getString("type")) || agent.role() != Agent.Role.AGENT
        || event.getLong("agent") == agent.id();
  }

  @Override
  public void close() {
    closed = true;
    if (subscription != null) {
      subscription.close();
    }
    watchers.keySet().forEach(ServerWebSocket::close);
  }
}
