package kefu.web;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * Lets a request through to an API route only with {@code Authorization: Bearer} and the configured key; without a
 * key configured the API answers nobody.
 */
public final class ApiKey implements Handler<RoutingContext> {
  private static final String BEARER = "Bearer ";

  private final Optional<byte[]> key;

  public ApiKey(Optional<String> key) {
    this.key = key.map(k -> k.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public void handle(RoutingContext ctx) {
    String given = Optional.ofNullable(ctx.request().getHeader("Authorization")).orElse("");
    // Compared in constant time, so that the answer's timing tells nothing of the key.
    if (key.isPresent() && given.startsWith(BEARER)
        && MessageDigest.isEqual(given.substring(BEARER.length()).trim().getBytes(StandardCharsets.UTF_8), key.get())) {
      ctx.next();
      return;
    }
    ctx.response().putHeader("WWW-Authenticate", "Bearer");
    ctx.fail(401);
  }
}
