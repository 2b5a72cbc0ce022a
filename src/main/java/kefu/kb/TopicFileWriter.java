package kefu.kb;

import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Writes entries as a topic file that people read and edit: block lists, answers as {@code |} blocks, Chinese
 * as it is, a blank line between entries.
 *
 * <p>SnakeYAML's emitter does the writing, so it quotes whatever needs quotes (a question like {@code 是: 吗}
 * or {@code true}); an answer that cannot be a {@code |} block, such as one with spaces before a line break,
 * comes out double-quoted, which reads back the same.
 */
final class TopicFileWriter {
  private TopicFileWriter() {}

  /**
   * The text of a topic file.
   *
   * @param comment lines put at the top as {@code #} comments
   */
  static String write(String topic, List<Entry> entries, List<String> comment) {
    List<Node> items = entries.stream().map(TopicFileWriter::entry).toList();
    MappingNode root = mapping(List.of(
        field("topic", text(topic)),
        field("entries", new SequenceNode(Tag.SEQ, items, DumperOptions.FlowStyle.BLOCK))));
    StringWriter yaml = new StringWriter();
    new Yaml(options()).serialize(root, yaml);
    StringBuilder out = new StringBuilder();
    comment.forEach(line -> out.append("# ").append(line).append('\n'));
    boolean firstEntry = true;
    for (String line : yaml.toString().split("\n")) {
      // Only an entry starts with "  - ": all it holds is indented deeper.
      if (line.startsWith("  - ")) {
        if (!firstEntry) {
          out.append('\n');
        }
        firstEntry = false;
      }
      out.append(line).append('\n');
    }
    return out.toString();
  }

  private static Node entry(Entry entry) {
    List<NodeTuple> fields = new ArrayList<>();
    fields.add(field("id", text(entry.id())));
    fields.add(field("question", text(entry.question())));
    if (!entry.similar().isEmpty()) {
      fields.add(field("similar", list(entry.similar())));
    }
    fields.add(field("answer", new ScalarNode(Tag.STR, entry.answer() + "\n", null, null, DumperOptions.ScalarStyle.LITERAL)));
    if (!entry.tags().isEmpty()) {
      fields.add(field("tags", list(entry.tags())));
    }
    if (entry.handoff()) {
      fields.add(field("handoff", new ScalarNode(Tag.BOOL, "true", null, null, DumperOptions.ScalarStyle.PLAIN)));
    }
    entry.validUntil().ifPresent(day -> fields.add(field("valid_until",
        new ScalarNode(Tag.TIMESTAMP, day.toString(), null, null, DumperOptions.ScalarStyle.PLAIN))));
    return mapping(fields);
  }

  private static DumperOptions options() {
    DumperOptions options = new DumperOptions();
    options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
    options.setIndent(2);
    options.setIndicatorIndent(2);
    options.setIndentWithIndicator(true);
    options.setAllowUnicode(true);
    // Long answers stay on their lines instead of being folded at 80 columns.
    options.setSplitLines(false);
    return options;
  }

  private static MappingNode mapping(List<NodeTuple> fields) {
    return new MappingNode(Tag.MAP, fields, DumperOptions.FlowStyle.BLOCK);
  }

  private static SequenceNode list(List<String> items) {
    return new SequenceNode(Tag.SEQ, items.stream().map(TopicFileWriter::text).map(Node.class::cast).toList(),
        DumperOptions.FlowStyle.BLOCK);
  }

  private static NodeTuple field(String name, Node value) {
    return new NodeTuple(text(name), value);
  }

  private static ScalarNode text(String value) {
    return new ScalarNode(Tag.STR, value, null, null, DumperOptions.ScalarStyle.PLAIN);
  }
}
