package kefu.kb.eval;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import kefu.kb.AnswerRule;
import kefu.kb.eval.AnswerCalibration.Asked;
import kefu.kb.eval.AnswerCalibration.Offer;
import org.junit.jupiter.api.Test;

class AnswerCalibrationTest {
  /**
   * A toy set where the lead tells right from wrong and confidence alone does not: right firsts lead by 0.4–0.6,
   * wrong ones by 0–0.2, both at confidences 0.3–0.9; out-of-scope questions lead by 0–0.2.
   */
  private static List<Asked> toySet(long seed) {
    Random random = new Random(seed);
    List<Asked> set = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      boolean right = i % 4 != 0;
      double best = 0.3 + 0.6 * random.nextDouble();
      double lead = right ? 0.4 + 0.2 * random.nextDouble() : 0.2 * random.nextDouble();
      String expected = "e" + (i % 20);
      String first = right ? expected : "e" + ((i + 1) % 20);
      set.add(new Asked("q" + seed + "-" + i, expected, List.of(new Offer(first, best), new Offer(right ? "x" : expected, Math.max(0, best - lead))), false, "toy"));
    }
    for (int i = 0; i < 100; i++) {
      double best = 0.3 + 0.6 * random.nextDouble();
      set.add(new Asked("o" + seed + "-" + i, null, List.of(new Offer("e1", best), new Offer("e2", best - 0.2 * random.nextDouble())), false, "toy"));
    }
    return set;
  }

  @Test
  void theFittedRuleAnswersByTheLeadAndStaysRightOnQuestionsItWasNotFittedOn() {
    AnswerRule rule = AnswerCalibration.fit(toySet(1), 0.1, 3);
    assertThat(rule.answerLead()).isBetween(0.2, 0.4);

    AnswerCalibration.Tally unseen = AnswerCalibration.measure(toySet(2), rule, 3);
    assertThat((double) unseen.answeredRight() / unseen.inScope()).isGreaterThan(0.7);
    assertThat(unseen.answeredWrong()).isZero();
    assertThat(unseen.outOfScopeAnswered()).isZero();
  }

  @Test
  void crossValidationMeasuresEachQuestionOnceOnAFoldItWasNotFittedOn() {
    List<Asked> set = toySet(3);
    AnswerCalibration.HeldOut held = AnswerCalibration.crossValidate(set, List.of(), 5, 0.1, 3);
    assertThat(held.rules()).hasSize(5);
    assertThat(held.tally().inScope() + held.tally().outOfScope()).isEqualTo(set.size());
    assertThat(held.byPart()).containsOnlyKeys("toy");
  }
}
