package kefu.web;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Lets a request through to an API route only with {@code Authorization: Bearer} and a configured key; without a
 * key configured the API answers nobody. Where each integration has its own key, the name of the one that called is
 * {@link #caller(RoutingContext)}.
 */
public final class ApiKey implements Handler<RoutingContext> {
  private static final String BEARER = "Bearer ";
  private static final String CALLER = "kefu.api.caller";

  private final Map<String, byte[]> keys = new LinkedHashMap<>();

  /** The one key of {@code http.api-key}. */
  public ApiKey(Optional<String> key) {
    this(key.map(k -> Map.of("api", k)).orElse(Map.of()));
  }

  /** @param keys each caller's key, by the caller's name */
  public ApiKey(Map<String, String> keys) {
    keys.forEach((name, key) -> this.keys.put(name, key.getBytes(StandardCharsets.UTF_8)));
  }

  @Override
  public void handle(RoutingContext ctx) {
    String given = Optional.ofNullable(ctx.request().getHeader("Authorization")).orElse("");
    if (given.startsWith(BEARER)) {
      byte[] presented = given.substring(BEARER.length()).trim().getBytes(StandardCharsets.UTF_8);
      String caller = null;
      // Compared in constant time, and with every key, so that the answer's timing tells nothing of the keys.
      for (Map.Entry<String, byte[]> key : keys.entrySet()) {
        if (MessageDigest.isEqual(presented, key.getValue()) && caller == null) {
          caller = key.getKey();
        }
      }
      if (caller != null) {
        ctx.put(CALLER, caller);
        ctx.next();
        return;
      }
    }
    ctx.response().putHeader("WWW-Authenticate", "Bearer");
    ctx.fail(401);
  }

  /** The name of the caller whose key let the request through. */
  public static String caller(RoutingContext ctx) {
    return ctx.get(CALLER);
  }
}
