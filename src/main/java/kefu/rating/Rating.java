package kefu.rating;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A customer's satisfaction with the service, on the manuals' five levels: 1 非常满意 (score 1.1), 2 满意 (1.0),
 * 3 一般 (0.9), 4 不满意 (0.8), 5 非常不满意 (0.7).
 */
public enum Rating {
  VERY_SATISFIED(1, "1.1", "非常满意"),
  SATISFIED(2, "1.0", "满意"),
  NEUTRAL(3, "0.9", "一般"),
  DISSATISFIED(4, "0.8", "不满意"),
  VERY_DISSATISFIED(5, "0.7", "非常不满意");

  private final int level;
  private final BigDecimal score;
  private final String label;

  Rating(int level, String score, String label) {
    this.level = level;
    this.score = new BigDecimal(score);
    this.label = label;
  }

  /** The rating of {@code level} (1 非常满意 … 5 非常不满意), as stored. */
  public static Rating ofLevel(int level) {
    return Arrays.stream(values()).filter(r -> r.level == level).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no rating level " + level));
  }

  public String label() {
    return label;
  }

  public int level() {
    return level;
  }

  public BigDecimal score() {
    return score;
  }

  /**
   * Satisfaction said with a softened "not" (不太满意, 不是很满意): dissatisfied, though the words hold 满意 and not
   * 不满意.
   */
  private static final Pattern SOFTLY_NOT = Pattern.compile("(不太|不大|不是很|不是太|不怎么|不算|不够|没那么|没有那么|没多)满意");

  /**
   * The rating a customer's reply gives: its level as a digit ("2"), or the level's words ("满意"). Words are
   * matched longest first, so 非常不满意 is not read as 不满意; a softened "not" before 满意 is 不满意.
   */
  public static Optional<Rating> parse(String compact) {
    for (Rating r : values()) {
      if (compact.equals(Integer.toString(r.level))) {
        return Optional.of(r);
      }
    }
    if (SOFTLY_NOT.matcher(compact).find() && !compact.contains(VERY_DISSATISFIED.label)) {
      return Optional.of(DISSATISFIED);
    }
    Rating best = null;
    for (Rating r : values()) {
      if (compact.contains(r.label) && (best == null || r.label.length() > best.label.length())) {
        best = r;
      }
    }
    return Optional.ofNullable(best);
  }

  /**
   * {@code compact} without the words that rate (longest first, softened "not"s included): what else the customer
   * said with their rating, such as a complaint.
   */
  public static String besides(String compact) {
    String rest = SOFTLY_NOT.matcher(compact).replaceAll("");
    List<Rating> longestFirst = Arrays.stream(values()).sorted(Comparator.comparingInt((Rating r) -> r.label.length()).reversed()).toList();
    for (Rating r : longestFirst) {
      rest = rest.replace(r.label, "");
    }
    return rest;
  }
}
