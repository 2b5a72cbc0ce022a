package kefu.survey;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import kefu.template.YamlReader;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads one survey file node by node, so that a mistake is reported as {@code file:line: message}, as the plans and
 * the knowledge base are; the first mistake refuses the file.
 */
final class SurveyReader {
  private static final Set<String> TOP = Set.of("title", "questions");
  private static final Set<String> QUESTION = Set.of("key", "kind", "label", "ask");
  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");
  /** A label heads a column of the answers and a report's dimension: short. */
  private static final int MAX_LABEL = 30;

  private final Path file;
  private final YamlReader yaml;

  private SurveyReader(Path file) {
    this.file = file;
    this.yaml = new YamlReader(file, SurveyException::new);
  }

  /** @throws SurveyException naming {@code file} and the line of the first mistake */
  static Survey read(Path file, String text) {
    return new SurveyReader(file).read(text);
  }

  private Survey read(String text) {
    String fileName = file.getFileName().toString();
    String name = fileName.substring(0, fileName.length() - ".yaml".length());
    if (!NAME.matcher(name).matches()) {
      throw problem(0, "a survey's file name may only have a-z, 0-9, - and _ (plans name the survey by it)");
    }
    Node root = yaml.compose(text);
    if (!(root instanceof MappingNode top)) {
      throw problem(root == null ? 1 : line(root), "a survey has title: and questions: at the top");
    }
    Map<String, NodeTuple> fields = fields(top, TOP);
    String title = text(fields, "title", line(root));
    NodeTuple questions = fields.get("questions");
    if (questions == null || !(questions.getValueNode() instanceof SequenceNode list) || list.getValue().isEmpty()) {
      throw problem(questions == null ? line(root) : line(questions.getKeyNode()),
          "questions: must be a list of questions, each starting with - key:");
    }
    List<Survey.Question> read = new ArrayList<>();
    Set<String> keys = new HashSet<>();
    for (Node item : list.getValue()) {
      Survey.Question question = question(item);
      if (!keys.add(question.key())) {
        throw problem(line(item), "question key \"" + question.key() + "\" is used twice in this survey");
      }
      read.add(question);
    }
    return new Survey(name, title, read);
  }

  private Survey.Question question(Node node) {
    if (!(node instanceof MappingNode mapping)) {
      throw problem(line(node), "a question must be fields like key:, kind:, label: and ask:");
    }
    Map<String, NodeTuple> f = fields(mapping, QUESTION);
    int at = line(node);
    String key = text(f, "key", at);
    if (!NAME.matcher(key).matches()) {
      throw problem(line(f.get("key").getKeyNode()), "key \"" + key + "\" may only have a-z, 0-9, - and _");
    }
    String kind = text(f, "kind", at);
    Survey.Kind parsed = switch (kind) {
      case "rating" -> Survey.Kind.RATING;
      case "comment" -> Survey.Kind.COMMENT;
      default -> throw problem(line(f.get("kind").getKeyNode()), "kind must be rating or comment, not \"" + kind + "\"");
    };
    String label = text(f, "label", at);
    if (label.length() > MAX_LABEL) {
      throw problem(line(f.get("label").getKeyNode()), "label has " + label.length() + " characters; at most " + MAX_LABEL);
    }
    return new Survey.Question(key, parsed, label, text(f, "ask", at));
  }

  private Map<String, NodeTuple> fields(MappingNode mapping, Set<String> allowed) {
    return yaml.fields(mapping, allowed);
  }

  /** The field's text, required and not blank. */
  private String text(Map<String, NodeTuple> fields, String name, int line) {
    NodeTuple tuple = fields.get(name);
    if (tuple == null) {
      throw problem(line, "missing " + name + ":");
    }
    if (!(tuple.getValueNode() instanceof ScalarNode scalar) || scalar.getValue().isBlank()) {
      throw problem(line(tuple.getKeyNode()), name + " must be a text");
    }
    return scalar.getValue().strip();
  }

  private RuntimeException problem(int line, String message) {
    return yaml.problem(line, message);
  }

  private static int line(Node node) {
    return YamlReader.line(node);
  }
}
