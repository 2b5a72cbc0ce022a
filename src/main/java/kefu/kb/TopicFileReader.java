package kefu.kb;

import java.io.StringReader;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Reads one topic file into entries, adding every mistake in it to a list of problems.
 *
 * <p>It works on SnakeYAML's nodes rather than on constructed objects, for two reasons: every node knows its
 * line, and a scalar's text is read as written — {@code valid_until: 2027-02-28} would otherwise become a
 * timestamp and a question like {@code no} a boolean.
 *
 * <p>A similar question that repeats another question of the same entry is an error, not a warning: a check
 * has one verdict, clean or not, and the fix is deleting a line.
 */
final class TopicFileReader {
  private static final List<String> TOP_FIELDS = List.of("topic", "entries");
  private static final List<String> ENTRY_FIELDS = List.of("id", "question", "similar", "answer", "tags", "handoff", "valid_until");

  private static final Pattern ID = Pattern.compile("[a-z0-9-]+");
  private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");

  /** A question as written, with its line; {@code standard} for the entry's {@code question}. */
  record Located(String text, int line, boolean standard) {}

  /**
   * One entry as read, valid or not, with what the checks across files need.
   *
   * @param line the line the entry starts on
   * @param id empty when the entry has none
   * @param entry present only when the entry has no problem of its own
   */
  record Draft(Path file, String id, int line, List<Located> questions, Optional<Entry> entry) {}

  private final Path file;
  private final List<Problem> problems;

  private TopicFileReader(Path file, List<Problem> problems) {
    this.file = file;
    this.problems = problems;
  }

  /** The entries of {@code file}, whose content is {@code text}; problems are added to {@code problems}. */
  static List<Draft> read(Path file, String text, List<Problem> problems) {
    return new TopicFileReader(file, problems).read(text);
  }

  private List<Draft> read(String text) {
    LoaderOptions options = new LoaderOptions();
    options.setCodePointLimit((int) TextFile.MAX_BYTES);
    Node root;
    try {
      root = new Yaml(new SafeConstructor(options)).compose(new StringReader(text));
    } catch (MarkedYAMLException e) {
      Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
      problem(mark == null ? 0 : mark.getLine() + 1, "not valid YAML: " + e.getProblem());
      return List.of();
    } catch (YAMLException e) {
      problem(0, "not valid YAML: " + e.getMessage());
      return List.of();
    }
    if (root == null) {
      problem(1, "the file is empty; a topic file has topic: and entries:");
      return List.of();
    }
    if (!(root instanceof MappingNode mapping)) {
      problem(line(root), "expected topic: and entries: at the top, found " + kind(root));
      return List.of();
    }
    Map<String, NodeTuple> fields = fields(mapping, TOP_FIELDS, "a topic file has only topic and entries");
    Optional<String> topic = requiredText(fields, "topic", line(root), "the file");
    NodeTuple entries = fields.get("entries");
    if (entries == null) {
      problem(line(root), "the file has no entries:");
      return List.of();
    }
    Node list = entries.getValueNode();
    if (isNull(list)) {
      return List.of();
    }
    if (!(list instanceof SequenceNode sequence)) {
      problem(line(entries), "entries must be a list of entries, each starting with - id:");
      return List.of();
    }
    List<Draft> drafts = new ArrayList<>();
    for (Node item : sequence.getValue()) {
      entry(item, topic.orElse("")).ifPresent(drafts::add);
    }
    return drafts;
  }

  private Optional<Draft> entry(Node node, String topic) {
    int line = line(node);
    if (!(node instanceof MappingNode mapping)) {
      problem(line, "an entry must be fields like id: and question:, found " + kind(node));
      return Optional.empty();
    }
    int problemsBefore = problems.size();
    Map<String, NodeTuple> fields = fields(mapping, ENTRY_FIELDS, "an entry has only " + String.join(", ", ENTRY_FIELDS));
    Optional<String> id = requiredText(fields, "id", line, "the entry");
    id.filter(text -> !ID.matcher(text).matches()).ifPresent(text ->
        problem(line(fields.get("id")), "id \"" + text + "\" may only have the characters a-z, 0-9 and -"));
    String who = id.map(text -> "entry " + text).orElse("the entry");
    Optional<String> question = requiredText(fields, "question", line, who);
    List<Located> similar = list(fields.get("similar"), "similar", "a list of questions, one per line starting with -");
    Optional<String> answer = requiredText(fields, "answer", line, who);
    List<Located> tags = list(fields.get("tags"), "tags", "a list of words, like tags: [价格, 优惠]");
    boolean handoff = handoff(fields.get("handoff"));
    Optional<LocalDate> validUntil = validUntil(fields.get("valid_until"));

    List<Located> questions = new ArrayList<>();
    question.ifPresent(text -> questions.add(new Located(text, line(fields.get("question")), true)));
    Map<String, Located> seen = new HashMap<>();
    questions.forEach(q -> seen.put(QuestionKey.of(q.text()), q));
    for (Located q : similar) {
      Located before = seen.putIfAbsent(QuestionKey.of(q.text()), q);
      if (before == null) {
        questions.add(q);
      } else {
        problem(q.line(), "similar question \"" + q.text() + "\" repeats \"" + before.text() + "\" of the same entry (line "
            + before.line() + ")");
      }
    }

    Optional<Entry> entry = Optional.empty();
    if (problems.size() == problemsBefore) {
      entry = Optional.of(new Entry(id.get(), topic, question.get(), texts(similar), answer.get(), texts(tags), handoff,
          validUntil, new Entry.Source(file, line)));
    }
    return Optional.of(new Draft(file, id.orElse(""), line, questions, entry));
  }

