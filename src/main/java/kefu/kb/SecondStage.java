package kefu.kb;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Properties;

/**
 * The confidence the answer rule sees, fitted on a business's own questions: a small logistic regression over the
 * reranker's confidence, where it ranked the candidate and how far ahead it is, how near the query is to the
 * candidate's questions and to its answer, and how much of the query neither holds — each also against the best of the
 * other candidates.
 *
 * <p>The reranker learnt from the public sets, whose confidences run low on a business's customers (right answers at
 * 0.2–0.5); this stage learns from {@code kb-thresholds --questions} what they mean there, and reorders the candidates
 * by its own confidence. What the entry leaves unexplained tells a near miss (有停车位吗 against the address entry,
 * whose words it shares) from a right answer, which the reranker's confidence and lead alone rate alike. Shipped
 * fitted on {@code bench/sample-kb}; a set without answers (the public ones) leaves the answer inputs at 0.
 */
public record SecondStage(double[] mean, double[] scale, double[] weight, double bias) {
  public static final List<String> NAMES = List.of("logit", "rank", "lead", "cosine", "cosine_gap", "answer_cosine",
      "answer_cosine_gap", "answer_cover", "answer_cover_gap", "word_cover_query", "uncovered", "uncovered_rarest",
      "uncovered_gap");
  private static final int WORD_COVER_QUERY = Features.NAMES.indexOf("word_cover_query");
  /** Logits beyond this say nothing more, and keep a confidence of 0 or 1 finite. */
  private static final double MAX_LOGIT = 10;

  /** The stage shipped for an engine with sentence vectors, or for the words-only one. */
  public static SecondStage shipped(boolean vectors) {
    String name = vectors ? "stage-vectors.properties" : "stage-words.properties";
    try (InputStream in = SecondStage.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("the second stage " + name + " is missing; run kb-thresholds --questions --write");
      }
      Properties p = new Properties();
      p.load(in);
      int n = NAMES.size();
      double[] mean = new double[n];
      double[] scale = new double[n];
      double[] weight = new double[n];
      for (int i = 0; i < n; i++) {
        mean[i] = number(p, NAMES.get(i) + ".mean");
        scale[i] = number(p, NAMES.get(i) + ".scale");
        weight[i] = number(p, NAMES.get(i) + ".weight");
      }
      return new SecondStage(mean, scale, weight, number(p, "bias"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static double number(Properties p, String key) {
    String value = p.getProperty(key);
    if (value == null) {
      throw new IllegalStateException("second stage lacks " + key + "; run kb-thresholds --questions --write");
    }
    return Double.parseDouble(value);
  }

  /** The stage that passes the reranker's confidence through unchanged: for training the reranker, and fitting this. */
  public static SecondStage none() {
    int n = NAMES.size();
    double[] ones = new double[n];
    Arrays.fill(ones, 1);
    double[] weight = new double[n];
    weight[0] = 1;
    return new SecondStage(new double[n], ones, weight, 0);
  }

  /** Fits the stage on candidates' inputs, each labelled whether it is the right entry. Deterministic. */
  public static SecondStage fit(List<double[]> inputs, List<Boolean> right) {
    double[][] fitted = RerankerTrainer.logistic(inputs, right);
    int n = NAMES.size();
    return new SecondStage(fitted[0], fitted[1], Arrays.copyOf(fitted[2], n), fitted[2][n]);
  }

  /**
   * The stage's inputs for each of one query's candidates, given in the reranker's order (best first) with its
   * confidences, retriever signals and reranker features.
   */
  static List<double[]> inputs(List<Double> confidences, List<Signals> signals, List<double[]> features) {
    int n = confidences.size();
    double bestCosine = Double.NEGATIVE_INFINITY;
    double bestAnswerCosine = Double.NEGATIVE_INFINITY;
    double bestCover = 0;
    double leastUncovered = 1;
    for (Signals s : signals) {
      bestCosine = Math.max(bestCosine, zeroIfNaN(s.cosine()));
      bestAnswerCosine = Math.max(bestAnswerCosine, zeroIfNaN(s.answerCosine()));
      bestCover = Math.max(bestCover, s.answerCover());
      leastUncovered = Math.min(leastUncovered, s.uncovered());
    }
    List<double[]> inputs = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      double confidence = confidences.get(i);
      double other = i == 0 ? (n > 1 ? confidences.get(1) : 0) : confidences.get(0);
      Signals s = signals.get(i);
      double cosine = zeroIfNaN(s.cosine());
      double answerCosine = zeroIfNaN(s.answerCosine());
      inputs.add(new double[] {
        logit(confidence),
        1.0 / (i + 1),
        confidence - other,
        cosine,
        cosine - bestCosine,
        answerCosine,
        answerCosine - bestAnswerCosine,
        s.answerCover(),
        s.answerCover() - bestCover,
        features.get(i)[WORD_COVER_QUERY],
        s.uncovered(),
        s.uncoveredRarest(),
        s.uncovered() - leastUncovered,
      });
    }
    return inputs;
  }

  private static double zeroIfNaN(double value) {
    return Double.isNaN(value) ? 0 : value;
  }

  private static double logit(double p) {
    double z = Math.log(p / (1 - p));
    return Double.isNaN(z) ? 0 : Math.max(-MAX_LOGIT, Math.min(MAX_LOGIT, z));
  }

  /** The confidence that the candidate with these inputs is the right entry. */
  public double confidence(double[] inputs) {
    double z = bias;
    for (int i = 0; i < inputs.length; i++) {
      z += weight[i] * (inputs[i] - mean[i]) / scale[i];
    }
    return 1 / (1 + Math.exp(-z));
  }

  /** Writes the stage as the properties file {@link #shipped} reads. */
  public void write(Path file, String comment) throws IOException {
    StringBuilder out = new StringBuilder("# ").append(comment.replace("\n", "\n# ")).append('\n');
    for (int i = 0; i < weight.length; i++) {
      String name = NAMES.get(i);
      out.append(String.format(Locale.ROOT, "%s.mean=%.8g%n%s.scale=%.8g%n%s.weight=%.8g%n",
          name, mean[i], name, scale[i], name, weight[i]));
    }
    out.append(String.format(Locale.ROOT, "bias=%.8g%n", bias));
    Files.createDirectories(file.toAbsolutePath().getParent());
    try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      w.write(out.toString());
    }
  }
}
