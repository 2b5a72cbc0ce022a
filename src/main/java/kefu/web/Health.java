package kefu.web;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Answers {@code GET /health}: each part of kefu, up or down with its details; 503 (DOWN) when a part the node
 * cannot work without is down, 200 with DEGRADED when only a part it can work without is.
 *
 * <p>Written here rather than with vertx-health-check because that module is not published for the Vert.x
 * release we use; what we need is a list of probes and one JSON answer.
 */
public final class Health {
  private static final long PROBE_TIMEOUT_SECONDS = 3;

  private record Probe(String name, boolean required, Supplier<Future<JsonObject>> check) {}

  private final List<Probe> probes = new ArrayList<>();

  /**
   * Adds a part to the report. {@code check} succeeds with details (may be empty) when the part is up and
   * fails with the reason when it is down; it must not block the event loop.
   */
  public Health add(String name, boolean required, Supplier<Future<JsonObject>> check) {
    probes.add(new Probe(name, required, check));
    return this;
  }

  /** Runs every probe and answers with the report. */
  public void handle(RoutingContext ctx) {
    List<Future<JsonObject>> results = probes.stream().map(Health::run).toList();
    Future.join(results).onComplete(done -> {
      JsonObject checks = new JsonObject();
      boolean up = true;
      boolean whole = true;
      for (int i = 0; i < probes.size(); i++) {
        Probe probe = probes.get(i);
        Future<JsonObject> result = results.get(i);
        JsonObject check = new JsonObject().put("required", probe.required());
        if (result.succeeded()) {
          check.put("status", "UP").mergeIn(result.result());
        } else {
          check.put("status", "DOWN").put("error", String.valueOf(result.cause().getMessage()));
          up &= !probe.required();
          whole = false;
        }
        checks.put(probe.name(), check);
      }
      ctx.response()
          .setStatusCode(up ? 200 : 503)
          .putHeader("Content-Type", "application/json; charset=utf-8")
          .putHeader("Cache-Control", "no-store")
          .end(new JsonObject().put("status", !up ? "DOWN" : whole ? "UP" : "DEGRADED").put("checks", checks).encodePrettily());
    });
  }

  private static Future<JsonObject> run(Probe probe) {
    try {
      return probe.check().get().map(d -> d == null ? new JsonObject() : d)
          .timeout(PROBE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }
}
