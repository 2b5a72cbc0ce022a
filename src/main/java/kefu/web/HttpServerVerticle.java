package kefu.web;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import java.net.BindException;
import java.time.Duration;
import java.util.function.Function;

/**
 * Serves kefu's routes on one event loop; several instances share the port, one per core.
 *
 * <p>Stopping it is graceful: the server stops accepting connections and waits up to the shutdown timeout
 * for the requests in flight.
 */
public final class HttpServerVerticle extends VerticleBase {
  private final String host;
  private final int port;
  private final Duration shutdownTimeout;
  private final Function<Vertx, Router> routes;
  private HttpServer server;

  public HttpServerVerticle(String host, int port, Duration shutdownTimeout, Function<Vertx, Router> routes) {
    this.host = host;
    this.port = port;
    this.shutdownTimeout = shutdownTimeout;
    this.routes = routes;
  }

  @Override
  public Future<?> start() {
    server = vertx.createHttpServer(new HttpServerOptions().setHost(host).setPort(port).setCompressionSupported(true));
    return server.requestHandler(routes.apply(vertx)).listen().recover(e -> Future.failedFuture(
        e instanceof BindException ? new IllegalStateException(notBound((BindException) e), e) : e));
  }

  /** Why the port could not be bound, in one line that names it: Java's own message names neither host nor port. */
  private String notBound(BindException e) {
    String where = host + ":" + port;
    return "Address already in use".equals(e.getMessage())
        ? where + " is already in use (http.host, http.port)"
        : where + " cannot be listened on (http.host, http.port): " + e.getMessage();
  }

  @Override
  public Future<?> stop() {
    return server.shutdown(shutdownTimeout);
  }

  /** The port actually bound, which differs from the configured one when that was 0. */
  public int actualPort() {
    return server.actualPort();
  }
}
