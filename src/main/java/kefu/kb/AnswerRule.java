package kefu.kb;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Properties;

/**
 * When the bot answers outright, asks about the one entry that stands out, offers the few that are close, or falls
 * back: from the best candidate's confidence and its lead over the best other entry.
 *
 * <p>The lead is what confidence alone misses: 0.83 with the runner-up at 0.10 is a different question from 0.83
 * with the runner-up at 0.80. The values are fitted by {@code kb-thresholds --questions} on customers' own wordings
 * (the shipped ones on {@code bench/sample-kb}), not on the public sets the reranker learnt from.
 *
 * @param answer confidence from which the bot may answer outright
 * @param answerLead how far the best must lead the best other entry to be answered outright
 * @param confirm confidence from which the bot may ask about the best alone (您是想问「…」吗)
 * @param confirmLead how far the best must lead the best other entry to be asked about alone
 * @param suggest confidence from which a candidate is worth offering at all
 * @param suggestWithin how far below the best a candidate may be and still be offered beside it
 */
public record AnswerRule(double answer, double answerLead, double confirm, double confirmLead, double suggest,
    double suggestWithin) {

  /** The rule shipped for an engine with sentence vectors, or for the words-only one. */
  public static AnswerRule shipped(boolean vectors) {
    String name = vectors ? "answer-rule-vectors.properties" : "answer-rule-words.properties";
    try (InputStream in = AnswerRule.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("the answer rule " + name + " is missing; run kb-thresholds --questions");
      }
      Properties p = new Properties();
      p.load(in);
      return new AnswerRule(number(p, "answer"), number(p, "answer-lead"), number(p, "confirm"), number(p, "confirm-lead"),
          number(p, "suggest"), number(p, "suggest-within"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static double number(Properties p, String key) {
    String value = p.getProperty(key);
    if (value == null) {
      throw new IllegalStateException("answer rule lacks " + key + "; run kb-thresholds --questions");
    }
    return Double.parseDouble(value);
  }

  /** The same rule with the business's own answer and suggest thresholds. */
  public AnswerRule with(double answer, double answerLead, double suggest) {
    return new AnswerRule(answer, answerLead, confirm, confirmLead, suggest, suggestWithin);
  }

  /** The same rule with another single suggestion and list width. */
  public AnswerRule withConfirm(double confirm, double confirmLead, double suggestWithin) {
    return new AnswerRule(answer, answerLead, confirm, confirmLead, suggest, suggestWithin);
  }

  /** What the rule decided: the outcome, and how many of the first candidates are put to the customer. */
  public record Decided(Outcome outcome, int offered) {}

  /**
   * Decides on candidates' confidences, best first: answer or ask about the best alone when it is sure and far enough
   * ahead; else offer up to {@code choices} of those close to the best — asking about it alone if no other is.
   */
  public Decided decide(List<Double> confidences, int choices) {
    double best = confidences.isEmpty() ? 0 : confidences.get(0);
    double lead = best - (confidences.size() > 1 ? confidences.get(1) : 0);
    if (best >= answer && lead >= answerLead) {
      return new Decided(Outcome.ANSWER, 1);
    }
    if (best >= confirm && lead >= confirmLead) {
      return new Decided(Outcome.CONFIRM, 1);
    }
    if (best < suggest) {
      return new Decided(Outcome.FALLBACK, 0);
    }
    int close = (int) confidences.stream().limit(choices).takeWhile(c -> worthOffering(c, best)).count();
    return new Decided(close == 1 ? Outcome.CONFIRM : Outcome.SUGGEST, close);
  }

  /** Whether a candidate this confident is worth offering beside a best one of {@code best}. */
  private boolean worthOffering(double confidence, double best) {
    return confidence >= suggest && confidence >= best - suggestWithin;
  }

  /** Writes the rule as the properties file {@link #shipped} reads. */
  public void write(Path file, String comment) throws IOException {
    String text = "# " + comment.replace("\n", "\n# ") + "\n" + String.format(Locale.ROOT,
        "answer=%.3f%nanswer-lead=%.3f%nconfirm=%.3f%nconfirm-lead=%.3f%nsuggest=%.3f%nsuggest-within=%.3f%n",
        answer, answerLead, confirm, confirmLead, suggest, suggestWithin);
    Path parent = file.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      w.write(text);
    }
  }
}
