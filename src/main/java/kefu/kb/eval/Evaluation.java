package kefu.kb.eval;

import java.util.ArrayList;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.function.Consumer;
import java.util.function.Supplier;
import kefu.kb.SentenceEncoder;
import org.apache.lucene.analysis.cjk.CJKAnalyzer;
import org.apache.lucene.analysis.cn.smart.SmartChineseAnalyzer;

/**
 * Runs kefu and the three baselines on one benchmark set and measures each the same way: build time, then
 * every query once (after a warm-up pass), on one thread, timed one by one.
 */
public final class Evaluation {
  private static final int WARM_UP_QUERIES = 200;
  private static final double DEFAULT_PRECISION = 0.90;

  private Evaluation() {}

  /** Every system kb-eval knows, in the order it measures them. */
  public static final List<String> SYSTEMS = List.of("kefu", "kefu-words", "cjk-bm25", "smartcn-bm25", "bge-dense");

  /**
   * Measures the chosen {@code systems}, in the order of {@link #SYSTEMS}, handing each one's figures to
   * {@code report} as soon as they are known. Baselines' answered figures are taken at kefu's answered
   * precision (0.90 if kefu answered none or was not measured).
   *
   * @param vectorCache kefu's vector cache; empty for a fresh one, so that its build time includes encoding
   */
  public static void run(BenchmarkSet set, SentenceEncoder encoder, ExecutorService workers, Set<String> systems,
      Optional<Path> vectorCache, Consumer<Metrics> report) {
    double target = DEFAULT_PRECISION;
    if (systems.contains("kefu")) {
      Metrics kefu = measure(set, () -> new KefuSystem("kefu", set, encoder, workers, vectorCache), null);
      report.accept(kefu);
      if (kefu.answeredRate() > 0) {
        target = kefu.answeredPrecision();
      }
    }
    double baselineTarget = target;
    if (systems.contains("kefu-words")) {
      report.accept(measure(set, () -> new KefuSystem("kefu-words", set, null, workers, Optional.empty()), null));
    }
    if (systems.contains("cjk-bm25")) {
      report.accept(measure(set, () -> new LuceneBm25System("cjk-bm25", new CJKAnalyzer(), set), baselineTarget));
    }
    if (systems.contains("smartcn-bm25")) {
      report.accept(measure(set, () -> new LuceneBm25System("smartcn-bm25", new SmartChineseAnalyzer(), set), baselineTarget));
    }
    if (systems.contains("bge-dense")) {
      report.accept(measure(set, () -> new BgeDenseSystem(set, encoder, workers), baselineTarget));
    }
  }

  private static Metrics measure(BenchmarkSet set, Supplier<MatchingSystem> build, Double targetPrecision) {
    long started = System.nanoTime();
    try (MatchingSystem system = build.get()) {
      double buildSeconds = (System.nanoTime() - started) / 1e9;
      List<BenchmarkSet.Query> queries = set.queries();
      for (int i = 0; i < Math.min(WARM_UP_QUERIES, queries.size()); i++) {
        system.rank(queries.get(i).text());
      }
      List<Metrics.Outcome> outcomes = new ArrayList<>(queries.size());
      for (BenchmarkSet.Query query : queries) {
        long t = System.nanoTime();
        Ranking ranking = system.rank(query.text());
        double millis = (System.nanoTime() - t) / 1e6;
        int rank = ranking.entryIds().indexOf(query.expectedId()) + 1;
        outcomes.add(new Metrics.Outcome(rank, ranking.topScore(), ranking.answered(), millis));
      }
      return Metrics.of(system.name(), set.faq().size(), outcomes, buildSeconds, targetPrecision);
    }
  }
}
