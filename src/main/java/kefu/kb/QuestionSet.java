package kefu.kb;

import java.util.List;

/**
 * What the index needs of a FAQ entry: its id, the questions that ask for it (standard one first), and its answer,
 * a weaker signal of what it is about (empty where a set has none, as the public ones).
 */
public record QuestionSet(String entryId, List<String> questions, String answer) {
  public QuestionSet {
    questions = List.copyOf(questions);
    if (questions.isEmpty()) {
      throw new IllegalArgumentException("entry " + entryId + " has no question");
    }
    answer = answer == null ? "" : answer;
  }

  /** An entry known by its questions alone. */
  public QuestionSet(String entryId, List<String> questions) {
    this(entryId, questions, "");
  }
}
