package kefu.template;

import java.io.StringReader;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
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
 * Reads a YAML file as nodes, for files whose every mistake is reported with its line ({@code file:line: message}):
 * the plans and the surveys of {@code templates/}. Each mistake goes to the reader's own {@link Problem}.
 */
public final class YamlNodes {

  /** Makes the reader's exception for a mistake on {@code line} (0: no line). */
  @FunctionalInterface
  public interface Problem {
    RuntimeException at(int line, String message);
  }

  private YamlNodes() {}

  /** The document's root node; null for an empty one. */
  public static Node compose(String text, Problem problem) {
    try {
      return new Yaml(new SafeConstructor(new LoaderOptions())).compose(new StringReader(text));
    } catch (MarkedYAMLException e) {
      Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
      throw problem.at(mark == null ? 0 : mark.getLine() + 1, "not valid YAML: " + e.getProblem());
    } catch (YAMLException e) {
      throw problem.at(0, "not valid YAML: " + e.getMessage());
    }
  }

  /** The mapping's fields by name, in order; a field not {@code allowed}, or given twice, is a mistake. */
  public static Map<String, NodeTuple> fields(MappingNode mapping, Set<String> allowed, Problem problem) {
    Map<String, NodeTuple> fields = new LinkedHashMap<>();
    for (NodeTuple tuple : mapping.getValue()) {
      String name = tuple.getKeyNode() instanceof ScalarNode s ? s.getValue() : "";
      if (!allowed.contains(name)) {
        throw problem.at(line(tuple), "unknown field \"" + name + "\"; allowed here: " + String.join(", ", allowed.stream().sorted().toList()));
      }
      if (fields.put(name, tuple) != null) {
        throw problem.at(line(tuple), "field " + name + " is given twice");
      }
    }
    return fields;
  }

  /** The line of a field: its name's. */
  public static int line(NodeTuple tuple) {
    return line(tuple.getKeyNode());
  }

  public static int line(Node node) {
    return node.getStartMark().getLine() + 1;
  }
}
