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
import kefu.store.Subscription;
import kefu.ticket.TicketEvents;

/**
 * The consoles connected to this node over WebSocket ({@code /desk/live}): each gets the desk events, from every
 * node, that its agent may see — the queue's, and those of their own chats (all chats for supervisors).
 */
final class DeskLive implements AutoCloseable {
  private static final short POLICY_VIOLATION = 1008;
  private static final String READY = new JsonObject().put("type", "ready").encode();

  private final Map<ServerWebSocket, Watcher> watchers = new ConcurrentHashMap<>();
  private final Subscription listening;

  /** A console: whose it is, and the event loop its socket belongs to. */
  private record Watcher(Agent agent, Context context) {}

  DeskLive(Vertx vertx, TicketEvents events) {
    this.listening = events.listen(vertx, this::deliver);
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

  private void deliver(JsonObject event) {
    String message = event.encode();
    watchers.forEach((socket, watcher) -> {
      if (visible(event, watcher.agent())) {
        watcher.context().runOnContext(go -> socket.writeTextMessage(message));
      }
    });
  }

  /**
   * A chat's events go to its agent and to those who oversee the desk, alerts of major complaints and notices of new
   * reports to those who oversee it, queue events to everyone.
   */
  private static boolean visible(JsonObject event, Agent agent) {
    return switch (event.getString("type")) {
      case "chat" -> agent.role().oversees() || event.getLong("agent") == agent.id();
      case "alert", "report" -> agent.role().oversees();
      default -> true;
    };
  }

  @Override
  public void close() {
    listening.close();
    watchers.keySet().forEach(ServerWebSocket::close);
  }
}
