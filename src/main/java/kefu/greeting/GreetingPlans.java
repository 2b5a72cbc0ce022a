package kefu.greeting;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import kefu.template.Templates;
import kefu.template.YamlReader;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;

/** The greeting plans of {@code templates/greetings/}, each read with its mistakes reported by file and line. */
public final class GreetingPlans {
  /** Where the plans live in the templates directory. */
  public static final String DIR = "greetings";
  private static final Set<String> TOP = Set.of("title", "occasion", "who", "segment", "message", "article", "at", "gift-reminder");
  private static final Set<String> SEGMENT = Set.of("line", "member", "tag", "milestone");
  private static final Set<String> GIFT = Set.of("script", "days-before");
  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");

  private final List<GreetingPlan> plans;

  GreetingPlans(List<GreetingPlan> plans) {
    this.plans = List.copyOf(plans);
  }

  /**
   * Reads every {@code *.yaml} in {@code templatesDir/greetings}; none there is no greeting at all.
   *
   * @throws GreetingPlanException naming the file and line of the first mistake, or a text no template defines
   */
  public static GreetingPlans load(Path templatesDir, Templates templates) {
    Path dir = templatesDir.resolve(DIR);
    if (!Files.isDirectory(dir)) {
      return new GreetingPlans(List.of());
    }
    List<GreetingPlan> plans = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".yaml")).sorted(Comparator.naturalOrder()).toList()) {
        GreetingPlan plan = read(file, Files.readString(file, StandardCharsets.UTF_8));
        Stream<String> message = plan.article() ? GreetingPlan.ARTICLE_PARTS.stream().map(part -> plan.message() + "." + part)
            : Stream.of(plan.message());
        List<String> missing = Stream.concat(message, plan.gift().map(GreetingPlan.Gift::script).stream())
            .filter(key -> !templates.keys().contains(key)).toList();
        if (!missing.isEmpty()) {
          throw new GreetingPlanException(file + ": no text in templates/ for " + String.join(", ", missing));
        }
        if (plan.article()) {
          String cover = templates.text(plan.message() + ".cover");
          Path coverFile = templatesDir.resolve(cover).normalize();
          if (!coverFile.startsWith(templatesDir.normalize()) || !Files.isRegularFile(coverFile)) {
            throw new GreetingPlanException(file + ": the article's cover " + cover + " is not a file in " + templatesDir);
          }
        }
        plans.add(plan);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the greeting plans in " + dir, e);
    }
    return new GreetingPlans(plans);
  }

  /** @throws GreetingPlanException naming {@code file} and the line of the first mistake */
  static GreetingPlan read(Path file, String text) {
    YamlReader yaml = new YamlReader(file, GreetingPlanException::new);
    String fileName = file.getFileName().toString();
    String name = fileName.endsWith(".yaml") ? fileName.substring(0, fileName.length() - 5) : fileName;
    if (!NAME.matcher(name).matches()) {
      throw yaml.problem(0, "a plan's file name may only have a-z, 0-9, - and _ (it names the plan)");
    }
    Node root = yaml.compose(text);
    if (!(root instanceof MappingNode mapping)) {
      throw yaml.problem(root == null ? 1 : YamlReader.line(root), "a greeting plan has occasion:, who:, message: and at: at the top");
    }
    int top = YamlReader.line(root);
    Map<String, NodeTuple> f = yaml.fields(mapping, TOP);
    GreetingPlan.Kind occasion = yaml.choice(f, "occasion", GreetingPlan.Kind.class)
        .orElseThrow(() -> yaml.problem(top, "missing occasion: (birthday, lunar-birthday, wedding-anniversary, spring-festival …)"));
    GreetingPlan.Who who = yaml.choice(f, "who", GreetingPlan.Who.class).orElseThrow(() -> yaml.problem(top, "missing who: (members, all or segment)"));
    GreetingPlan.Segment segment = GreetingPlan.Segment.ANY;
    NodeTuple seg = f.get("segment");
    if (who == GreetingPlan.Who.SEGMENT) {
      if (seg == null || !(seg.getValueNode() instanceof MappingNode criteria)) {
        throw yaml.problem(seg == null ? top : YamlReader.line(seg), "who: segment needs segment: with line:, member:, tag: or milestone:");
      }
      Map<String, NodeTuple> s = yaml.fields(criteria, SEGMENT);
      segment = new GreetingPlan.Segment(yaml.optional(s, "line"), s.containsKey("member") ? Optional.of(yaml.flag(s, "member")) : Optional.empty(),
          yaml.optional(s, "tag"), yaml.optional(s, "milestone"));
    } else if (seg != null) {
      throw yaml.problem(YamlReader.line(seg), "segment: is only for who: segment");
    }
    if (f.containsKey("message") == f.containsKey("article")) {
      throw yaml.problem(top, "a greeting plan has either message: (a text's key) or article: (an article's key), one of them");
    }
    boolean article = f.containsKey("article");
    String message = yaml.required(f, article ? "article" : "message", top);
    String atText = yaml.required(f, "at", top);
    LocalTime at;
    try {
      at = LocalTime.parse(atText);
    } catch (DateTimeParseException e) {
      throw yaml.problem(YamlReader.line(f.get("at")), "at must be a time of day like 10:00, not \"" + atText + "\"");
    }
    Optional<GreetingPlan.Gift> gift = Optional.empty();
    NodeTuple giftNode = f.get("gift-reminder");
    if (giftNode != null) {
      if (!(giftNode.getValueNode() instanceof MappingNode g)) {
        throw yaml.problem(YamlReader.line(giftNode), "gift-reminder: needs script: and days-before:");
      }
      Map<String, NodeTuple> gf = yaml.fields(g, GIFT);
      String days = yaml.required(gf, "days-before", YamlReader.line(giftNode));
      if (!days.matches("[0-9]{1,2}")) {
        throw yaml.problem(YamlReader.line(gf.get("days-before")), "days-before must be a number of days from 0 to 99, not \"" + days + "\"");
      }
      gift = Optional.of(new GreetingPlan.Gift(yaml.required(gf, "script", YamlReader.line(giftNode)), Integer.parseInt(days)));
    }
    return new GreetingPlan(name, file, yaml.optional(f, "title"), occasion, who, segment, message, article, at, gift);
  }

  public List<GreetingPlan> all() {
    return plans;
  }

  /** The plan named {@code name}; empty if its file was removed since its greetings were planned. */
  Optional<GreetingPlan> named(String name) {
    return plans.stream().filter(p -> p.name().equals(name)).findFirst();
  }

  /** The most days ahead a plan needs its greetings planned: its gift reminder's. */
  int lookAhead() {
    return plans.stream().flatMap(p -> p.gift().stream()).mapToInt(GreetingPlan.Gift::daysBefore).max().orElse(0);
  }
}
