package kefu.kb.eval;

import java.util.ArrayList;
import java.util.List;
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

  /**
   * Measures every system, kefu first, handing each one's figures to {@code report} as soon as they are known;
   * baselines' answered figures are taken at kefu's answered precision (0.90 if kefu answered none).
   */
  public static void run(BenchmarkSet set, SentenceEncoder encoder, ExecutorService workers, Consumer<Metrics> report) {
    Metrics kefu = measure(set, () -> new KefuSystem("kefu", set, encoder, workers), null);
    report.accept(kefu);
    report.accept(measure(set, () -> new KefuSystem("kefu-words", set, null, workers), null));
    // When kefu answers nothing outright there is no precision to match; judge the baselines at 0.90.
    double target = kefu.answeredRate() > 0 ? kefu.answeredPrecision() : DEFAULT_PRECISION;
    report.accept(measure(set, () -> new LuceneBm25System("cjk-bm25", new CJKAnalyzer(), set), target));
    report.accept(measure(set, () -> new LuceneBm25System("smartcn-bm25", new SmartChineseAnalyzer(), set), target));
    report.accept(measure(set, () -> new BgeDenseSystem(set, encoder, workers), target));
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
