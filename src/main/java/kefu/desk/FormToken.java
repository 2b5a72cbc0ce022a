package kefu.desk;

import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;

/**
 * Guards a form posted before there is a session (the login, the first admin's setup) against posts from other
 * sites by double submit: the page sets a random token in a cookie only the form's own path receives, and the post
 * must carry the same token in {@code _csrf}. Another site can neither read that cookie nor set it.
 */
final class FormToken {
  private final String cookie;
  private final String path;
  private final boolean secure;

  /** @param path the form's path, the only one its cookie is sent to */
  FormToken(String cookie, String path, boolean secure) {
    this.cookie = cookie;
    this.path = path;
    this.secure = secure;
  }

  /** The token for the page's form, set in the cookie if the browser has none yet. */
  String issue(RoutingContext ctx) {
    Cookie existing = ctx.request().getCookie(cookie);
    if (existing != null) {
      return existing.getValue();
    }
    String token = AgentSessions.randomToken();
    ctx.response().addCookie(Cookie.cookie(cookie, token).setPath(path).setHttpOnly(true)
        .setSameSite(CookieSameSite.STRICT).setSecure(secure));
    return token;
  }

  /** Whether the post carries the token its cookie holds. */
  boolean carried(RoutingContext ctx) {
    Cookie expected = ctx.request().getCookie(cookie);
    String given = Optional.ofNullable(ctx.request().getFormAttribute("_csrf")).orElse("");
    return expected != null && DeskConsole.sameToken(given, expected.getValue());
  }
}
