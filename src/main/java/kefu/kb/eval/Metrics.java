package kefu.kb.eval;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/** The figures of one system on one set, in the one-line form kb-eval prints. */
public record Metrics(String system, int entries, int queries, double recallAt1, double recallAt3, double mrrAt10,
    double answeredPrecision, double answeredRate, double p50Millis, double p99Millis, double buildSeconds) {

  /** One query's result: where the expected entry ranked (0: not in the list), the top score, and the time. */
  public record Outcome(int rank, double topScore, boolean answered, double millis) {}

  /**
   * Computes the figures. When {@code targetPrecision} is given, the answered figures come from the score
   * threshold at which this system reaches that precision (so the rates of systems compare); otherwise from
   * the system's own decisions.
   */
  public static Metrics of(String system, int entries, List<Outcome> outcomes, double buildSeconds,
      Double targetPrecision) {
    int n = outcomes.size();
    double r1 = 0;
    double r3 = 0;
    double mrr = 0;
    for (Outcome o : outcomes) {
      r1 += o.rank() == 1 ? 1 : 0;
      r3 += o.rank() >= 1 && o.rank() <= 3 ? 1 : 0;
      mrr += o.rank() >= 1 && o.rank() <= 10 ? 1.0 / o.rank() : 0;
    }
    double[] answered = targetPrecision == null ? ownDecisions(outcomes) : atPrecision(outcomes, targetPrecision);
    double[] millis = outcomes.stream().mapToDouble(Outcome::millis).sorted().toArray();
    return new Metrics(system, entries, n, r1 / n, r3 / n, mrr / n, answered[0], answered[1],
        percentile(millis, 0.50), percentile(millis, 0.99), buildSeconds);
  }

  private static double[] ownDecisions(List<Outcome> outcomes) {
    int answered = 0;
    int right = 0;
    for (Outcome o : outcomes) {
      if (o.answered()) {
        answered++;
        right += o.rank() == 1 ? 1 : 0;
      }
    }
    return new double[] {answered == 0 ? 0 : (double) right / answered, (double) answered / outcomes.size()};
  }

  /** The largest set of most-confident queries whose precision is at least {@code target}. */
  private static double[] atPrecision(List<Outcome> outcomes, double target) {
    List<Outcome> sorted = new ArrayList<>(outcomes);
    sorted.sort(Comparator.comparingDouble(Outcome::topScore).reversed());
    int right = 0;
    int best = 0;
    double bestPrecision = 0;
    for (int i = 0; i < sorted.size(); i++) {
      right += sorted.get(i).rank() == 1 ? 1 : 0;
      double precision = (double) right / (i + 1);
      if (precision >= target) {
        best = i + 1;
        bestPrecision = precision;
      }
    }
    return new double[] {bestPrecision, (double) best / outcomes.size()};
  }

  private static double percentile(double[] sorted, double p) {
    if (sorted.length == 0) {
      return 0;
    }
    int index = (int) Math.ceil(p * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
  }

  /** The line kb-eval prints. */
  public String line() {
    return String.format(Locale.ROOT,
        "system=%s entries=%d queries=%d recall@1=%.3f recall@3=%.3f mrr@10=%.3f answered_precision=%.3f"
            + " answered_rate=%.3f p50_ms=%.2f p99_ms=%.2f build_s=%.1f",
        system, entries, queries, recallAt1, recallAt3, mrrAt10, answeredPrecision, answeredRate, p50Millis,
        p99Millis, buildSeconds);
  }
}
