package kefu.kb;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Fits the {@link Reranker}: a logistic regression, by Newton's method with a small L2 penalty, over the
 * features of every candidate of every training query, labelled by whether it is the expected entry; then
 * chooses the two thresholds on the same queries. Deterministic: the same data gives the same model.
 */
public final class RerankerTrainer {
  private static final double L2 = 1.0;
  private static final int ITERATIONS = 30;

  /** What one training query produced: its candidates' features and which candidate, if any, was right. */
  public record Example(List<double[]> features, int correct) {}

  private RerankerTrainer() {}

  /** Writes every candidate of every example as a TSV row: set number, query number, label, features. */
  public static void dump(List<List<Example>> sets, java.nio.file.Path file) throws java.io.IOException {
    try (java.io.Writer out = java.nio.file.Files.newBufferedWriter(file)) {
      out.write("set\tquery\tlabel\t" + String.join("\t", Features.NAMES) + "\n");
      for (int s = 0; s < sets.size(); s++) {
        for (int q = 0; q < sets.get(s).size(); q++) {
          Example e = sets.get(s).get(q);
          for (int i = 0; i < e.features().size(); i++) {
            StringBuilder row = new StringBuilder().append(s).append('\t').append(q).append('\t').append(i == e.correct() ? 1 : 0);
            for (double f : e.features().get(i)) {
              row.append('\t').append((float) f);
            }
            out.write(row.append('\n').toString());
          }
        }
      }
    }
  }

  /** The candidates {@code matcher} considers for {@code query}, labelled against {@code expectedId}. */
  public static Example example(FaqMatcher matcher, String query, String expectedId) {
    List<FaqMatcher.Considered> considered = matcher.consider(query);
    List<double[]> features = new ArrayList<>(considered.size());
    int correct = -1;
    for (FaqMatcher.Considered c : considered) {
      if (c.entryId().equals(expectedId)) {
        correct = features.size();
      }
      features.add(c.features());
    }
    return new Example(features, correct);
  }

  /**
   * Fits weights on all examples, then picks the answer threshold as the lowest at which the answered queries
   * of all sets together reach {@code answeredPrecision}, and the suggest threshold as the lowest at which the
   * right entry is among the top three for {@code suggestedPrecision} of the queries between the two thresholds.
   */
  public static Reranker fit(List<List<Example>> sets, double answeredPrecision, double suggestedPrecision) {
    List<double[]> rows = new ArrayList<>();
    List<Boolean> labels = new ArrayList<>();
    for (List<Example> set : sets) {
      for (Example e : set) {
        for (int i = 0; i < e.features().size(); i++) {
          rows.add(e.features().get(i));
          labels.add(i == e.correct());
        }
      }
    }
    int n = Features.NAMES.size();
    double[] mean = new double[n];
    double[] scale = new double[n];
    standardisation(rows, mean, scale);
    double[] w = newton(rows, labels, mean, scale);
    Reranker unthresholded = new Reranker(mean, scale, Arrays.copyOf(w, n), w[n], 1, 1);
    // One shipped threshold serves every knowledge base, so it is chosen on all the examples together.
    List<Example> all = sets.stream().flatMap(List::stream).toList();
    double answer = answerThreshold(unthresholded, all, answeredPrecision);
    double suggest = suggestThreshold(unthresholded, all, answer, suggestedPrecision);
    return unthresholded.withThresholds(answer, suggest);
  }

  /**
   * A logistic regression fitted as the reranker's is (standardised inputs, Newton's method, small L2 penalty):
   * the inputs' means, their scales, and the weights with the bias last.
   */
  static double[][] logistic(List<double[]> rows, List<Boolean> labels) {
    int n = rows.isEmpty() ? 0 : rows.get(0).length;
    double[] mean = new double[n];
    double[] scale = new double[n];
    standardisation(rows, mean, scale);
    return new double[][] {mean, scale, newton(rows, labels, mean, scale)};
  }

  private static void standardisation(List<double[]> rows, double[] mean, double[] scale) {
    int n = mean.length;
    for (double[] r : rows) {
      for (int j = 0; j < n; j++) {
        mean[j] += r[j];
      }
    }
    for (int j = 0; j < n; j++) {
      mean[j] /= rows.size();
    }
    for (double[] r : rows) {
      for (int j = 0; j < n; j++) {
        scale[j] += (r[j] - mean[j]) * (r[j] - mean[j]);
      }
    }
    for (int j = 0; j < n; j++) {
      scale[j] = Math.sqrt(scale[j] / rows.size());
      if (scale[j] < 1e-9) {
        // A feature that never varies (the cosines of a words-only engine) gets no weight.
        scale[j] = 1;
      }
    }
  }

