package kefu.template;

import java.io.StringReader;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
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

/**
 * Reads a YAML file of templates/ (a follow-up plan, a greeting plan) node by node, so that every mistake is reported
 * with its file and line ({@code file:line: message}) as the caller's own exception; the first mistake refuses the file.
 */
public final class YamlReader {
  private final Path file;
  private final Function<String, RuntimeException> refusal;

  /** @param refusal makes the caller's exception from {@code file:line: message} */
  public YamlReader(Path file, Function<String, RuntimeException> refusal) {
    this.file = file;
    this.refusal = refusal;
  }

  /** The document's top node; a refusal for text that is not YAML. */
  public Node compose(String text) {
    try {
      return new Yaml(new SafeConstructor(new LoaderOptions())).compose(new StringReader(text));
    } catch (MarkedYAMLException e) {
      Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
      throw problem(mark == null ? 0 : mark.getLine() + 1, "not valid YAML: " + e.getProblem());
    } catch (YAMLException e) {
      throw problem(0, "not valid YAML: " + e.getMessage());
    }
  }

  /** The fields of {@code mapping} by name; a refusal for a field not {@code allowed} or given twice. */
  public Map<String, NodeTuple> fields(MappingNode mapping, Set<String> allowed) {
    Map<String, NodeTuple> fields = new LinkedHashMap<>();
    for (NodeTuple tuple : mapping.getValue()) {
      String name = tuple.getKeyNode() instanceof ScalarNode s ? s.getValue() : "";
      if (!allowed.contains(name)) {
        throw problem(line(tuple), "unknown field \"" + name + "\"; allowed here: " + String.join(", ", allowed.stream().sorted().toList()));
      }
      if (fields.put(name, tuple) != null) {
        throw problem(line(tuple), "field " + name + " is given twice");
      }
    }
    return fields;
  }

  public String required(Map<String, NodeTuple> fields, String name, int line) {
    return optional(fields, name).orElseThrow(() -> problem(line, "missing " + name + ":"));
  }

  /** The text of field {@code name}, stripped; a refusal if it is given empty. */
  public Optional<String> optional(Map<String, NodeTuple> fields, String name) {
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

  public String scalar(Node node, String name) {
    if (!(node instanceof ScalarNode scalar)) {
      throw problem(line(node), name + " must be text");
    }
    return scalar.getValue();
  }

  /** Field {@code name} as true or false; false when not given. */
  public boolean flag(Map<String, NodeTuple> fields, String name) {
    return optional(fields, name).map(text -> switch (text) {
      case "true" -> true;
      case "false" -> false;
      default -> throw problem(line(fields.get(name)), name + " must be true or false, not \"" + text + "\"");
    }).orElse(false);
  }

  /** Field {@code name} as one of {@code type}'s constants, written in lower case with - for _. */
  public <E extends Enum<E>> Optional<E> choice(Map<String, NodeTuple> fields, String name, Class<E> type) {
    return optional(fields, name).map(text -> {
      for (E value : type.getEnumConstants()) {
        if (written(value).equals(text)) {
          return value;
        }
      }
      List<String> names = Arrays.stream(type.getEnumConstants()).map(YamlReader::written).toList();
      throw problem(line(fields.get(name)), name + " must be one of " + String.join(", ", names) + ", not \"" + text + "\"");
    });
  }

  private static String written(Enum<?> value) {
    return value.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** The refusal of the file at {@code line} (0: the file as a whole). */
  public RuntimeException problem(int line, String message) {
    return refusal.apply(line > 0 ? file + ":" + line + ": " + message : file + ": " + message);
  }

  public static int line(NodeTuple tuple) {
    return line(tuple.getKeyNode());
  }

  public static int line(Node node) {
    return node.getStartMark().getLine() + 1;
  }
}
