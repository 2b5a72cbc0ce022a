package kefu.journey;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import kefu.template.YamlNodes;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads one plan file, node by node so that every mistake is reported with its line ({@code file:line: message}), as
 * the knowledge base's files are; the first mistake refuses the file.
 */
final class PlanReader {
  private static final Set<String> TOP = Set.of("starts-on", "line", "steps");
  private static final Set<String> STEP = Set.of("key", "at", "repeat", "kind", "message", "script", "service-notice",
      "members-only", "skip-if", "owner", "any-day", "when-late", "survey");
  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");
  private static final Pattern REPEAT = Pattern.compile("weekly until ([a-z0-9_]{1,32})");

  private final Path file;

  private PlanReader(Path file) {
    this.file = file;
  }

  /** @throws PlanException naming {@code file} and the line of the first mistake */
  static Plan read(Path file, String text) {
    return new PlanReader(file).read(text);
  }

  private Plan read(String text) {
    String fileName = file.getFileName().toString();
    String name = fileName.endsWith(".yaml") ? fileName.substring(0, fileName.length() - 5) : fileName;
    if (!NAME.matcher(name).matches()) {
      throw problem(0, "a plan's file name may only have a-z, 0-9, - and _ (it names the plan)");
    }
    Node root = YamlNodes.compose(text, this::problem);
    if (!(root instanceof MappingNode mapping)) {
      throw problem(root == null ? 1 : line(root), "a plan has starts-on: and steps: at the top");
    }
    Map<String, NodeTuple> fields = fields(mapping, TOP);
    String startsOn = kind(required(fields, "starts-on", line(root)), line(fields.get("starts-on")));
    Optional<String> line = optional(fields, "line").map(value -> kind(value, line(fields.get("line"))));
    NodeTuple steps = fields.get("steps");
    if (steps == null || !(steps.getValueNode() instanceof SequenceNode list) || list.getValue().isEmpty()) {
      throw problem(steps == null ? line(root) : line(steps), "steps: must be a list of steps, each starting with - key:");
    }
    List<Plan.Step> read = new ArrayList<>();
    Set<String> keys = new HashSet<>();
    for (Node item : list.getValue()) {
      Plan.Step step = step(item);
      if (!keys.add(step.key())) {
        throw problem(line(item), "step key \"" + step.key() + "\" is used twice in this plan");
      }
      read.add(step);
    }
    return new Plan(name, file, startsOn, line, List.copyOf(read));
  }

