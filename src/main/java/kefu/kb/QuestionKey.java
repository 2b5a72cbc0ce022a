package kefu.kb;

import java.util.regex.Pattern;

/**
 * The form in which two questions count as the same: trimmed, runs of whitespace made one space, trailing
 * punctuation dropped, so that {@code 能分期吗?} and {@code 能分期吗 ？} are one question.
 */
final class QuestionKey {
  private static final Pattern WHITESPACE = Pattern.compile("[\\p{javaWhitespace}\\p{Zs}]+");
  private static final Pattern TRAILING = Pattern.compile("[\\s?？!！。.,，、;；:：~～…]+$");

  private QuestionKey() {}

  static String of(String question) {
    String collapsed = WHITESPACE.matcher(question).replaceAll(" ").strip();
    String key = TRAILING.matcher(collapsed).replaceAll("");
    // A "question" that is only punctuation stays itself rather than becoming the same as every other such one.
    return key.isEmpty() ? collapsed : key;
  }
}
