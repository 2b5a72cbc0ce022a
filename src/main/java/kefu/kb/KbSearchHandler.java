package kefu.kb;

import io.vertx.core.Handler;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Optional;

/**
 * Answers {@code GET /api/kb/search?q=…}: what the engine makes of a question — the outcome, and the best
 * candidates with their confidence, retriever signals and reranker features — for tuning and for the agents'
 * answer assist. Whoever mounts it decides who may ask: the knowledge base and the features are not for everyone.
 */
public final class KbSearchHandler implements Handler<RoutingContext> {
  private static final int MAX_QUERY_CHARS = 500;
  private static final int CANDIDATES_SHOWN = 10;

  private final FaqEngine engine;
  private final WorkerExecutor workers;

  public KbSearchHandler(FaqEngine engine, WorkerExecutor workers) {
    this.engine = engine;
    this.workers = workers;
  }

  @Override
  public void handle(RoutingContext ctx) {
    String q = ctx.queryParams().get("q");
    if (q == null || q.isBlank()) {
      error(ctx, 400, "give the question as q");
      return;
    }
    if (q.length() > MAX_QUERY_CHARS) {
      error(ctx, 400, "q is longer than " + MAX_QUERY_CHARS + " characters");
      return;
    }
    Optional<FaqEngine.Snapshot> snapshot = engine.snapshot();
    if (snapshot.isEmpty()) {
      error(ctx, 503, "the knowledge base is not ready yet");
      return;
    }
    workers.executeBlocking(() -> engine.search(q), false)
        .onSuccess(match -> ctx.json(json(q, match, snapshot.get())))
        .onFailure(ctx::fail);
  }

  private static JsonObject json(String q, Match match, FaqEngine.Snapshot snapshot) {
    JsonArray candidates = new JsonArray();
    List<Candidate> shown = match.candidates().subList(0, Math.min(CANDIDATES_SHOWN, match.candidates().size()));
    for (Candidate c : shown) {
      JsonObject features = new JsonObject();
      for (int i = 0; i < c.features().length; i++) {
        features.put(Candidate.featureNames().get(i), c.features()[i]);
      }
      Entry entry = snapshot.entries().get(c.entryId());
      candidates.add(new JsonObject()
          .put("entryId", c.entryId())
          .put("question", entry == null ? null : entry.question())
          .put("confidence", c.confidence())
          .put("signals", new JsonObject()
              .put("bm25Words", c.signals().bm25Words()).put("rankWords", c.signals().rankWords())
              .put("bm25Chars", c.signals().bm25Chars()).put("rankChars", c.signals().rankChars())
              .put("cosine", Double.isNaN(c.signals().cosine()) ? null : c.signals().cosine())
              .put("rankVector", c.signals().rankVector()))
          .put("features", features));
    }
    return new JsonObject().put("query", q).put("outcome", match.outcome().name().toLowerCase()).put("candidates", candidates);
  }

  private static void error(RoutingContext ctx, int status, String message) {
    ctx.response().setStatusCode(status);
    ctx.json(new JsonObject().put("status", status).put("error", message));
  }
}
