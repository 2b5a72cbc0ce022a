package kefu.kb;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads {@code synonyms.txt}: one group per line, words separated by whitespace, the first word the standard
 * one; {@code #} starts a comment. A word may be in only one group, and a group needs at least two words.
 */
final class SynonymsReader {
  private static final Pattern WORDS = Pattern.compile("[\\p{javaWhitespace}\\p{Zs}]+");

  private SynonymsReader() {}

  /** The groups of {@code file}, whose content is {@code text}; problems are added to {@code problems}. */
  static List<List<String>> read(Path file, String text, List<Problem> problems) {
    List<List<String>> groups = new ArrayList<>();
    Map<String, Integer> lineOfWord = new HashMap<>();
    String[] lines = text.split("\\R", -1);
    for (int i = 0; i < lines.length; i++) {
      int line = i + 1;
      String content = lines[i].replaceFirst("#.*", "").strip();
      if (content.isEmpty()) {
        continue;
      }
      String[] words = WORDS.split(content);
      if (words.length < 2) {
        problems.add(new Problem(file, line, "the group \"" + content + "\" has one word; a group is the standard word"
            + " and at least one synonym"));
      }
      List<String> group = new ArrayList<>();
      for (String word : words) {
        Integer earlier = lineOfWord.putIfAbsent(word, line);
        if (earlier == null) {
          group.add(word);
        } else if (earlier == line) {
          problems.add(new Problem(file, line, "\"" + word + "\" is twice in this group"));
        } else {
          problems.add(new Problem(file, line, "\"" + word + "\" is already in the group on line " + earlier
              + "; a word may be in only one group"));
        }
      }
      groups.add(List.copyOf(group));
    }
    return groups;
  }
}
