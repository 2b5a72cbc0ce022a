package kefu.kb;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Finds half-width punctuation against Chinese text in a knowledge base's topic files ("您好,请稍等!"), which
 * customers should read full-width (您好，请稍等！). A warning, not a problem: the entry still works.
 */
public final class HalfWidthPunctuation {
  private static final Map<Character, Character> FULL_WIDTH =
      Map.of(',', '，', '.', '。', '!', '！', '?', '？', ':', '：', ';', '；');

  private HalfWidthPunctuation() {}

  /**
   * One warning per line that has half-width punctuation with a Chinese character right before or after it; not in
   * comments, numbers (9:00, 3,999), Latin text or YAML's own commas (tags: [分期, 付款]: a comma before a space).
   */
  public static List<Problem> in(Path dir) {
    List<Problem> warnings = new ArrayList<>();
    List<Path> files;
    try {
      files = KnowledgeBaseLoader.topicFiles(dir);
    } catch (IOException e) {
      return warnings; // the loader reports a directory it cannot read
    }
    for (Path file : files) {
      Optional<String> text = TextFile.read(file, new ArrayList<>());
      if (text.isEmpty()) {
        continue;
      }
      List<String> lines = text.get().lines().toList();
      for (int i = 0; i < lines.size(); i++) {
        Set<Character> found = halfWidth(lines.get(i));
        if (!found.isEmpty()) {
          warnings.add(new Problem(file, i + 1, "warning: half-width " + shown(found, false) + " next to Chinese text; write "
              + shown(found, true)));
        }
      }
    }
    return warnings;
  }

  /** The half-width marks in {@code line} that stand against Chinese text, in order of appearance. */
  static Set<Character> halfWidth(String line) {
    Set<Character> found = new LinkedHashSet<>();
    if (line.stripLeading().startsWith("#")) {
      return found;
    }
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (!FULL_WIDTH.containsKey(c)) {
        continue;
      }
      int before = i > 0 ? line.codePointBefore(i) : ' ';
      int after = i + 1 < line.length() ? line.codePointAt(i + 1) : ' ';
      boolean yamlComma = c == ',' && Character.isWhitespace(after);
      boolean ellipsis = c == '.' && (before == '.' || after == '.');
      if ((chinese(before) || chinese(after)) && !yamlComma && !ellipsis) {
        found.add(c);
      }
    }
    return found;
  }

  /** A Chinese character, or punctuation that goes with Chinese text (，「」“”). */
  private static boolean chinese(int codePoint) {
    return Character.UnicodeScript.of(codePoint) == Character.UnicodeScript.HAN
        || (codePoint >= 0x3000 && codePoint <= 0x303F) || (codePoint >= 0xFF00 && codePoint <= 0xFFEF)
        || codePoint == '“' || codePoint == '”' || codePoint == '‘' || codePoint == '’';
  }

  private static String shown(Set<Character> marks, boolean fullWidth) {
    return marks.stream().map(c -> "\"" + (fullWidth ? FULL_WIDTH.get(c) : c) + "\"").collect(Collectors.joining(" "));
  }
}
