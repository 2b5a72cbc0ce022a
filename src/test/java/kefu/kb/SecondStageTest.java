package kefu.kb;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The second stage: fitted on a toy set, it learns which input tells the right candidate; unfitted, it changes nothing. */
class SecondStageTest {
  private static final int ANSWER_GAP = SecondStage.NAMES.indexOf("answer_cosine_gap");
  private static final int LOGIT = SecondStage.NAMES.indexOf("logit");

  @Test
  void passesTheRerankersConfidenceThroughUntilFitted() {
    SecondStage none = SecondStage.none();
    for (double confidence : new double[] {0.05, 0.3, 0.5, 0.83}) {
      double[] inputs = SecondStage.inputs(List.of(confidence), List.of(new Signals()), List.of(new double[Features.NAMES.size()])).get(0);
      assertThat(none.confidence(inputs)).isCloseTo(confidence, org.assertj.core.data.Offset.offset(1e-9));
    }
  }

  @Test
  void learnsThatTheAnswerTellsTheRightCandidateWhereTheRerankerCannot() {
    // The reranker's logit is noise here; the right candidate is the one whose answer is nearest the query.
    Random random = new Random(7);
    List<double[]> rows = new ArrayList<>();
    List<Boolean> right = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      boolean isRight = i % 4 == 0;
      double[] row = new double[SecondStage.NAMES.size()];
      row[LOGIT] = random.nextGaussian();
      row[ANSWER_GAP] = isRight ? -0.02 * random.nextDouble() : -0.1 - 0.2 * random.nextDouble();
      rows.add(row);
      right.add(isRight);
    }
    SecondStage stage = SecondStage.fit(rows, right);
    double[] near = new double[SecondStage.NAMES.size()];
    double[] far = near.clone();
    far[ANSWER_GAP] = -0.25;
    assertThat(stage.confidence(near)).isGreaterThan(0.8);
    assertThat(stage.confidence(far)).isLessThan(0.2);
    assertThat(stage.weight()[ANSWER_GAP]).isGreaterThan(Math.abs(stage.weight()[LOGIT]));
  }

  @Test
  void inputsMeasureEachCandidateAgainstTheOthers() {
    Signals first = new Signals();
    first.answer(0.5, 0.2);
    Signals second = new Signals();
    second.answer(0.7, 0.6);
    double[] features = new double[Features.NAMES.size()];
    List<double[]> inputs = SecondStage.inputs(List.of(0.6, 0.4), List.of(first, second), List.of(features, features));
    int lead = SecondStage.NAMES.indexOf("lead");
    int coverGap = SecondStage.NAMES.indexOf("answer_cover_gap");
    assertThat(inputs.get(0)[lead]).isCloseTo(0.2, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(inputs.get(1)[lead]).isCloseTo(-0.2, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(inputs.get(0)[ANSWER_GAP]).isCloseTo(-0.2, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(inputs.get(1)[coverGap]).isZero();
    first.uncovered(0.6, 5);
    second.uncovered(0.1, 2);
    List<double[]> judged = SecondStage.inputs(List.of(0.6, 0.4), List.of(first, second), List.of(features, features));
    int uncoveredGap = SecondStage.NAMES.indexOf("uncovered_gap");
    assertThat(judged.get(0)[uncoveredGap]).as("against the candidate that leaves least unexplained")
        .isCloseTo(0.5, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(judged.get(1)[uncoveredGap]).isZero();
  }
}