  private static double[] newton(List<double[]> rows, List<Boolean> labels, double[] mean, double[] scale) {
    int n = mean.length + 1;
    double[] w = new double[n];
    double[] x = new double[n];
    for (int iteration = 0; iteration < ITERATIONS; iteration++) {
      double[] gradient = new double[n];
      double[][] hessian = new double[n][n];
      for (int r = 0; r < rows.size(); r++) {
        double[] row = rows.get(r);
        for (int j = 0; j < n - 1; j++) {
          x[j] = (row[j] - mean[j]) / scale[j];
        }
        x[n - 1] = 1;
        double z = 0;
        for (int j = 0; j < n; j++) {
          z += w[j] * x[j];
        }
        double p = 1 / (1 + Math.exp(-z));
        double error = p - (labels.get(r) ? 1 : 0);
        double curvature = Math.max(p * (1 - p), 1e-12);
        for (int j = 0; j < n; j++) {
          gradient[j] += error * x[j];
          for (int k = 0; k <= j; k++) {
            hessian[j][k] += curvature * x[j] * x[k];
          }
        }
      }
      for (int j = 0; j < n; j++) {
        for (int k = 0; k < j; k++) {
          hessian[k][j] = hessian[j][k];
        }
        if (j < n - 1) {
          // The bias is not penalised.
          gradient[j] += L2 * w[j];
          hessian[j][j] += L2;
        }
      }
      double[] step = solve(hessian, gradient);
      double largest = 0;
      for (int j = 0; j < n; j++) {
        w[j] -= step[j];
        largest = Math.max(largest, Math.abs(step[j]));
      }
      if (largest < 1e-8) {
        break;
      }
    }
    return w;
  }

  /** Solves {@code a·x = b} by Gaussian elimination with partial pivoting; a is small and positive definite. */
  private static double[] solve(double[][] a, double[] b) {
    int n = b.length;
    double[][] m = new double[n][];
    for (int i = 0; i < n; i++) {
      m[i] = Arrays.copyOf(a[i], n + 1);
      m[i][n] = b[i];
    }
    for (int col = 0; col < n; col++) {
      int pivot = col;
      for (int r = col + 1; r < n; r++) {
        if (Math.abs(m[r][col]) > Math.abs(m[pivot][col])) {
          pivot = r;
        }
      }
      double[] swap = m[col];
      m[col] = m[pivot];
      m[pivot] = swap;
      for (int r = col + 1; r < n; r++) {
        double f = m[r][col] / m[col][col];
        for (int c = col; c <= n; c++) {
          m[r][c] -= f * m[col][c];
        }
      }
    }
    double[] x = new double[n];
    for (int r = n - 1; r >= 0; r--) {
      double sum = m[r][n];
      for (int c = r + 1; c < n; c++) {
        sum -= m[r][c] * x[c];
      }
      x[r] = sum / m[r][r];
    }
    return x;
  }

  /** One query as the trained model ranks it: its best confidence and where the right entry landed (0: absent). */
  record Ranked(double best, int rankOfCorrect) {}

  static Ranked rank(Reranker model, Example e) {
    double[] confidence = e.features().stream().mapToDouble(model::confidence).toArray();
    double best = Arrays.stream(confidence).max().orElse(0);
    if (e.correct() < 0) {
      return new Ranked(best, 0);
    }
    int rank = 1;
    for (int i = 0; i < confidence.length; i++) {
      if (i != e.correct() && confidence[i] > confidence[e.correct()]) {
        rank++;
      }
    }
    return new Ranked(best, rank);
  }

  /** The lowest threshold at which the most confident queries of {@code set} are still right often enough; 1 if none. */
  static double answerThreshold(Reranker model, List<Example> set, double precision) {
    List<Ranked> ranked = new ArrayList<>(set.stream().map(e -> rank(model, e)).toList());
    ranked.sort(Comparator.comparingDouble(Ranked::best).reversed());
    double threshold = 1;
    int right = 0;
    for (int i = 0; i < ranked.size(); i++) {
      if (ranked.get(i).rankOfCorrect() == 1) {
        right++;
      }
      if ((double) right / (i + 1) >= precision) {
        threshold = ranked.get(i).best();
      }
    }
    return threshold;
  }

  /** How the model does on {@code set}: recall@1 and the share answered at {@code answer}, with its precision. */
  public static String summary(Reranker model, List<Example> set) {
    int right = 0;
    int answered = 0;
    int answeredRight = 0;
    for (Example e : set) {
      Ranked r = rank(model, e);
      right += r.rankOfCorrect() == 1 ? 1 : 0;
      if (r.best() >= model.answer()) {
        answered++;
        answeredRight += r.rankOfCorrect() == 1 ? 1 : 0;
      }
    }
    return String.format(java.util.Locale.ROOT, "recall@1=%.3f answered_rate=%.3f answered_precision=%.3f own_threshold=%.4f",
        (double) right / set.size(), (double) answered / set.size(), answered == 0 ? 0 : (double) answeredRight / answered,
        answerThreshold(model, set, 0.90));
  }

  private static double suggestThreshold(Reranker model, List<Example> set, double answer, double precision) {
    List<Ranked> below = new ArrayList<>(set.stream().map(e -> rank(model, e)).filter(r -> r.best() < answer).toList());
    below.sort(Comparator.comparingDouble(Ranked::best).reversed());
    double threshold = answer;
    int inTopThree = 0;
    for (int i = 0; i < below.size(); i++) {
      int rank = below.get(i).rankOfCorrect();
      if (rank >= 1 && rank <= 3) {
        inTopThree++;
      }
      if ((double) inTopThree / (i + 1) >= precision) {
        threshold = below.get(i).best();
      }
    }
    return threshold;
  }
}
