package kefu.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** kb-check and kb-import as operations staff run them: exit codes and what they print. */
class KbCommandsTest {
  @TempDir Path dir;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @Test
  void kbCheckOfTheSampleIsClean() {
    assertThat(kefu("kb-check", "knowledge-base")).isEqualTo(0);
    assertThat(out.toString()).startsWith("knowledge-base: ").contains("entries").contains("no problems");
  }

  @Test
  void kbCheckPrintsEveryProblemAndExitsOne() throws IOException {
    write("a.yaml", "topic: A\nentries:\n  - id: a\n    question: 问\n  - id: a\n    question: 问\n    answer: 答\n");

    assertThat(kefu("kb-check", dir.toString())).isEqualTo(1);
    Path a = dir.resolve("a.yaml");
    assertThat(out.toString().lines()).containsExactly(
        a + ":3: entry a has no answer",
        a + ":5: duplicate id \"a\", also at " + a + ":3",
        a + ":6: question \"问\" is also in entry a at " + a + ":4",
        "3 problems");
  }

  @Test
  void kbImportOfAGoodFileExitsZero() throws IOException {
    Path csv = write("faq.csv", "问题,答案,分类\n能分期吗,可以。,价格\n");

    assertThat(kefu("kb-import", csv.toString(), "--out", dir.resolve("kb").toString())).isEqualTo(0);
    assertThat(out.toString().lines()).containsExactly(
        csv + " (CSV, UTF-8): 1 row, 1 imported, 0 rejected",
        "  " + dir.resolve("kb/import-jia-ge.yaml") + ": 1 entry (价格)");
    assertThat(err.toString()).isEmpty();
  }

  @Test
  void kbImportWithRejectedRowsWritesTheRestAndExitsOne() throws IOException {
    Path csv = write("faq.csv", "问题,答案,备注\n能分期吗,可以。,\n,没有问题,\n");

    assertThat(kefu("kb-import", csv.toString(), "--out", dir.resolve("kb").toString())).isEqualTo(1);
    assertThat(out.toString().lines()).containsExactly(
        csv + " (CSV, UTF-8): 2 rows, 1 imported, 1 rejected",
        "  " + dir.resolve("kb/import-wei-fen-lei.yaml") + ": 1 entry (未分类)",
        csv + ":1: note: column 3, \"备注\", is not imported",
        csv + ":3: 问题 is empty");
    assertThat(dir.resolve("kb/import-wei-fen-lei.yaml")).exists();
  }

  @Test
  void kbImportOfAnUnusableFileExitsTwo() throws IOException {
    Path csv = write("faq.csv", "question,answer\n能分期吗,可以。\n");

    assertThat(kefu("kb-import", csv.toString(), "--out", dir.resolve("kb").toString())).isEqualTo(2);
    assertThat(err.toString()).startsWith("kb-import: " + csv + ":1: the header row has no column 问题")
        .endsWith("kb-import: nothing imported" + System.lineSeparator());
    assertThat(dir.resolve("kb")).doesNotExist();
  }

  @Test
  void kbImportReplacesItsOwnFilesOnlyWithForce() throws IOException {
    Path csv = write("faq.csv", "问题,答案\n能分期吗,可以。\n");
    String kb = dir.resolve("kb").toString();
    assertThat(kefu("kb-import", csv.toString(), "--out", kb)).isEqualTo(0);

    assertThat(kefu("kb-import", csv.toString(), "--out", kb)).isEqualTo(2);
    assertThat(err.toString()).contains("import-wei-fen-lei.yaml: exists already; import with --force to replace it");

    assertThat(kefu("kb-import", csv.toString(), "--out", kb, "--force")).isEqualTo(0);
  }

  private int kefu(String... args) {
    out.getBuffer().setLength(0);
    err.getBuffer().setLength(0);
    return new CommandLine(new KefuCommand()).setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true)).execute(args);
  }

  private Path write(String name, String text) throws IOException {
    return Files.writeString(dir.resolve(name), text, StandardCharsets.UTF_8);
  }
}
