package kefu.kb;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Properties;

/**
 * A logistic regression over {@link Features} that turns a candidate into one confidence between 0 and 1,
 * with the two thresholds chosen with it: answer at or above {@code answer}, suggest at or above
 * {@code suggest}, else fall back.
 *
 * <p>Weights are fitted by {@code kb-train} on the public dev sets and shipped as a resource; features are
 * standardised with the means and deviations seen in training.
 */
public record Reranker(double[] mean, double[] scale, double[] weight, double bias, double answer, double suggest) {

  /** The model shipped for an engine with sentence vectors, or for the words-only one. */
  public static Reranker shipped(boolean vectors) {
    String name = vectors ? "reranker-vectors.properties" : "reranker-words.properties";
    try (InputStream in = Reranker.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("the reranker model " + name + " is missing; run kb-train");
      }
      Properties p = new Properties();
      p.load(in);
      return from(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A model with no weights: every candidate gets 0.5. For finding candidates while training. */
  public static Reranker untrained() {
    int n = Features.NAMES.size();
    double[] ones = new double[n];
    java.util.Arrays.fill(ones, 1);
    return new Reranker(new double[n], ones, new double[n], 0, 1, 1);
  }

  static Reranker from(Properties p) {
    int n = Features.NAMES.size();
    double[] mean = new double[n];
    double[] scale = new double[n];
    double[] weight = new double[n];
    for (int i = 0; i < n; i++) {
      String name = Features.NAMES.get(i);
      mean[i] = number(p, name + ".mean");
      scale[i] = number(p, name + ".scale");
      weight[i] = number(p, name + ".weight");
    }
    return new Reranker(mean, scale, weight, number(p, "bias"), number(p, "threshold.answer"), number(p, "threshold.suggest"));
  }

  private static double number(Properties p, String key) {
    String value = p.getProperty(key);
    if (value == null) {
      throw new IllegalStateException("reranker model lacks " + key + "; run kb-train");
    }
    return Double.parseDouble(value);
  }

  /** The same model with other thresholds. */
  public Reranker withThresholds(double answer, double suggest) {
    return new Reranker(mean, scale, weight, bias, answer, suggest);
  }

  /** The confidence that the candidate with these features is the right entry. */
  public double confidence(double[] features) {
    double z = bias;
    for (int i = 0; i < features.length; i++) {
      z += weight[i] * (features[i] - mean[i]) / scale[i];
    }
    return 1 / (1 + Math.exp(-z));
  }

  /** Writes the model as the properties file {@link #shipped} reads. */
  public void write(Path file, String comment) throws IOException {
    StringBuilder out = new StringBuilder("# ").append(comment.replace("\n", "\n# ")).append('\n');
    for (int i = 0; i < weight.length; i++) {
      String name = Features.NAMES.get(i);
      out.append(String.format(Locale.ROOT, "%s.mean=%.8g%n%s.scale=%.8g%n%s.weight=%.8g%n",
          name, mean[i], name, scale[i], name, weight[i]));
    }
    out.append(String.format(Locale.ROOT, "bias=%.8g%nthreshold.answer=%.4f%nthreshold.suggest=%.4f%n", bias, answer, suggest));
    Files.createDirectories(file.toAbsolutePath().getParent());
    try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      w.write(out.toString());
    }
  }
}
