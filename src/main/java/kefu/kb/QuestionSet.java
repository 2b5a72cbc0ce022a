package kefu.kb;

import java.util.List;

/** What the index needs of a FAQ entry: its id and the questions that ask for it, standard one first. */
public record QuestionSet(String entryId, List<String> questions) {
  public QuestionSet {
    questions = List.copyOf(questions);
    if (questions.isEmpty()) {
      throw new IllegalArgumentException("entry " + entryId + " has no question");
    }
  }
}
