package kefu.kb;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import kefu.kb.analysis.TextNormalizer;

/**
 * Groups questions by meaning, with the sentence vectors the FAQ engine matches by: greedily, each question joining
 * the group whose centre it is closest to if that is at least {@link #SAME_MEANING}, else starting a group of its own.
 * Encoding blocks: call it on a worker thread.
 */
public final class QuestionClusters {
  /**
   * The cosine from which two questions count as asking the same. BGE puts customers' paraphrases of one question at
   * 0.75–0.9 and different questions of one business at 0.3–0.6, near misses (婚纱照多少钱, 儿童照多少钱) to 0.7;
   * wordings that differ in one telling word (几点开门, 几点关门) it puts together, so a group's wordings are shown.
   */
  public static final double SAME_MEANING = 0.75;
  /** The most vectors remembered: questions come back page after page, and encoding one takes milliseconds. */
  private static final int REMEMBERED = 20_000;
  /** Dimensions of the character-pair vectors used without the model. */
  private static final int PAIR_DIMENSIONS = 1024;

  private final Optional<SentenceEncoder> encoder;
  private final Map<String, float[]> vectors = new ConcurrentHashMap<>();

  /** @param encoder the FAQ engine's model; without it ({@code kb.vectors: off}) questions are compared by their characters */
  public QuestionClusters(Optional<SentenceEncoder> encoder) {
    this.encoder = encoder;
  }

  /**
   * The groups of {@code questions}, as lists of their positions: in the order each group's first question comes, and
   * within a group in the order given.
   */
  public List<List<Integer>> group(List<String> questions) {
    List<float[]> centres = new ArrayList<>();
    List<List<Integer>> groups = new ArrayList<>();
    for (int i = 0; i < questions.size(); i++) {
      float[] v = vector(questions.get(i));
      int best = -1;
      double bestCosine = SAME_MEANING;
      for (int g = 0; g < centres.size(); g++) {
        double cosine = cosine(v, centres.get(g));
        if (cosine >= bestCosine) {
          best = g;
          bestCosine = cosine;
        }
      }
      if (best < 0) {
        centres.add(v.clone());
        groups.add(new ArrayList<>(List.of(i)));
      } else {
        float[] centre = centres.get(best);
        for (int d = 0; d < centre.length; d++) {
          centre[d] += v[d];
        }
        groups.get(best).add(i);
      }
    }
    return groups;
  }

  private float[] vector(String question) {
    String normalized = TextNormalizer.normalize(question);
    float[] known = vectors.get(normalized);
    if (known != null) {
      return known;
    }
    float[] v = encoder.isPresent() ? encoder.get().encode(normalized) : characterPairs(normalized);
    if (vectors.size() >= REMEMBERED) {
      vectors.clear();
    }
    vectors.put(normalized, v);
    return v;
  }

  /** Without the model: the text's characters and character pairs, hashed into a fixed number of dimensions. */
  private static float[] characterPairs(String text) {
    float[] v = new float[PAIR_DIMENSIONS];
    int[] points = text.codePoints().toArray();
    for (int i = 0; i < points.length; i++) {
      v[Math.floorMod(points[i], PAIR_DIMENSIONS)] += 1;
      if (i + 1 < points.length) {
        v[Math.floorMod(new String(points, i, 2).hashCode(), PAIR_DIMENSIONS)] += 1;
      }
    }
    return v;
  }

  static double cosine(float[] a, float[] b) {
    double dot = 0;
    double na = 0;
    double nb = 0;
    for (int i = 0; i < a.length; i++) {
      dot += a[i] * b[i];
      na += a[i] * a[i];
      nb += b[i] * b[i];
    }
    return na == 0 || nb == 0 ? 0 : dot / Math.sqrt(na * nb);
  }
}
