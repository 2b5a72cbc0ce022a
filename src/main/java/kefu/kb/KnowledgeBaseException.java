package kefu.kb;

import java.util.List;

/** A knowledge base that cannot be used as it is; {@link #problems()} lists every mistake found. */
public final class KnowledgeBaseException extends Exception {
  private static final int SHOWN = 5;

  private final List<Problem> problems;

  public KnowledgeBaseException(List<Problem> problems) {
    super(message(problems));
    this.problems = List.copyOf(problems);
  }

  /** Every problem found, by file and line. */
  public List<Problem> problems() {
    return problems;
  }

  private static String message(List<Problem> problems) {
    StringBuilder text = new StringBuilder()
        .append(problems.size()).append(problems.size() == 1 ? " problem" : " problems").append(" in the knowledge base:");
    problems.stream().limit(SHOWN).forEach(p -> text.append("\n  ").append(p));
    if (problems.size() > SHOWN) {
      text.append("\n  … and ").append(problems.size() - SHOWN).append(" more");
    }
    return text.toString();
  }
}
