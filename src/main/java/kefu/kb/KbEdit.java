package kefu.kb;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A change to the knowledge base made in the console rather than in its files: a similar question added to an entry,
 * or a new entry. Every node applies the stored edits on top of the files at each build, so that all answer alike.
 *
 * @param id the edit's number; a new entry's id is {@code console-<id>}
 * @param entryId for a similar question, the entry it joins
 * @param topic for a new entry, its topic
 * @param answer for a new entry, its answer
 */
public record KbEdit(long id, Kind kind, Optional<String> entryId, Optional<String> topic, String question,
    Optional<String> answer) {
  private static final Logger log = LoggerFactory.getLogger(KbEdit.class);
  /** Where an entry made in the console says it is written: no file, the edit's number as its line. */
  static final Path SOURCE = Path.of("console");

  /** What the edit does. */
  public enum Kind { SIMILAR, ENTRY }

  public KbEdit {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(question, "question");
    if (kind == Kind.SIMILAR && entryId.isEmpty() || kind == Kind.ENTRY && (topic.isEmpty() || answer.isEmpty())) {
      throw new IllegalArgumentException("edit " + id + " lacks what a " + kind + " edit needs");
    }
  }

  /** A similar question for {@code entryId}. */
  public static KbEdit similar(long id, String entryId, String question) {
    return new KbEdit(id, Kind.SIMILAR, Optional.of(entryId), Optional.empty(), question, Optional.empty());
  }

  /** A new entry. */
  public static KbEdit entry(long id, String topic, String question, String answer) {
    return new KbEdit(id, Kind.ENTRY, Optional.empty(), Optional.of(topic), question, Optional.of(answer));
  }

  /** The id of the entry this edit makes or extends. */
  public String targetId() {
    return entryId.orElse("console-" + id);
  }

  /**
   * {@code kb} with {@code edits} applied in order. An edit the files have overtaken — its entry is gone, or its
   * question is already in the knowledge base — is skipped: the files win.
   */
  public static KnowledgeBase apply(KnowledgeBase kb, List<KbEdit> edits) {
    if (edits.isEmpty()) {
      return kb;
    }
    Map<String, Entry> byId = kb.entries().stream()
        .collect(Collectors.toMap(Entry::id, Function.identity(), (a, b) -> a, LinkedHashMap::new));
    Set<String> questions = new HashSet<>();
    kb.entries().forEach(e -> e.questions().forEach(q -> questions.add(QuestionKey.of(q))));
    for (KbEdit edit : edits) {
      String key = QuestionKey.of(edit.question());
      Entry target = byId.get(edit.targetId());
      if (questions.contains(key) || (edit.kind() == Kind.SIMILAR) == (target == null)) {
        log.info("Knowledge base: console edit {} skipped, the files have overtaken it", edit.id());
        continue;
      }
      questions.add(key);
      if (edit.kind() == Kind.SIMILAR) {
        List<String> similar = new ArrayList<>(target.similar());
        similar.add(edit.question());
        byId.put(target.id(), new Entry(target.id(), target.topic(), target.question(), similar, target.answer(),
            target.tags(), target.handoff(), target.validUntil(), target.source()));
      } else {
        byId.put(edit.targetId(), new Entry(edit.targetId(), edit.topic().get(), edit.question(), List.of(),
            edit.answer().get(), List.of(), false, Optional.empty(), new Entry.Source(SOURCE, (int) edit.id())));
      }
    }
    return new KnowledgeBase(List.copyOf(byId.values()), kb.synonymGroups());
  }

  /** Whether {@code kb} has {@code question} already, standard or similar, as questions are compared. */
  public static boolean asks(KnowledgeBase kb, String question) {
    String key = QuestionKey.of(question);
    return kb.entries().stream().flatMap(e -> e.questions().stream()).anyMatch(q -> QuestionKey.of(q).equals(key));
  }

  /** As kept beside an index, for the next start to open it as built. */
  JsonObject toJson() {
    JsonObject json = new JsonObject().put("id", id).put("kind", kind.name()).put("question", question);
    entryId.ifPresent(e -> json.put("entry", e));
    topic.ifPresent(t -> json.put("topic", t));
    answer.ifPresent(a -> json.put("answer", a));
    return json;
  }

  static KbEdit fromJson(JsonObject json) {
    return new KbEdit(json.getLong("id"), Kind.valueOf(json.getString("kind")), Optional.ofNullable(json.getString("entry")),
        Optional.ofNullable(json.getString("topic")), json.getString("question"), Optional.ofNullable(json.getString("answer")));
  }
}
