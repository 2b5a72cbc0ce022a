package kefu.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import kefu.config.ConfigException;
import kefu.kb.ImportException;
import kefu.kb.ImportReport;
import kefu.kb.KbImporter;
import kefu.kb.Problem;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code kefu kb-import FILE}: turns a CSV or XLSX sheet of questions and answers into topic files. */
@Command(
    name = "kb-import",
    mixinStandardHelpOptions = true,
    description = {
        "Import questions and answers from a CSV or XLSX file with the columns 问题, 相似问法, 答案 and 分类",
        "into topic files import-<topic>.yaml, one per 分类.",
        "Exit 0 if every row was imported, 1 if rows were rejected (the others are written),",
        "2 if the file cannot be used (nothing is written)."})
public final class KbImportCommand implements Callable<Integer> {
  static final int IMPORTED = 0;
  static final int ROWS_REJECTED = 1;
  static final int UNUSABLE = 2;

  @Parameters(paramLabel = "FILE", description = "the CSV or XLSX file")
  Path file;

  @Option(names = "--out", paramLabel = "DIR", description = "where to write (default: kb.dir of the configuration)")
  Path outDir;

  @Option(names = "--force", description = "replace topic files written by an earlier import")
  boolean force;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Path dir;
    try {
      dir = KnowledgeBaseDir.orConfigured(outDir);
    } catch (ConfigException e) {
      err.println("kefu: configuration error: " + e.getMessage());
      return UNUSABLE;
    }
    ImportReport report;
    try {
      report = KbImporter.importFile(file, dir, force);
    } catch (ImportException e) {
      err.println("kb-import: " + e.getMessage());
      err.println("kb-import: nothing imported");
      return UNUSABLE;
    }
    out.println(report.file() + " (" + report.format() + "): " + Counts.of(report.rows(), "row", "rows") + ", "
        + report.entriesWritten() + " imported, " + report.rejected().size() + " rejected");
    for (ImportReport.WrittenFile written : report.written()) {
      out.println("  " + written.file() + ": " + Counts.of(written.entries(), "entry", "entries") + " (" + written.topic() + ")");
    }
    for (Problem note : report.notes()) {
      out.println(labelled(note, "note"));
    }
    report.rejected().forEach(out::println);
    if (!report.problemsAfter().isEmpty()) {
      out.println("The knowledge base in " + dir + " does not load after the import:");
      report.problemsAfter().forEach(out::println);
    }
    return report.rejected().isEmpty() && report.problemsAfter().isEmpty() ? IMPORTED : ROWS_REJECTED;
  }

  /** {@code file:line: label: message}, the way compilers mark what is not an error. */
  private static String labelled(Problem problem, String label) {
    return new Problem(problem.file(), problem.line(), label + ": " + problem.message()).toString();
  }
}
