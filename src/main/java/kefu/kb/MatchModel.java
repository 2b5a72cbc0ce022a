package kefu.kb;

import java.util.OptionalDouble;

/**
 * How the engine judges a query's candidates: the reranker's confidence in each, the second stage that turns it into
 * the confidence on a business's own questions, and the rule for what to do then.
 */
public record MatchModel(Reranker reranker, SecondStage stage, AnswerRule rule) {

  /** The shipped reranker, stage and rule for an engine with sentence vectors, or for the words-only one. */
  public static MatchModel shipped(boolean vectors) {
    return new MatchModel(Reranker.shipped(vectors), SecondStage.shipped(vectors), AnswerRule.shipped(vectors));
  }

  /** The same with the business's own thresholds where it set them ({@code kb.answer-threshold} and the like). */
  public MatchModel configured(OptionalDouble answer, OptionalDouble answerLead, OptionalDouble suggest) {
    return new MatchModel(reranker, stage, rule.with(answer.orElse(rule.answer()), answerLead.orElse(rule.answerLead()),
        suggest.orElse(rule.suggest())));
  }

  /** The same with another stage. */
  public MatchModel withStage(SecondStage stage) {
    return new MatchModel(reranker, stage, rule);
  }
}
