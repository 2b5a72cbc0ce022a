package kefu.kb.eval;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import kefu.kb.AnswerRule;
import kefu.kb.Outcome;
import kefu.kb.SecondStage;

/**
 * Fits a {@link SecondStage} and an {@link AnswerRule} to customers' questions and measures them on questions they were
 * not fitted on: the stage's confidence in each candidate, by which candidates are reordered; the answer threshold and
 * lead kept where answers stay right; the suggest threshold, the single suggestion where it is mostly right, and the
 * width of the suggestion list where it still holds the right entry.
 */
public final class AnswerCalibration {
  /** The fitted rule's answers must be this right on the questions it is fitted on: a margin over the 0.97 asked. */
  static final double ANSWER_PRECISION = 0.98;
  /** Wrong answers, and out-of-scope questions answered, allowed as shares of their side when fitting. */
  static final double WRONG_SHARE = 0.015;
  /** A single suggestion must be the right one this often, or several are offered. */
  static final double CONFIRM_PRECISION = 0.85;
  /** The suggestion list may lose at most this share of the right entries it would hold at full width. */
  static final double SUGGEST_LOSS = 0.01;
  /**
   * The suggest threshold may lose this share of the right entries shown from the lowest one: what a question far
   * from every entry gains by falling back rather than getting unrelated ones, and answer assist by leaving them out.
   */
  static final double FALLBACK_LOSS = 0.03;


  private AnswerCalibration() {}

  /** One candidate the engine offered: its entry, confidence, and the second stage's inputs. */
  public record Offer(String entryId, double confidence, double[] inputs) {}

  /**
   * One question as the engine took it.
   *
   * @param expectedId the entry that answers it; null when none does (out of scope)
   * @param offers the engine's candidates, best first (at most a few)
   * @param exact whether the question is word for word one of the best entry's own (always answered)
   * @param part which part of the set it comes from, for figures by part
   */
  public record Asked(String question, String expectedId, List<Offer> offers, boolean exact, String part) {
    public Asked {
      offers = List.copyOf(offers);
    }

    /**
     * The question with its offers judged by {@code stage} and reordered by it; a question answered because it is
     * word for word an entry's own keeps that entry first.
     */
    Asked rescored(SecondStage stage) {
      List<Offer> judged = new ArrayList<>(offers.stream()
          .map(o -> new Offer(o.entryId(), stage.confidence(o.inputs()), o.inputs())).toList());
      Offer first = exact && !judged.isEmpty() ? judged.remove(0) : null;
      judged.sort(Comparator.comparingDouble(Offer::confidence).reversed().thenComparing(Offer::entryId));
      if (first != null) {
        judged.add(0, first);
      }
      return new Asked(question, expectedId, judged, exact, part);
    }

    boolean inScope() {
      return expectedId != null;
    }

    AnswerRule.Decided decided(AnswerRule rule, int choices) {
      return exact ? new AnswerRule.Decided(Outcome.ANSWER, 1)
          : rule.decide(offers.stream().map(Offer::confidence).toList(), choices);
    }

    boolean firstRight() {
      return inScope() && !offers.isEmpty() && offers.get(0).entryId().equals(expectedId);
    }

    /** Whether the right entry is among the {@code offered} first. */
    boolean rightOffered(int offered) {
      return inScope() && offers.stream().limit(offered).anyMatch(o -> o.entryId().equals(expectedId));
    }
  }

