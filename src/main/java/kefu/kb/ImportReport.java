package kefu.kb;

import java.nio.file.Path;
import java.util.List;

/**
 * What an import did: the topic files written, the rows rejected and why, and whether the knowledge base
 * loads after it.
 *
 * @param file the file imported
 * @param format what it was read as, like {@code XLSX} or {@code CSV, GB18030}
 * @param rows the rows under the header that are not blank
 * @param written one per topic file written, in file-name order
 * @param rejected one per row not imported, at its line in {@code file}
 * @param notes what was read but not used, like extra columns or a repeated similar question
 * @param problemsAfter problems of the output directory loaded after writing; empty when it loads clean
 */
public record ImportReport(
    Path file,
    String format,
    int rows,
    List<WrittenFile> written,
    List<Problem> rejected,
    List<Problem> notes,
    List<Problem> problemsAfter) {

  /** A topic file written and how many entries it has. */
  public record WrittenFile(Path file, String topic, int entries) {}

  public ImportReport {
    written = List.copyOf(written);
    rejected = List.copyOf(rejected);
    notes = List.copyOf(notes);
    problemsAfter = List.copyOf(problemsAfter);
  }

  /** The entries written in all files. */
  public int entriesWritten() {
    return written.stream().mapToInt(WrittenFile::entries).sum();
  }
}
