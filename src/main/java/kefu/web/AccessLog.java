package kefu.web;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs one line per HTTP request: method, path, status, bytes and time, to the logger {@code kefu.access}.
 *
 * <p>Vert.x's LoggerHandler logs the full URI, and WeChat puts the customer's openid in the query string
 * of every webhook call; this one leaves the query out, so no customer data reaches the log.
 */
public final class AccessLog implements Handler<RoutingContext> {
  private static final Logger log = LoggerFactory.getLogger("kefu.access");

  @Override
  public void handle(RoutingContext ctx) {
    long started = System.nanoTime();
    HttpServerRequest request = ctx.request();
    ctx.addEndHandler(done -> {
      if (log.isInfoEnabled()) {
        log.info("{} {} {} {}B {}ms", request.method(), request.path(), ctx.response().getStatusCode(),
            ctx.response().bytesWritten(), (System.nanoTime() - started) / 1_000_000);
      }
    });
    ctx.next();
  }
}
