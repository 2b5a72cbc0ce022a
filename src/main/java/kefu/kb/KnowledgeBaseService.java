package kefu.kb;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import kefu.config.KefuConfig;

/**
 * The knowledge base as a part of a running node: the engine with its model and vector cache, started with the
 * node, reported on /health and closed with it.
 */
public final class KnowledgeBaseService implements AutoCloseable {
  private final FaqEngine engine;
  private final SentenceEncoder encoder;
  private final VectorCache cache;

  private KnowledgeBaseService(FaqEngine engine, SentenceEncoder encoder, VectorCache cache) {
    this.engine = engine;
    this.encoder = encoder;
    this.cache = cache;
  }

  /**
   * Loads the model (with vectors on), opens the index the last run left, so that the bot answers at once, and starts
   * building the new one in the background.
   *
   * @param clock in the business's zone: an entry's valid_until is a day there
   */
  public static KnowledgeBaseService start(KefuConfig config, Clock clock) {
    return start(config, List::of, clock);
  }

  /**
   * As {@link #start(KefuConfig, Clock)}, applying the console's edits on top of the files at each build.
   *
   * @param edits read afresh at each build; see {@link FaqEngine}
   */
  public static KnowledgeBaseService start(KefuConfig config, Supplier<List<KbEdit>> edits, Clock clock) {
    KefuConfig.Kb kb = config.kb();
    SentenceEncoder encoder = kb.vectors() ? new SentenceEncoder() : null;
    VectorCache cache = kb.vectors()
        ? new VectorCache(config.paths().dataDir().resolve("kb-vectors.bin"), SentenceEncoder.DIMENSION) : null;
    FaqEngine engine = new FaqEngine(config.paths().kbDir(), config.paths().dataDir().resolve("kb-index"), encoder, cache, vectors ->
        MatchModel.shipped(vectors).configured(kb.answerThreshold(), kb.answerLead(), kb.suggestThreshold()), edits, clock);
    engine.start();
    return new KnowledgeBaseService(engine, encoder, cache);
  }

  public FaqEngine engine() {
    return engine;
  }

  /** The model the engine matches by; empty with {@code kb.vectors: off}. */
  public Optional<SentenceEncoder> encoder() {
    return Optional.ofNullable(encoder);
  }

  /** Up with the index's figures once one serves (with the last load error, if any); down before that. */
  public Future<JsonObject> health() {
    JsonObject health = engine.health();
    if (engine.snapshot().isEmpty()) {
      String why = health.containsKey("error") ? health.getString("error")
          : health.containsKey("building") ? "building the index: " + health.getJsonObject("building").encode()
          : "no index yet";
      return Future.failedFuture(why);
    }
    return Future.succeededFuture(health);
  }

  @Override
  public void close() {
    engine.close();
    if (cache != null) {
      cache.close();
    }
    if (encoder != null) {
      encoder.close();
    }
  }
}
