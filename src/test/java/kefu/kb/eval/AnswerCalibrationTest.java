package kefu.kb.eval;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import kefu.kb.SecondStage;
import org.junit.jupiter.api.Test;

/**
 * The second stage fitted per fold on a toy set: where the reranker puts a wrong entry first and the answer tells the
 * right one, the held-out folds, judged by a stage fitted without them, get the right one first.
 */
class AnswerCalibrationTest {
  private static final int LOGIT = SecondStage.NAMES.indexOf("logit");
  private static final int ANSWER_GAP = SecondStage.NAMES.indexOf("answer_cosine_gap");

  @Test
  void theStageFittedOnTheOtherFoldsPutsTheRightEntryFirst() {
    List<AnswerCalibration.Asked> questions = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      String right = "entry-" + i;
      String wrong = "entry-" + (i + 1000);
      // The reranker prefers the wrong one a little; the right one's answer is the query's nearest.
      AnswerCalibration.Offer first = offer(wrong, 0.6, -0.15 - (i % 7) / 100.0);
      AnswerCalibration.Offer second = offer(right, 0.4, 0);
      questions.add(new AnswerCalibration.Asked("question " + i, right, List.of(first, second), false, "toy"));
    }
    AnswerCalibration.HeldOut unstaged = AnswerCalibration.crossValidate(questions, List.of(), 5, false, 3);
    AnswerCalibration.HeldOut staged = AnswerCalibration.crossValidate(questions, List.of(), 5, true, 3);
    assertThat(unstaged.tally().firstRight()).isZero();
    assertThat(staged.tally().firstRight()).isEqualTo(60);
  }

  private static AnswerCalibration.Offer offer(String id, double confidence, double answerGap) {
    double[] inputs = new double[SecondStage.NAMES.size()];
    inputs[LOGIT] = Math.log(confidence / (1 - confidence));
    inputs[ANSWER_GAP] = answerGap;
    return new AnswerCalibration.Offer(id, confidence, inputs);
  }
}
