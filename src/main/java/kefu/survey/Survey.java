package kefu.survey;

import java.util.List;
import java.util.Optional;

/**
 * A satisfaction survey read from {@code templates/surveys/<name>.yaml}: its questions in order, each a rating on
 * the manuals' five levels or a free comment.
 *
 * @param name the file's name without {@code .yaml}; plans and stored answers name the survey by it
 * @param title what agents see above the phone form and the answers
 */
public record Survey(String name, String title, List<Question> questions) {

  public Survey {
    questions = List.copyOf(questions);
  }

  /** A rating (1 非常满意 … 5 非常不满意) or a free comment. */
  public enum Kind { RATING, COMMENT }

  /**
   * One question.
   *
   * @param key unique within the survey; the dimension reports group ratings by (attitude, speed …)
   * @param label the short name agents and reports see (客服专员服务态度)
   * @param ask the question as the customer reads it in the chat
   */
  public record Question(String key, Kind kind, String label, String ask) {}

  /** The question at {@code position}, if the survey has that many. */
  public Optional<Question> at(int position) {
    return position < questions.size() ? Optional.of(questions.get(position)) : Optional.empty();
  }

  /** The question {@code key}. */
  public Optional<Question> question(String key) {
    return questions.stream().filter(q -> q.key().equals(key)).findFirst();
  }
}