  /** How a rule fares on a set of questions, as counts. */
  public record Tally(int inScope, int answeredRight, int answeredWrong, int confirmedRight, int confirmedWrong,
      int suggested, int suggestedRightOffered, int fellBack, int outOfScope, int outOfScopeAnswered,
      int outOfScopeConfirmed, int firstRight) {

    static Tally of(List<Asked> questions, AnswerRule rule, int choices) {
      int in = 0, right = 0, wrong = 0, confirmedRight = 0, confirmedWrong = 0, suggested = 0, offered = 0, fell = 0;
      int out = 0, outAnswered = 0, outConfirmed = 0, first = 0;
      for (Asked q : questions) {
        AnswerRule.Decided decided = q.decided(rule, choices);
        Outcome outcome = decided.outcome();
        if (!q.inScope()) {
          out++;
          outAnswered += outcome == Outcome.ANSWER ? 1 : 0;
          outConfirmed += outcome == Outcome.CONFIRM ? 1 : 0;
          continue;
        }
        in++;
        first += q.firstRight() ? 1 : 0;
        switch (outcome) {
          case ANSWER -> {
            right += q.firstRight() ? 1 : 0;
            wrong += q.firstRight() ? 0 : 1;
          }
          case CONFIRM -> {
            confirmedRight += q.firstRight() ? 1 : 0;
            confirmedWrong += q.firstRight() ? 0 : 1;
          }
          case SUGGEST -> {
            suggested++;
            offered += q.rightOffered(decided.offered()) ? 1 : 0;
          }
          case FALLBACK -> fell++;
        }
      }
      return new Tally(in, right, wrong, confirmedRight, confirmedWrong, suggested, offered, fell, out, outAnswered,
          outConfirmed, first);
    }

    Tally plus(Tally o) {
      return new Tally(inScope + o.inScope, answeredRight + o.answeredRight, answeredWrong + o.answeredWrong,
          confirmedRight + o.confirmedRight, confirmedWrong + o.confirmedWrong, suggested + o.suggested,
          suggestedRightOffered + o.suggestedRightOffered, fellBack + o.fellBack, outOfScope + o.outOfScope,
          outOfScopeAnswered + o.outOfScopeAnswered, outOfScopeConfirmed + o.outOfScopeConfirmed, firstRight + o.firstRight);
    }

    /** Of the in-scope questions not answered outright, those whose right entry the customer is shown: asked about alone, or offered in the list. */
    public double restShownRight() {
      int rest = inScope - answeredRight - answeredWrong;
      return rest == 0 ? Double.NaN : (double) (confirmedRight + suggestedRightOffered) / rest;
    }
  }

  /**
   * Fits a rule to {@code questions}: the answer threshold and lead that answer the most in-scope questions rightly
   * while answers stay {@link #ANSWER_PRECISION} right and neither wrong answers nor out-of-scope ones answered pass
   * {@link #WRONG_SHARE}; then the narrowest list that shows the right entry about as often as the widest; then the
   * single suggestion where what it adds is {@link #CONFIRM_PRECISION} right. The suggest threshold is the highest that
   * shows the right entry nearly as often as the lowest does ({@link #FALLBACK_LOSS}): below it, a question falls back.
   */
  public static AnswerRule fit(List<Asked> questions, int choices) {
    long in = questions.stream().filter(Asked::inScope).count();
    long out = questions.size() - in;
    AnswerRule best = new AnswerRule(1.01, 1, 1.01, 1, 0, 1);
    int bestRight = -1;
    for (int a = 30; a <= 99; a++) {
      for (int l = 0; l <= 90; l += 2) {
        AnswerRule rule = new AnswerRule(a / 100.0, l / 100.0, 1.01, 1, 0, 1);
        Tally t = Tally.of(questions, rule, choices);
        int answered = t.answeredRight + t.answeredWrong + t.outOfScopeAnswered;
        boolean keeps = t.answeredWrong <= WRONG_SHARE * in && t.outOfScopeAnswered <= WRONG_SHARE * Math.max(out, 1)
            && (answered == 0 || (double) t.answeredRight / answered >= ANSWER_PRECISION);
        if (keeps && t.answeredRight > bestRight) {
          bestRight = t.answeredRight;
          best = rule;
        }
      }
    }
    double lowestShown = Tally.of(questions, best.with(best.answer(), best.answerLead(), 0.01), choices).restShownRight();
    double suggest = 0.01;
    for (int s = 2; s < Math.round(best.answer() * 100); s++) {
      if (Tally.of(questions, best.with(best.answer(), best.answerLead(), s / 100.0), choices).restShownRight()
          >= lowestShown - FALLBACK_LOSS) {
        suggest = s / 100.0;
      }
    }
    AnswerRule answering = best.with(best.answer(), best.answerLead(), suggest);
    // The list as narrow as it can be while it shows the right entry about as often as any width does; a list that
    // narrows to one asks about that one alone.
    double widest = 0;
    double[] shown = new double[21];
    for (int w = 5; w <= 100; w += 5) {
      shown[w / 5] = Tally.of(questions, answering.withConfirm(1.01, 1, w / 100.0), choices).restShownRight();
      widest = Math.max(widest, Double.isNaN(shown[w / 5]) ? 0 : shown[w / 5]);
    }
    double within = 1;
    for (int w = 5; w <= 100; w += 5) {
      if (shown[w / 5] >= widest - SUGGEST_LOSS) {
        within = w / 100.0;
        break;
      }
    }
    AnswerRule listing = answering.withConfirm(1.01, 1, within);
    Tally without = Tally.of(questions, listing, choices);
    int bestConfirmed = 0;
    for (int c = (int) Math.round(suggest * 100); c <= Math.round(answering.answer() * 100); c++) {
      for (int l = 0; l <= 90; l += 2) {
        AnswerRule rule = answering.withConfirm(c / 100.0, l / 100.0, within);
        Tally t = Tally.of(questions, rule, choices);
        // Judged on what the explicit rule adds to the list's own single suggestions.
        int added = t.confirmedRight - without.confirmedRight;
        int addedAll = added + t.confirmedWrong - without.confirmedWrong + t.outOfScopeConfirmed - without.outOfScopeConfirmed;
        if (addedAll > 0 && (double) added / addedAll >= CONFIRM_PRECISION && added > bestConfirmed) {
          bestConfirmed = added;
          listing = rule;
        }
      }
    }
    return listing;
  }