  private Plan.Step step(Node node) {
    if (!(node instanceof MappingNode mapping)) {
      throw problem(line(node), "a step must be fields like key:, at: and kind:");
    }
    Map<String, NodeTuple> f = fields(mapping, STEP);
    int at = line(node);
    String key = required(f, "key", at);
    if (!NAME.matcher(key).matches()) {
      throw problem(line(f.get("key")), "key \"" + key + "\" may only have a-z, 0-9, - and _");
    }
    Offset offset;
    try {
      offset = Offset.parse(required(f, "at", at));
    } catch (IllegalArgumentException e) {
      throw problem(line(f.get("at")), e.getMessage());
    }
    Optional<String> weeklyUntil = optional(f, "repeat").map(text -> {
      var m = REPEAT.matcher(text.strip());
      if (!m.matches()) {
        throw problem(line(f.get("repeat")), "repeat must be \"weekly until <milestone kind>\", not \"" + text + "\"");
      }
      if (offset.days() >= 0 || offset.workingDays()) {
        throw problem(line(f.get("repeat")), "a weekly step repeats up to the milestone's date: give it a negative offset like -30d");
      }
      return m.group(1);
    });
    Plan.Kind kind = choice(f, "kind", Plan.Kind.class, at).orElseThrow(() -> problem(at, "the step has no kind: (message, survey or call)"));
    Optional<String> message = optional(f, "message");
    if (kind != Plan.Kind.CALL && message.isEmpty()) {
      throw problem(at, "a " + kind.name().toLowerCase(Locale.ROOT) + " step needs message: (the templates/ key of what the customer reads)");
    }
    if (kind == Plan.Kind.CALL && message.isPresent()) {
      throw problem(line(f.get("message")), "a call step has no message: only its script:");
    }
    String script = required(f, "script", at);
    Optional<String> survey = optional(f, "survey");
    if (kind == Plan.Kind.SURVEY && survey.isEmpty()) {
      throw problem(at, "a survey step needs survey: (the name of a file in templates/surveys, without .yaml)");
    }
    if (kind != Plan.Kind.SURVEY && survey.isPresent()) {
      throw problem(line(f.get("survey")), "only a survey step has survey:");
    }
    Set<String> skipIf = new LinkedHashSet<>();
    NodeTuple skip = f.get("skip-if");
    if (skip != null) {
      if (skip.getValueNode() instanceof SequenceNode kinds) {
        for (Node item : kinds.getValue()) {
          skipIf.add(kind(scalar(item, "skip-if"), line(item)));
        }
      } else {
        skipIf.add(kind(scalar(skip.getValueNode(), "skip-if"), line(skip)));
      }
    }
    return new Plan.Step(key, offset, weeklyUntil, kind, message, script, flag(f, "service-notice"), flag(f, "members-only"),
        Set.copyOf(skipIf), choice(f, "owner", Plan.Owner.class, at).orElse(Plan.Owner.RECORD), flag(f, "any-day"),
        choice(f, "when-late", Plan.WhenLate.class, at).orElse(Plan.WhenLate.CALL), survey);
  }

  private Map<String, NodeTuple> fields(MappingNode mapping, Set<String> allowed) {
    return YamlNodes.fields(mapping, allowed, this::problem);
  }

  private String required(Map<String, NodeTuple> fields, String name, int line) {
    return optional(fields, name).orElseThrow(() -> problem(line, "missing " + name + ":"));
  }

  private Optional<String> optional(Map<String, NodeTuple> fields, String name) {
    NodeTuple tuple = fields.get(name);
    if (tuple == null) {
      return Optional.empty();
    }
    String text = scalar(tuple.getValueNode(), name);
    if (text.isBlank()) {
      throw problem(line(tuple), name + " is empty");
    }
    return Optional.of(text.strip());
  }

  private String scalar(Node node, String name) {
    if (!(node instanceof ScalarNode scalar)) {
      throw problem(line(node), name + " must be text");
    }
    return scalar.getValue();
  }

  private boolean flag(Map<String, NodeTuple> fields, String name) {
    return optional(fields, name).map(text -> switch (text) {
      case "true" -> true;
      case "false" -> false;
      default -> throw problem(line(fields.get(name)), name + " must be true or false, not \"" + text + "\"");
    }).orElse(false);
  }

  private <E extends Enum<E>> Optional<E> choice(Map<String, NodeTuple> fields, String name, Class<E> type, int line) {
    return optional(fields, name).map(text -> {
      for (E value : type.getEnumConstants()) {
        if (value.name().toLowerCase(Locale.ROOT).equals(text)) {
          return value;
        }
      }
      List<String> names = Arrays.stream(type.getEnumConstants()).map(v -> v.name().toLowerCase(Locale.ROOT)).toList();
      throw problem(line(fields.get(name)), name + " must be one of " + String.join(", ", names) + ", not \"" + text + "\"");
    });
  }

  private String kind(String text, int line) {
    if (!text.matches("[a-z0-9_]{1,32}")) {
      throw problem(line, "\"" + text + "\" is not a milestone kind like booking or warranty_end");
    }
    return text;
  }

  private PlanException problem(int line, String message) {
    return new PlanException(line > 0 ? file + ":" + line + ": " + message : file + ": " + message);
  }

  private static int line(NodeTuple tuple) {
    return YamlNodes.line(tuple);
  }

  private static int line(Node node) {
    return YamlNodes.line(node);
  }
}
