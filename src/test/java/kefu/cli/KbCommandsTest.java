package kefu.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import kefu.kb.AnswerRule;
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
  void kbCheckWarnsOfHalfWidthPunctuationInChineseTextButExitsZero() throws IOException {
    // Proves: half-width ,.!?:; against Chinese text is a warning naming file and line; numbers, times, Latin text,
    // YAML's own commas and comments are not; the sample knowledge base has none.
    write("a.yaml", """
        topic: 预约
        entries:
          - id: a
            question: 怎么预约?
            similar: [预约方式, 怎么约]
            answer: |
              您好,请拨打 400-800-1234。
              门市每天 9:00–18:00 营业，套系 3,999 元起，详见 www.example.com.
              您好，欢迎光临！
          # 注释里的标点不管,
          - id: b
            question: 营业时间
            answer: "请留言:我们会回复您!"
        """);

    assertThat(kefu("kb-check", dir.toString())).isEqualTo(0);
    Path a = dir.resolve("a.yaml");
    assertThat(out.toString().lines()).containsExactly(
        a + ":4: warning: half-width \"?\" next to Chinese text; write \"？\"",
        a + ":7: warning: half-width \",\" next to Chinese text; write \"，\"",
        a + ":13: warning: half-width \":\" \"!\" next to Chinese text; write \"：\" \"！\"",
        dir + ": 2 entries, 0 synonym groups, no problems, 3 warnings");

    assertThat(kefu("kb-check", "knowledge-base")).isEqualTo(0);
    assertThat(out.toString()).doesNotContain("warning");
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

  @Test
  void kbThresholdsShowsWhatEachAnswerThresholdWouldAnswer() throws IOException {
    write("a.yaml", THREE_ENTRIES);

    assertThat(kefu("kb-thresholds", dir.toString())).isEqualTo(0);
    String configured = String.format(Locale.ROOT, "%.3f", AnswerRule.shipped(true).answer());
    assertThat(out.toString())
        .contains(dir + ": 3 entries, sentence vectors on")
        .contains("in scope: 9 similar questions, each asked of the rest of the knowledge base")
        .contains("out of scope: 12 questions, each asked with its own entry left out")
        .containsPattern("(?m)^0\\.500 +\\d+\\.\\d %")
        .containsPattern("(?m)^" + configured.replace(".", "\\.") + " .*<- configured \\(kb.answer-threshold\\)$")
        .containsPattern("(?m)^(Lowest answer threshold with 90\\.0 % of all answers right: \\d\\.\\d{3}"
            + "|No answer threshold gets 90\\.0 % of all answers right: the bot should suggest rather than answer\\.)$");
  }

  @Test
  void kbThresholdsWithQuestionsFitsTheAnswerRuleOnThemAndWritesIt() throws IOException {
    write("a.yaml", THREE_ENTRIES);
    Path questions = write("questions.tsv", """
        question	entry	part
        婚纱照去哪里预约	booking	manuals
        我想约拍婚纱	booking	manuals
        怎么约时间拍照	booking	kb
        打印机坏了保修吗	warranty	manuals
        保修是一年吗	warranty	kb
        机器保几年	warranty	kb
        能不能开票	invoice	manuals
        专票可以开吗	invoice	kb
        开发票要提供什么	invoice	kb
        你们卖手机吗	-	manuals
        今天天气怎么样	-	kb
        """);
    Path rule = dir.resolve("rule.properties");

    assertThat(kefu("kb-thresholds", dir.toString(), "--questions", questions.toString(), "--write", rule.toString())).isEqualTo(0);
    assertThat(out.toString())
        .contains("Held out: each fold's questions measured with the rule fitted on the other folds")
        .containsPattern("(?m)^manuals +4 ")
        .containsPattern("(?m)^all +9 .* 2 +\\d")
        .contains("Fitted on all of them: answer ")
        .contains("Written to " + rule);
    assertThat(Files.readString(rule)).contains("answer=").contains("answer-lead=").contains("suggest-within=");
  }

  @Test
  void kbThresholdsNamesTheLineOfAQuestionWhoseEntryIsNotInTheKnowledgeBase() throws IOException {
    write("a.yaml", THREE_ENTRIES);
    Path questions = write("questions.tsv", "question\tentry\n怎么约\tbooking\n会员卡怎么办\tmember\n");

    assertThat(kefu("kb-thresholds", dir.toString(), "--questions", questions.toString())).isEqualTo(1);
    assertThat(out.toString()).contains(questions + ":3: entry member is not in the knowledge base");
  }

  @Test
  void kbThresholdsNeedsSimilarQuestionsToHoldOut() throws IOException {
    write("a.yaml", "topic: A\nentries:\n  - id: a\n    question: 问\n    answer: 答\n  - id: b\n    question: 另一问\n    answer: 答\n");

    assertThat(kefu("kb-thresholds", dir.toString())).isEqualTo(1);
    assertThat(out.toString()).contains("needs at least two entries and some similar questions");
  }

  @Test
  void kbThresholdsOfABrokenKnowledgeBaseNamesItsProblemsAndExitsOne() throws IOException {
    write("a.yaml", "topic: A\nentries:\n  - id: a\n    question: 问\n");

    assertThat(kefu("kb-thresholds", dir.toString())).isEqualTo(1);
    assertThat(out.toString()).contains("a.yaml:3: entry a has no answer").contains("1 problem; fix them first (kb-check)");
  }

  private static final String THREE_ENTRIES = """
        topic: 示例
        entries:
          - id: booking
            question: 婚纱照怎么预约?
            similar: [婚纱照要怎么约, 预约拍摄的流程是什么, 想约个拍婚纱照的时间]
            answer: 您好,在公众号菜单或致电门市即可预约。
          - id: warranty
            question: 打印机保修多久?
            similar: [打印机保修期是几年, 机器坏了还在保修期吗, 保修多长时间]
            answer: 您好,整机保修一年。
          - id: invoice
            question: 可以开发票吗?
            similar: [能开专票吗, 发票怎么开, 开票需要什么信息]
            answer: 您好,可以开具增值税普通发票和专用发票。
        """;

  private int kefu(String... args) {
    out.getBuffer().setLength(0);
    err.getBuffer().setLength(0);
    return new CommandLine(new KefuCommand()).setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true)).execute(args);
  }

  private Path write(String name, String text) throws IOException {
    return Files.writeString(dir.resolve(name), text, StandardCharsets.UTF_8);
  }
}