  /**
   * Fits the second stage on every offer of {@code questions}, labelled by whether it is the right entry (all wrong
   * for a question out of scope).
   */
  public static SecondStage fitStage(List<Asked> questions) {
    List<double[]> inputs = new ArrayList<>();
    List<Boolean> right = new ArrayList<>();
    for (Asked q : questions) {
      for (Offer o : q.offers()) {
        inputs.add(o.inputs());
        right.add(o.entryId().equals(q.expectedId()));
      }
    }
    return SecondStage.fit(inputs, right);
  }

  /** The questions with their offers judged and reordered by {@code stage}. */
  public static List<Asked> rescored(List<Asked> questions, SecondStage stage) {
    return questions.stream().map(q -> q.rescored(stage)).toList();
  }

  /** What {@link #crossValidate} found: the figures on held-out folds, summed, by part too, and each fold's rule. */
  public record HeldOut(Tally tally, Map<String, Tally> byPart, List<AnswerRule> rules) {}

  /**
   * Deals {@code questions} into {@code folds} folds by a stable hash of their text; fits the stage (when
   * {@code staged}) and then the rule on the other folds plus {@code alwaysFitted} (the knowledge base's own
   * questions, never measured here) and measures on each fold.
   */
  public static HeldOut crossValidate(List<Asked> questions, List<Asked> alwaysFitted, int folds, boolean staged, int choices) {
    Tally none = Tally.of(List.of(), new AnswerRule(1, 1, 1, 1, 1, 1), choices);
    Tally sum = none;
    Map<String, Tally> byPart = new TreeMap<>();
    List<AnswerRule> rules = new ArrayList<>();
    for (int fold = 0; fold < folds; fold++) {
      List<Asked> fitted = new ArrayList<>(alwaysFitted);
      List<Asked> measured = new ArrayList<>();
      for (Asked q : questions) {
        (Math.floorMod(q.question().hashCode(), folds) == fold ? measured : fitted).add(q);
      }
      if (staged) {
        SecondStage stage = fitStage(fitted);
        fitted = rescored(fitted, stage);
        measured = rescored(measured, stage);
      }
      AnswerRule rule = fit(fitted, choices);
      rules.add(rule);
      sum = sum.plus(Tally.of(measured, rule, choices));
      for (Asked q : measured) {
        byPart.merge(q.part(), Tally.of(List.of(q), rule, choices), Tally::plus);
      }
    }
    return new HeldOut(sum, byPart, rules);
  }

  /** The figures of {@code rule} on {@code questions}. */
  public static Tally measure(List<Asked> questions, AnswerRule rule, int choices) {
    return Tally.of(questions, rule, choices);
  }
}
