package kefu.desk;

import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import kefu.web.Pages;

/** Renders the console's pages and page parts off the event loop; the console's policy headers are set for every /desk route. */
final class DeskPages {
  private final Vertx vertx;
  private final Pages pages;

  DeskPages(Vertx vertx, Pages pages) {
    this.vertx = vertx;
    this.pages = pages;
  }

  /** What every page of a logged-in agent shows: who they are and the token their forms carry. */
  static Map<String, Object> model(AgentSessions.Session session) {
    Map<String, Object> model = new HashMap<>();
    model.put("agent", session.agent());
    model.put("role", session.agent().role().key());
    model.put("csrf", session.csrfToken());
    return model;
  }

  /** The form field {@code name} without surrounding white space; empty if the post has none. */
  static String field(RoutingContext ctx, String name) {
    return Optional.ofNullable(ctx.request().getFormAttribute(name)).orElse("").strip();
  }

  /** The key by which a page names one of kefu's codes (a ticket's kind, a role …) for its labels: the name in lower case. */
  static String key(Enum<?> value) {
    return value.name().toLowerCase(Locale.ROOT);
  }

  /** After a form post: the page to show next (303, so that reloading it does not post again). */
  static void redirect(RoutingContext ctx, String to) {
    ctx.response().setStatusCode(303).putHeader("Location", to).end();
  }

  void send(RoutingContext ctx, int status, String name, Map<String, Object> model) {
    // Pebble reads templates from disk on first use.
    vertx.executeBlocking(() -> pages.render(name, model), false).onSuccess(html -> ctx.response()
        .setStatusCode(status)
        .putHeader("Content-Type", "text/html; charset=utf-8")
        .putHeader("Cache-Control", "no-store")
        .end(html)).onFailure(ctx::fail);
  }
}
