package kefu.kb;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One question of the knowledge base with its answer, as written in a topic file.
 *
 * @param id unique across the knowledge base, {@code [a-z0-9-]+}
 * @param topic the {@code topic} of the file the entry is in
 * @param question the standard question
 * @param similar other ways customers ask the same question; may be empty
 * @param answer the reply, possibly several lines
 * @param tags free words for grouping and reports; may be empty
 * @param handoff whether the answer hands the chat to a human agent
 * @param validUntil the last day the answer holds (inclusive), for offers that end
 * @param source where the entry is written
 */
public record Entry(
    String id,
    String topic,
    String question,
    List<String> similar,
    String answer,
    List<String> tags,
    boolean handoff,
    Optional<LocalDate> validUntil,
    Source source) {

  /** Where an entry is written: a file and the line its fields start on. */
  public record Source(Path file, int line) {
    public Source {
      Objects.requireNonNull(file, "file");
    }

    @Override
    public String toString() {
      return file + ":" + line;
    }
  }

  public Entry {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(topic, "topic");
    Objects.requireNonNull(question, "question");
    Objects.requireNonNull(answer, "answer");
    Objects.requireNonNull(validUntil, "validUntil");
    Objects.requireNonNull(source, "source");
    similar = List.copyOf(similar);
    tags = List.copyOf(tags);
  }

  /** Whether the answer still holds on {@code day}: always without {@code valid_until}, else up to that day. */
  public boolean validOn(LocalDate day) {
    return validUntil.map(last -> !day.isAfter(last)).orElse(true);
  }

  /** The standard question first, then the similar ones. */
  public List<String> questions() {
    List<String> questions = new ArrayList<>(1 + similar.size());
    questions.add(question);
    questions.addAll(similar);
    return List.copyOf(questions);
  }

  /** The id only: entries end up in log lines, and their text does not belong there. */
  @Override
  public String toString() {
    return id;
  }
}