  /** The fields of a mapping by name, after reporting unknown and repeated names. */
  private Map<String, NodeTuple> fields(MappingNode mapping, List<String> known, String hint) {
    Map<String, NodeTuple> fields = new LinkedHashMap<>();
    for (NodeTuple tuple : mapping.getValue()) {
      if (!(tuple.getKeyNode() instanceof ScalarNode key)) {
        problem(line(tuple), "a field name must be a plain word; " + hint);
        continue;
      }
      String name = key.getValue();
      if (!known.contains(name)) {
        problem(line(tuple), "unknown field \"" + name + "\"; " + hint);
      } else if (fields.containsKey(name)) {
        problem(line(tuple), "field " + name + " is given twice (also on line " + line(fields.get(name)) + ")");
      } else {
        fields.put(name, tuple);
      }
    }
    return fields;
  }

  /** The stripped, non-empty text of a required field, or empty after reporting why not. */
  private Optional<String> requiredText(Map<String, NodeTuple> fields, String name, int ownerLine, String owner) {
    NodeTuple tuple = fields.get(name);
    if (tuple == null) {
      problem(ownerLine, owner + " has no " + name);
      return Optional.empty();
    }
    Node value = tuple.getValueNode();
    if (!(value instanceof ScalarNode scalar)) {
      problem(line(tuple), name + " must be text, found " + kind(value));
      return Optional.empty();
    }
    String text = isNull(scalar) ? "" : scalar.getValue().strip();
    if (text.isEmpty()) {
      problem(line(tuple), name + " is empty");
      return Optional.empty();
    }
    return Optional.of(text);
  }

  /** The items of an optional list field; absent or empty gives an empty list. */
  private List<Located> list(NodeTuple tuple, String name, String shape) {
    if (tuple == null || isNull(tuple.getValueNode())) {
      return List.of();
    }
    if (!(tuple.getValueNode() instanceof SequenceNode sequence)) {
      problem(line(tuple), name + " must be " + shape);
      return List.of();
    }
    List<Located> items = new ArrayList<>();
    for (Node item : sequence.getValue()) {
      if (!(item instanceof ScalarNode scalar)) {
        problem(line(item), name + ": each item must be text, found " + kind(item));
      } else if (isNull(scalar) || scalar.getValue().isBlank()) {
        problem(line(item), name + ": empty item");
      } else {
        items.add(new Located(scalar.getValue().strip(), line(item), false));
      }
    }
    return items;
  }

  private boolean handoff(NodeTuple tuple) {
    if (tuple == null) {
      return false;
    }
    Node value = tuple.getValueNode();
    // The YAML 1.1 resolver also takes yes/no and on/off as booleans; a quoted "true" is text.
    if (value instanceof ScalarNode scalar && scalar.getTag().equals(Tag.BOOL)) {
      return List.of("true", "yes", "on").contains(scalar.getValue().toLowerCase(Locale.ROOT));
    }
    problem(line(tuple), "handoff must be true or false, not " + shown(value));
    return false;
  }

  private Optional<LocalDate> validUntil(NodeTuple tuple) {
    if (tuple == null) {
      return Optional.empty();
    }
    Node value = tuple.getValueNode();
    if (value instanceof ScalarNode scalar && DATE.matcher(scalar.getValue()).matches()) {
      try {
        return Optional.of(LocalDate.parse(scalar.getValue()));
      } catch (DateTimeParseException e) {
        // Falls through: the right shape, but no such day, like 2027-02-30.
      }
    }
    problem(line(tuple), "valid_until must be a date like 2027-02-28, not " + shown(value));
    return Optional.empty();
  }

  private void problem(int line, String message) {
    problems.add(new Problem(file, line, message));
  }

  private static List<String> texts(List<Located> items) {
    return items.stream().map(Located::text).toList();
  }

  private static boolean isNull(Node node) {
    return node instanceof ScalarNode && node.getTag().equals(Tag.NULL);
  }

  private static String shown(Node node) {
    if (node instanceof ScalarNode scalar) {
      return isNull(scalar) ? "empty" : "\"" + scalar.getValue() + "\"";
    }
    return kind(node);
  }

  private static String kind(Node node) {
    if (node instanceof SequenceNode) {
      return "a list";
    }
    return node instanceof MappingNode ? "fields (a mapping)" : "text";
  }

  private static int line(NodeTuple tuple) {
    return line(tuple.getKeyNode());
  }

  private static int line(Node node) {
    return node.getStartMark().getLine() + 1;
  }
}
