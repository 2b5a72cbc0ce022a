package kefu.journey;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import kefu.template.YamlReader;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
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
  private final YamlReader yaml;

  private PlanReader(Path file) {
    this.file = file;
    this.yaml = new YamlReader(file, PlanException::new);
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
    Node root = yaml.compose(text);
    if (!(root instanceof MappingNode mapping)) {
      throw problem(root == null ? 1 : YamlReader.line(root), "a plan has starts-on: and steps: at the top");
    }
    Map<String, NodeTuple> fields = yaml.fields(mapping, TOP);
    String startsOn = kind(yaml.required(fields, "starts-on", YamlReader.line(root)), YamlReader.line(fields.get("starts-on")));
    Optional<String> line = yaml.optional(fields, "line").map(value -> kind(value, YamlReader.line(fields.get("line"))));
    NodeTuple steps = fields.get("steps");
    if (steps == null || !(steps.getValueNode() instanceof SequenceNode list) || list.getValue().isEmpty()) {
      throw problem(steps == null ? YamlReader.line(root) : YamlReader.line(steps), "steps: must be a list of steps, each starting with - key:");
    }
    List<Plan.Step> read = new ArrayList<>();
    Set<String> keys = new HashSet<>();
    for (Node item : list.getValue()) {
      Plan.Step step = step(item);
      if (!keys.add(step.key())) {
        throw problem(YamlReader.line(item), "step key \"" + step.key() + "\" is used twice in this plan");
      }
      read.add(step);
    }
    return new Plan(name, file, startsOn, line, List.copyOf(read));
  }

  private Plan.Step step(Node node) {
    if (!(node instanceof MappingNode mapping)) {
      throw problem(YamlReader.line(node), "a step must be fields like key:, at: and kind:");
    }
    Map<String, NodeTuple> f = yaml.fields(mapping, STEP);
    int at = YamlReader.line(node);
    String key = yaml.required(f, "key", at);
    if (!NAME.matcher(key).matches()) {
      throw problem(YamlReader.line(f.get("key")), "key \"" + key + "\" may only have a-z, 0-9, - and _");
    }
    Offset offset;
    try {
      offset = Offset.parse(yaml.required(f, "at", at));
    } catch (IllegalArgumentException e) {
      throw problem(YamlReader.line(f.get("at")), e.getMessage());
    }
    Optional<String> weeklyUntil = yaml.optional(f, "repeat").map(text -> {
      var m = REPEAT.matcher(text.strip());
      if (!m.matches()) {
        throw problem(YamlReader.line(f.get("repeat")), "repeat must be \"weekly until <milestone kind>\", not \"" + text + "\"");
      }
      if (offset.days() >= 0 || offset.workingDays()) {
        throw problem(YamlReader.line(f.get("repeat")), "a weekly step repeats up to the milestone's date: give it a negative offset like -30d");
      }
      return m.group(1);
    });
    Plan.Kind kind = yaml.choice(f, "kind", Plan.Kind.class).orElseThrow(() -> problem(at, "the step has no kind: (message, survey or call)"));
    Optional<String> message = yaml.optional(f, "message");
    if (kind != Plan.Kind.CALL && message.isEmpty()) {
      throw problem(at, "a " + kind.name().toLowerCase(Locale.ROOT) + " step needs message: (the templates/ key of what the customer reads)");
    }
    if (kind == Plan.Kind.CALL && message.isPresent()) {
      throw problem(YamlReader.line(f.get("message")), "a call step has no message: only its script:");
    }
    String script = yaml.required(f, "script", at);
    Optional<String> survey = yaml.optional(f, "survey");
    if (kind == Plan.Kind.SURVEY && survey.isEmpty()) {
      throw problem(at, "a survey step needs survey: (the name of a file in templates/surveys, without .yaml)");
    }
    if (kind != Plan.Kind.SURVEY && survey.isPresent()) {
      throw problem(YamlReader.line(f.get("survey")), "only a survey step has survey:");
    }
    Set<String> skipIf = new LinkedHashSet<>();
    NodeTuple skip = f.get("skip-if");
    if (skip != null) {
      if (skip.getValueNode() instanceof SequenceNode kinds) {
        for (Node item : kinds.getValue()) {
          skipIf.add(kind(yaml.scalar(item, "skip-if"), YamlReader.line(item)));
        }
      } else {
        skipIf.add(kind(yaml.scalar(skip.getValueNode(), "skip-if"), YamlReader.line(skip)));
      }
    }
    return new Plan.Step(key, offset, weeklyUntil, kind, message, script, yaml.flag(f, "service-notice"), yaml.flag(f, "members-only"),
        Set.copyOf(skipIf), yaml.choice(f, "owner", Plan.Owner.class).orElse(Plan.Owner.RECORD), yaml.flag(f, "any-day"),
        yaml.choice(f, "when-late", Plan.WhenLate.class).orElse(Plan.WhenLate.CALL), survey);
  }

  private String kind(String text, int line) {
    if (!text.matches("[a-z0-9_]{1,32}")) {
      throw problem(line, "\"" + text + "\" is not a milestone kind like booking or warranty_end");
    }
    return text;
  }

  private RuntimeException problem(int line, String message) {
    return yaml.problem(line, message);
  }
}
