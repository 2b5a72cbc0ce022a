package kefu.kb.eval;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A business's own question set: a tab-separated file with a header, {@code question}, {@code entry} (the id of
 * the entry that answers it, or {@code -} when none does) and optionally {@code part}, as in
 * {@code bench/sample-kb/questions.tsv}.
 */
public final class QuestionFile {
  /** The entry column's mark for a question no entry answers. */
  public static final String NONE = "-";

  /** One labelled question; {@code expectedId} null when out of scope. */
  public record Labelled(String text, String expectedId, String part) {}

  private QuestionFile() {}

  /** Reads the file; a malformed line or an entry id not in {@code ids} is an error naming file and line. */
  public static List<Labelled> read(Path file, Set<String> ids) throws IOException {
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    if (lines.isEmpty()) {
      throw new IOException(file + ": empty; expected a header line: question<TAB>entry");
    }
    List<String> header = List.of(lines.get(0).replace("\uFEFF", "").split("\t", -1));
    int question = header.indexOf("question");
    int entry = header.indexOf("entry");
    int part = header.indexOf("part");
    if (question < 0 || entry < 0) {
      throw new IOException(file + ":1: the header must name the columns question and entry");
    }
    List<Labelled> labelled = new ArrayList<>();
    for (int i = 1; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.isBlank()) {
        continue;
      }
      String[] cells = line.split("\t", -1);
      if (cells.length != header.size() || cells[question].isBlank() || cells[entry].isBlank()) {
        throw new IOException(file + ":" + (i + 1) + ": expected " + header.size() + " tab-separated columns with a question and an entry");
      }
      String id = cells[entry].strip();
      if (!id.equals(NONE) && !ids.contains(id)) {
        throw new IOException(file + ":" + (i + 1) + ": entry " + id + " is not in the knowledge base");
      }
      labelled.add(new Labelled(cells[question].strip(), id.equals(NONE) ? null : id, part < 0 ? "" : cells[part].strip()));
    }
    return labelled;
  }
}
