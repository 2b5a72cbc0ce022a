package kefu.kb.eval;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import kefu.kb.QuestionSet;

/**
 * A FAQ-matching set in the tab-separated form of {@code shared/bench}: a FAQ of {@code id<TAB>question} and
 * queries of {@code query<TAB>expected id}.
 */
public record BenchmarkSet(String name, List<QuestionSet> faq, List<Query> queries) {

  /** A customer wording and the entry that answers it. */
  public record Query(String text, String expectedId) {}

  /** Reads the two files; a malformed line or an unknown expected id is an error naming file and line. */
  public static BenchmarkSet read(Path faqFile, Path queriesFile) throws IOException {
    List<QuestionSet> faq = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    List<String[]> faqRows = rows(faqFile);
    for (int i = 0; i < faqRows.size(); i++) {
      String[] row = faqRows.get(i);
      if (!ids.add(row[0])) {
        throw new IOException(faqFile + ":" + (i + 1) + ": id " + row[0] + " appears twice");
      }
      faq.add(new QuestionSet(row[0], List.of(row[1])));
    }
    List<Query> queries = new ArrayList<>();
    List<String[]> queryRows = rows(queriesFile);
    for (int i = 0; i < queryRows.size(); i++) {
      String[] row = queryRows.get(i);
      if (!ids.contains(row[1])) {
        throw new IOException(queriesFile + ":" + (i + 1) + ": expected id " + row[1] + " is not in " + faqFile);
      }
      queries.add(new Query(row[0], row[1]));
    }
    Path parent = faqFile.toAbsolutePath().getParent();
    return new BenchmarkSet(parent == null ? faqFile.toString() : parent.getFileName().toString(), faq, queries);
  }

  private static List<String[]> rows(Path file) throws IOException {
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    List<String[]> rows = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.isBlank()) {
        continue;
      }
      String[] cells = line.split("\t", -1);
      if (cells.length != 2 || cells[0].isBlank() || cells[1].isBlank()) {
        throw new IOException(file + ":" + (i + 1) + ": expected two tab-separated columns");
      }
      rows.add(cells);
    }
    return rows;
  }
}
