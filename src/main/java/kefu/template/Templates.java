package kefu.template;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * The wording kefu uses with people, read from the YAML files in {@code templates/}: each file maps dotted keys
 * to a text (with {@code {placeholders}}) or a list of texts. Keys are unique across files.
 *
 * <p>Immutable; a feature names the keys it needs with {@link #require}, so a missing one stops the start with
 * its name rather than a customer getting an empty reply.
 */
public final class Templates {
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{([a-zA-Z][a-zA-Z0-9_]*)}");

  private final Map<String, Object> values;
  private final Map<String, Path> origins;

  private Templates(Map<String, Object> values, Map<String, Path> origins) {
    this.values = values;
    this.origins = origins;
  }

  /**
   * Reads every {@code *.yaml} file directly in {@code dir}.
   *
   * @throws TemplateException naming the file (and line) of the first mistake
   */
  public static Templates load(Path dir) {
    Map<String, Object> values = new HashMap<>();
    Map<String, Path> origins = new HashMap<>();
    List<Path> files;
    try (Stream<Path> listing = Files.list(dir)) {
      files = listing.filter(f -> f.getFileName().toString().endsWith(".yaml") && Files.isRegularFile(f)).sorted().toList();
    } catch (IOException e) {
      throw new TemplateException("templates directory " + dir + " cannot be read: " + e.getMessage());
    }
    for (Path file : files) {
      read(file, "", parse(file), values, origins);
    }
    return new Templates(Map.copyOf(values), Map.copyOf(origins));
  }

  private static Object parse(Path file) {
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      return new Yaml(new SafeConstructor(new LoaderOptions())).load(reader);
    } catch (MarkedYAMLException e) {
      throw new TemplateException(file + " line " + (e.getProblemMark().getLine() + 1) + ": not valid YAML: " + e.getProblem());
    } catch (YAMLException | IOException e) {
      throw new TemplateException(file + ": cannot be read: " + e.getMessage());
    }
  }

  private static void read(Path file, String prefix, Object node, Map<String, Object> values, Map<String, Path> origins) {
    if (!(node instanceof Map<?, ?> map)) {
      throw new TemplateException(file + ": expected keys and texts" + (prefix.isEmpty() ? "" : " under " + prefix));
    }
    for (Map.Entry<?, ?> e : map.entrySet()) {
      String key = prefix + e.getKey();
      Object value = e.getValue();
      if (value instanceof Map<?, ?>) {
        read(file, key + ".", value, values, origins);
        continue;
      }
      Object text = value instanceof List<?> list ? texts(file, key, list) : text(file, key, value);
      Path earlier = origins.putIfAbsent(key, file);
      if (earlier != null) {
        throw new TemplateException(file + ": " + key + " is already defined in " + earlier.getFileName());
      }
      values.put(key, text);
    }
  }

  private static String text(Path file, String key, Object value) {
    if (!(value instanceof String text) || text.isBlank()) {
      throw new TemplateException(file + ": " + key + " must be a text");
    }
    return text.strip();
  }

  private static List<String> texts(Path file, String key, List<?> list) {
    List<String> texts = new ArrayList<>(list.size());
    for (Object item : list) {
      texts.add(text(file, key, item instanceof Number ? item.toString() : item));
    }
    return List.copyOf(texts);
  }

  /** @throws TemplateException listing every key in {@code keys} that no file defines */
  public Templates require(Collection<String> keys) {
    List<String> missing = keys.stream().filter(k -> !values.containsKey(k)).sorted().toList();
    if (!missing.isEmpty()) {
      throw new TemplateException("templates missing: " + String.join(", ", missing));
    }
    return this;
  }

  /** The text under {@code key} with each {@code {name}} replaced by {@code vars.get(name)}. */
  public String render(String key, Map<String, ?> vars) {
    if (!(values.get(key) instanceof String text)) {
      throw new IllegalArgumentException("no template text " + key);
    }
    Matcher m = PLACEHOLDER.matcher(text);
    StringBuilder out = new StringBuilder(text.length() + 32);
    while (m.find()) {
      Object value = vars.get(m.group(1));
      if (value == null) {
        throw new IllegalArgumentException(origins.get(key) + ": " + key + " uses {" + m.group(1) + "}, which is not given here");
      }
      m.appendReplacement(out, Matcher.quoteReplacement(value.toString()));
    }
    return m.appendTail(out).toString();
  }

  /** The text under {@code key}, which takes no placeholders. */
  public String text(String key) {
    return render(key, Map.of());
  }

  /** The list of texts under {@code key}. */
  public List<String> list(String key) {
    if (!(values.get(key) instanceof List<?> list)) {
      throw new IllegalArgumentException("no template list " + key);
    }
    return list.stream().map(String.class::cast).toList();
  }

  /** Every key, sorted, for listing what can be edited. */
  public Collection<String> keys() {
    return new TreeMap<>(values).keySet();
  }
}
