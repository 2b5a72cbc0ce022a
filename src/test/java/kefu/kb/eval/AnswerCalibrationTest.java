package kefu.kb.eval;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import kefu.kb.AnswerRule;
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

  /** An offer judged by the reranker alone: its logit the only input. */
  private static AnswerCalibration.Offer offer(String id, double confidence) {
    return offer(id, Math.min(Math.max(confidence, 0.001), 0.999), 0);
  }

  private static AnswerCalibration.Offer offer(String id, double confidence, double answerGap) {
    double[] inputs = new double[SecondStage.NAMES.size()];
    inputs[LOGIT] = Math.log(confidence / (1 - confidence));
    inputs[ANSWER_GAP] = answerGap;
    return new AnswerCalibration.Offer(id, confidence, inputs);
  }

  /**
   * A toy set where the lead tells right from wrong and confidence alone does not: right firsts lead by 0.4–0.6,
   * wrong ones by 0–0.2, both at confidences 0.3–0.9; out-of-scope questions lead by 0–0.2.
   */
  private static List<AnswerCalibration.Asked> toySet(long seed) {
    Random random = new Random(seed);
    List<AnswerCalibration.Asked> set = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      boolean right = i % 4 != 0;
      double best = 0.3 + 0.6 * random.nextDouble();
      double lead = right ? 0.4 + 0.2 * random.nextDouble() : 0.2 * random.nextDouble();
      String expected = "e" + (i % 20);
      String first = right ? expected : "e" + ((i + 1) % 20);
      set.add(new AnswerCalibration.Asked("q" + seed + "-" + i, expected, List.of(offer(first, best), offer(right ? "x" : expected, Math.max(0, best - lead))), false, "toy"));
    }
    for (int i = 0; i < 100; i++) {
      double best = 0.3 + 0.6 * random.nextDouble();
      set.add(new AnswerCalibration.Asked("o" + seed + "-" + i, null, List.of(offer("e1", best), offer("e2", best - 0.2 * random.nextDouble())), false, "toy"));
    }
    return set;
  }

  @Test
  void theFittedRuleAnswersByTheLeadAndStaysRightOnQuestionsItWasNotFittedOn() {
    AnswerRule rule = AnswerCalibration.fit(toySet(1), 3);
    assertThat(rule.answerLead()).isBetween(0.2, 0.4);

    AnswerCalibration.Tally unseen = AnswerCalibration.measure(toySet(2), rule, 3);
    assertThat((double) unseen.answeredRight() / unseen.inScope()).isGreaterThan(0.7);
    assertThat(unseen.answeredWrong()).isZero();
    assertThat(unseen.outOfScopeAnswered()).isZero();
  }

  @Test
  void crossValidationMeasuresEachQuestionOnceOnAFoldItWasNotFittedOn() {
    List<AnswerCalibration.Asked> set = toySet(3);
    AnswerCalibration.HeldOut held = AnswerCalibration.crossValidate(set, List.of(), 5, false, 3);
    assertThat(held.rules()).hasSize(5);
    assertThat(held.tally().inScope() + held.tally().outOfScope()).isEqualTo(set.size());
    assertThat(held.byPart()).containsOnlyKeys("toy");
  }
}
