package kefu.web;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.micrometer.PrometheusScrapingHandler;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** kefu's HTTP routes: the operational ones here, each feature's own added by the feature. */
public final class Routes {
  private static final Logger log = LoggerFactory.getLogger(Routes.class);

  private final long bodyLimitBytes;
  private final Health health;
  private final PrometheusMeterRegistry registry;
  private final List<Consumer<Router>> features;

  /** @param features each adds one feature's routes */
  public Routes(long bodyLimitBytes, Health health, PrometheusMeterRegistry registry, List<Consumer<Router>> features) {
    this.bodyLimitBytes = bodyLimitBytes;
    this.health = health;
    this.registry = registry;
    this.features = List.copyOf(features);
  }

  /** A router for one server instance. */
  public Router router(Vertx vertx) {
    Router router = Router.router(vertx);
    router.route().handler(new AccessLog());
    // On every response, the webhook's and the errors' too: no guessing a type other than the one given (an echoed
    // text served as a page), and no address of kefu's passed on to another site.
    router.route().handler(ctx -> {
      ctx.response().putHeader("X-Content-Type-Options", "nosniff").putHeader("Referrer-Policy", "no-referrer");
      ctx.next();
    });
    // Uploads are off: nothing kefu serves takes files, and the handler would otherwise write them to disk.
    BodyHandler body = BodyHandler.create(false).setBodyLimit(bodyLimitBytes);
    // Vert.x 5's BodyHandler reads a WebSocket handshake to its end, after which it can no longer be upgraded.
    router.route().handler(ctx -> {
      if (ctx.request().canUpgradeToWebSocket()) {
        ctx.next();
      } else {
        body.handle(ctx);
      }
    });
    router.get("/health").handler(health::handle);
    router.get("/metrics").handler(PrometheusScrapingHandler.create(registry));
    features.forEach(feature -> feature.accept(router));
    router.route().failureHandler(Routes::failure);
    // Requests no route takes get the same JSON errors as the rest, not Vert.x's HTML page.
    router.errorHandler(404, Routes::failure);
    router.errorHandler(405, Routes::failure);
    return router;
  }

  private static void failure(RoutingContext ctx) {
    int status = ctx.statusCode() < 400 ? 500 : ctx.statusCode();
    if (status >= 500) {
      log.error("{} {} failed", ctx.request().method(), ctx.request().path(), ctx.failure());
    }
    if (!ctx.response().ended()) {
      ctx.response().setStatusCode(status)
          .putHeader("Content-Type", "application/json; charset=utf-8")
          .end(new JsonObject().put("status", status).put("error", reason(status)).encode());
    }
  }

  private static String reason(int status) {
    return switch (status) {
      case 400 -> "bad request";
      case 403 -> "forbidden";
      case 404 -> "not found";
      case 405 -> "method not allowed";
      case 413 -> "request body too large";
      default -> status >= 500 ? "internal error" : "request refused";
    };
  }
}
