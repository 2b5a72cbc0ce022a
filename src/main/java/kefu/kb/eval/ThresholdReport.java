package kefu.kb.eval;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalDouble;

/**
 * How a knowledge base's held-out questions fare at each answer threshold: how many in-scope questions the bot
 * would answer and how many of those rightly, and how many out-of-scope ones it would answer, all wrongly.
 */
public final class ThresholdReport {

  /**
   * One question as the engine took it: the entry it belongs to, the engine's best entry (null if it found none)
   * and how sure the engine was of it.
   */
  public record Result(String question, String expectedId, String bestId, double sureness) {
    public boolean right() {
      return expectedId.equals(bestId);
    }
  }

  /**
   * The figures at one threshold, as shares. {@code rightOfAll} is the share of answers that are right when as
   * many questions come from outside the knowledge base as from inside; NaN when nothing is answered.
   */
  public record Row(double threshold, double inScopeAnswered, double inScopeRight, double outOfScopeAnswered,
      double rightOfAll) {}

  private final List<Result> inScope;
  private final List<Result> outOfScope;

  public ThresholdReport(List<Result> inScope, List<Result> outOfScope) {
    if (inScope.isEmpty()) {
      throw new IllegalArgumentException("no in-scope questions: the knowledge base has no similar questions");
    }
    this.inScope = List.copyOf(inScope);
    this.outOfScope = List.copyOf(outOfScope);
  }

  public int inScopeCount() {
    return inScope.size();
  }

  public int outOfScopeCount() {
    return outOfScope.size();
  }

  public Row at(double threshold) {
    long in = inScope.stream().filter(r -> r.sureness() >= threshold).count();
    long inRight = inScope.stream().filter(r -> r.sureness() >= threshold && r.right()).count();
    long out = outOfScope.stream().filter(r -> r.sureness() >= threshold).count();
    double inAnswered = (double) in / inScope.size();
    double outAnswered = outOfScope.isEmpty() ? 0 : (double) out / outOfScope.size();
    double right = (double) inRight / inScope.size();
    return new Row(threshold, inAnswered, in == 0 ? Double.NaN : (double) inRight / in, outAnswered,
        inAnswered + outAnswered == 0 ? Double.NaN : right / (inAnswered + outAnswered));
  }

  /** The in-scope questions answered with another entry, surest first: where entries are too close or too thin. */
  public List<Result> surestMistakes(int limit) {
    return inScope.stream().filter(r -> !r.right() && r.bestId() != null)
        .sorted(Comparator.comparingDouble(Result::sureness).reversed()).limit(limit).toList();
  }

  /** The lowest threshold at which at least {@code share} of all answers are right (see {@link Row}); empty if none. */
  public OptionalDouble lowestWhereRight(double share) {
    record Asked(Result result, boolean inScope) {}
    List<Asked> all = new ArrayList<>();
    inScope.forEach(r -> all.add(new Asked(r, true)));
    outOfScope.forEach(r -> all.add(new Asked(r, false)));
    all.sort(Comparator.comparingDouble((Asked a) -> a.result().sureness()).reversed());
    OptionalDouble lowest = OptionalDouble.empty();
    double right = 0;
    double answered = 0;
    for (int i = 0; i < all.size(); i++) {
      Asked a = all.get(i);
      // Each side weighs as much in all, however many questions it has.
      double weight = a.inScope() ? 1.0 / inScope.size() : 1.0 / outOfScope.size();
      answered += weight;
      right += a.inScope() && a.result().right() ? weight : 0;
      boolean lastOfItsSureness = i + 1 == all.size() || all.get(i + 1).result().sureness() < a.result().sureness();
      if (lastOfItsSureness && right / answered >= share) {
        lowest = OptionalDouble.of(a.result().sureness());
      }
    }
    return lowest;
  }
}
