package kefu.kb;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class AnswerRuleTest {
  /** Answer from 0.5 with a lead of 0.3; ask about one from 0.3 with a lead of 0.2; offer from 0.1, within 0.15. */
  private final AnswerRule rule = new AnswerRule(0.5, 0.3, 0.3, 0.2, 0.1, 0.15);

  @Test
  void aConfidentBestClearlyAheadIsAnswered() {
    assertThat(rule.decide(List.of(0.83, 0.10, 0.05), 3)).isEqualTo(new AnswerRule.Decided(Outcome.ANSWER, 1));
  }

  @Test
  void aConfidentBestWithARunnerUpCloseBehindIsNotAnswered() {
    // The case the lead is for: as confident, but another entry nearly as likely.
    assertThat(rule.decide(List.of(0.83, 0.80, 0.05), 3)).isEqualTo(new AnswerRule.Decided(Outcome.SUGGEST, 2));
  }

  @Test
  void closeRunnersUpAreOfferedTogetherUpToThree() {
    assertThat(rule.decide(List.of(0.40, 0.35, 0.33, 0.31), 3)).isEqualTo(new AnswerRule.Decided(Outcome.SUGGEST, 3));
  }

  @Test
  void oneAheadButUnsureIsAskedAboutAlone() {
    assertThat(rule.decide(List.of(0.45, 0.20, 0.19), 3)).isEqualTo(new AnswerRule.Decided(Outcome.CONFIRM, 1));
  }

  @Test
  void theOnlyCandidateCloseToTheBestIsAskedAboutAloneEvenBelowTheConfirmThreshold() {
    // Nothing else near it is worth offering: a list of one is a single question.
    assertThat(rule.decide(List.of(0.25, 0.05), 3)).isEqualTo(new AnswerRule.Decided(Outcome.CONFIRM, 1));
  }

  @Test
  void candidatesFarBelowTheBestAreNotOfferedBesideIt() {
    // A second business's entry at 0.12 is not offered beside a close pair at 0.28 and 0.26.
    assertThat(rule.decide(List.of(0.28, 0.26, 0.12), 3)).isEqualTo(new AnswerRule.Decided(Outcome.SUGGEST, 2));
  }

  @Test
  void belowTheSuggestThresholdItFallsBack() {
    assertThat(rule.decide(List.of(0.08, 0.07), 3)).isEqualTo(new AnswerRule.Decided(Outcome.FALLBACK, 0));
    assertThat(rule.decide(List.of(), 3)).isEqualTo(new AnswerRule.Decided(Outcome.FALLBACK, 0));
  }

  @Test
  void theShippedRulesAreReadable() {
    for (boolean vectors : new boolean[] {true, false}) {
      AnswerRule shipped = AnswerRule.shipped(vectors);
      assertThat(shipped.suggest()).isLessThanOrEqualTo(shipped.answer());
      assertThat(shipped.suggestWithin()).isBetween(0.0, 1.0);
    }
  }
}
