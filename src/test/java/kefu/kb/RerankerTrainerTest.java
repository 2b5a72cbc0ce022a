package kefu.kb;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RerankerTrainerTest {
  private static final int N = Features.NAMES.size();

  /** A query whose right candidate has a higher cosine than its distractors, by {@code margin}. */
  private static RerankerTrainer.Example example(double rightCosine, double margin) {
    List<double[]> features = new ArrayList<>();
    int seed = (int) Math.round(rightCosine * 1000);
    for (int i = 0; i < 4; i++) {
      double[] f = new double[N];
      f[0] = i == 0 ? rightCosine : rightCosine - margin - 0.01 * i;
      f[6] = ((seed * 31 + i * 17) % 10) / 10.0; // word_cover_query: noise that says nothing
      features.add(f);
    }
    return new RerankerTrainer.Example(features, 0);
  }

  private static List<RerankerTrainer.Example> set() {
    List<RerankerTrainer.Example> set = new ArrayList<>();
    for (int q = 0; q < 50; q++) {
      set.add(example(0.6 + q * 0.005, q % 5 == 0 ? -0.05 : 0.1));
    }
    return set;
  }

  @Test
  void learnsWhichFeatureMattersAndIsDeterministic() {
    Reranker first = RerankerTrainer.fit(List.of(set()), 0.9, 0.5);
    Reranker second = RerankerTrainer.fit(List.of(set()), 0.9, 0.5);

    assertThat(first.weight()).containsExactly(second.weight());
    assertThat(first.weight()[0]).isPositive();
    assertThat(Math.abs(first.weight()[0])).isGreaterThan(Math.abs(first.weight()[6]));
    assertThat(first.confidence(example(0.8, 0.1).features().get(0)))
        .isGreaterThan(first.confidence(example(0.8, 0.1).features().get(1)));
  }

  @Test
  void answerThresholdKeepsAnsweredQueriesPrecise() {
    Reranker model = RerankerTrainer.fit(List.of(set()), 0.9, 0.5);
    int answered = 0;
    int right = 0;
    for (RerankerTrainer.Example e : set()) {
      RerankerTrainer.Ranked r = RerankerTrainer.rank(model, e);
      if (r.best() >= model.answer()) {
        answered++;
        right += r.rankOfCorrect() == 1 ? 1 : 0;
      }
    }
    assertThat(answered).isPositive();
    assertThat((double) right / answered).isGreaterThanOrEqualTo(0.9);
    assertThat(model.suggest()).isLessThanOrEqualTo(model.answer());
  }

  @Test
  void aWrittenModelReadsBackTheSame(@TempDir Path dir) throws Exception {
    Reranker model = RerankerTrainer.fit(List.of(set()), 0.9, 0.5);
    Path file = dir.resolve("model.properties");
    model.write(file, "test model");
    Properties p = new Properties();
    try (var in = java.nio.file.Files.newBufferedReader(file)) {
      p.load(in);
    }
    Reranker read = Reranker.from(p);
    double[] f = example(0.7, 0.1).features().get(0);
    assertThat(read.confidence(f)).isCloseTo(model.confidence(f), org.assertj.core.data.Offset.offset(1e-6));
    assertThat(read.answer()).isCloseTo(model.answer(), org.assertj.core.data.Offset.offset(1e-4));
  }

  @Test
  void shippedModelsLoad() {
    assertThat(Reranker.shipped(true).weight()).hasSize(N);
    assertThat(Reranker.shipped(false).weight()).hasSize(N);
  }
}
