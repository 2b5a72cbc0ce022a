package kefu.kb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.dhatim.fastexcel.Workbook;
import org.dhatim.fastexcel.Worksheet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KbImporterTest {
  @TempDir Path dir;

  private static final String FAQ = """
      问题,相似问法,答案,分类
      婚纱照多少钱?,"价格多少
      怎么收费",您好，套系 3999 元起。,价格
      能分期吗,花呗|信用卡分期；分几期,"可以的。
      分 3、6 或 12 期。",价格
      几点上班,,每天 9:00–18:00。,
      """;

  /** What an import means, without where it came from. */
  private record Content(String id, String topic, String question, List<String> similar, String answer) {
    static Content of(Entry e) {
      return new Content(e.id(), e.topic(), e.question(), e.similar(), e.answer());
    }
  }

  @Test
  void utf8Utf8WithBomAndGbkGiveTheSameEntries() throws Exception {
    byte[] utf8 = FAQ.getBytes(StandardCharsets.UTF_8);
    byte[] bom = new byte[utf8.length + 3];
    bom[0] = (byte) 0xEF;
    bom[1] = (byte) 0xBB;
    bom[2] = (byte) 0xBF;
    System.arraycopy(utf8, 0, bom, 3, utf8.length);

    ImportReport fromUtf8 = importBytes("utf8", utf8);
    ImportReport fromBom = importBytes("bom", bom);
    ImportReport fromGbk = importBytes("gbk", FAQ.getBytes(Charset.forName("GBK")));

    assertThat(fromUtf8.format()).isEqualTo("CSV, UTF-8");
    assertThat(fromBom.format()).isEqualTo("CSV, UTF-8");
    assertThat(fromGbk.format()).isEqualTo("CSV, GB18030");
    List<Content> expected = List.of(
        new Content("jia-ge-c5e1dd54", "价格", "婚纱照多少钱?", List.of("价格多少", "怎么收费"), "您好，套系 3999 元起。"),
        new Content("jia-ge-b5c32b9e", "价格", "能分期吗", List.of("花呗", "信用卡分期", "分几期"), "可以的。\n分 3、6 或 12 期。"),
        new Content("wei-fen-lei-0666a28b", "未分类", "几点上班", List.of(), "每天 9:00–18:00。"));
    assertThat(contents(dir.resolve("utf8/kb"))).containsExactlyInAnyOrderElementsOf(expected);
    assertThat(contents(dir.resolve("bom/kb"))).isEqualTo(contents(dir.resolve("utf8/kb")));
    assertThat(contents(dir.resolve("gbk/kb"))).isEqualTo(contents(dir.resolve("utf8/kb")));
    assertThat(fromGbk.rejected()).isEmpty();
    assertThat(fromGbk.written()).extracting(w -> w.file().getFileName().toString(), ImportReport.WrittenFile::entries)
        .containsExactly(tuple("import-jia-ge.yaml", 2),
            tuple("import-wei-fen-lei.yaml", 1));
  }

  @Test
  void aQuotedMultiLineCellKeepsTheLineNumbersOfTheRowsAfterIt() throws Exception {
    Path csv = write("faq.csv", "问题,相似问法,答案\r\n"
        + "能开发票吗,\"开票\r\n发票怎么开\n\n电子发票\",可以。\r\n"
        + "\r\n"
        + ",,没有问题\r\n");

    ImportReport report = KbImporter.importFile(csv, dir.resolve("kb"), false);

    assertThat(KnowledgeBaseLoader.load(dir.resolve("kb")).entries().get(0).similar())
        .containsExactly("开票", "发票怎么开", "电子发票");
    assertThat(report.rejected()).containsExactly(new Problem(csv, 7, "问题 is empty"));
  }

  @Test
  void aRowWithMoreCellsThanTheHeaderIsRefusedWithItsLineAndWhy() throws Exception {
    // An answer with an unquoted comma: its second half would become the topic.
    Path csv = write("faq.csv", "问题,答案,分类\r\n"
        + "能开发票吗,可以。,发票\r\n"
        + "能便宜点吗,您好,可以的,价格\r\n"
        + "几点上班,每天 9:00–18:00。,,\r\n");

    ImportReport report = KbImporter.importFile(csv, dir.resolve("kb"), false);

    assertThat(report.rejected()).containsExactly(new Problem(csv, 3,
        "the row has 4 cells, the header row 3; a cell with a comma in it needs double quotes around it, like \"您好,可以的\""));
    assertThat(KnowledgeBaseLoader.load(dir.resolve("kb")).entries()).extracting(Entry::question, Entry::topic)
        .containsExactlyInAnyOrder(tuple("能开发票吗", "发票"), tuple("几点上班", "未分类"));
  }

  @Test
  void anXlsxWorkbookIsReadWhateverItsName() throws Exception {
    Path file = dir.resolve("faq.csv");
    try (OutputStream out = Files.newOutputStream(file)) {
      Workbook workbook = new Workbook(out, "kefu-test", "1.0");
      Worksheet sheet = workbook.newWorksheet("常见问题");
      List<List<String>> rows = List.of(
          List.of("分类", "答案", "问题", "备注", "相似问法"),
          List.of("价格", "您好，套系 3999 元起。", "婚纱照多少钱?", "老板定的", "价格多少\n怎么收费"),
          List.of(),
          List.of("价格", "", "能分期吗", "", ""),
          List.of("", "每天 9:00–18:00。", "几点上班", "", ""));
      for (int r = 0; r < rows.size(); r++) {
        for (int c = 0; c < rows.get(r).size(); c++) {
          sheet.value(r, c, rows.get(r).get(c));
        }
      }
      workbook.newWorksheet("草稿").value(0, 0, "不读");
      workbook.finish();
    }

    ImportReport report = KbImporter.importFile(file, dir.resolve("kb"), false);

    assertThat(report.format()).isEqualTo("XLSX");
    assertThat(report.rows()).isEqualTo(3);
    assertThat(report.rejected()).containsExactly(new Problem(file, 4, "答案 is empty"));
    assertThat(report.notes()).containsExactly(
        new Problem(file, 0, "only the first sheet, \"常见问题\", is read; 1 more not"),
        new Problem(file, 1, "column 4, \"备注\", is not imported"));
    assertThat(contents(dir.resolve("kb"))).containsExactlyInAnyOrder(
        new Content("jia-ge-c5e1dd54", "价格", "婚纱照多少钱?", List.of("价格多少", "怎么收费"), "您好，套系 3999 元起。"),
        new Content("wei-fen-lei-0666a28b", "未分类", "几点上班", List.of(), "每天 9:00–18:00。"));
  }

  @Test
  void rejectedRowsAreReportedWithTheirLinesAndReasonsAndTheGoodRowsAreWritten() throws Exception {
    Files.createDirectories(dir.resolve("kb"));
    write("kb/general.yaml", "topic: 通用\nentries:\n  - id: general-human\n    question: 人工客服怎么联系?\n"
        + "    similar:\n      - 转人工\n    answer: 回复“人工”。\n");
    Path csv = write("faq.csv", String.join("\r\n",
        "问题,相似问法,答案,分类",
        "婚纱照多少钱?,\"价格多少",
        "怎么收费\",3999 元起。,价格",
        ",,没有问题的答案,价格",
        "能分期吗,,,价格",
        "婚纱照多少钱？,,重复的问题,价格",
        "怎么收费呢,价格多少!,相似问法重复,价格",
        "我要转人工,转人工,和知识库重复,",
        "问".repeat(201) + "," + "长".repeat(201) + "," + "答".repeat(4001) + ",",
        "几点上班,几点上班?|上班时间,每天 9:00–18:00。,",
        ""));

    ImportReport report = KbImporter.importFile(csv, dir.resolve("kb"), false);

    assertThat(report.rows()).isEqualTo(8);
    assertThat(report.rejected()).extracting(Problem::toString).containsExactly(
        csv + ":4: 问题 is empty",
        csv + ":5: 答案 is empty",
        csv + ":6: 问题 \"婚纱照多少钱？\" is already on line 2",
        csv + ":7: 相似问法 \"价格多少!\" is already on line 2",
        csv + ":8: 相似问法 \"转人工\" is already in the knowledge base, entry general-human at " + dir.resolve("kb/general.yaml") + ":3",
        csv + ":9: 问题 has 201 characters, more than 200; 相似问法 \"" + "长".repeat(20) + "…\" has 201 characters, more than 200;"
            + " 答案 has 4001 characters, more than 4000");
    assertThat(report.notes()).containsExactly(new Problem(csv, 10, "相似问法 \"几点上班?\" repeats a question of the same row; imported once"));
    assertThat(contents(dir.resolve("kb"))).extracting(Content::question)
        .containsExactly("人工客服怎么联系?", "婚纱照多少钱?", "几点上班");
    assertThat(report.problemsAfter()).isEmpty();
  }

  @Test
  void importedYamlRoundTripsThroughTheLoaderAndReadsWell() throws Exception {
    Path csv = write("faq.csv", String.join("\n",
        "问题,相似问法,答案,分类",
        "true,no|- 开头|#井号|'引号',\"第一行  ",
        "  缩进的第二行: 有冒号 # 和井号",
        "\"\"双引号\"\"\",Q&A",
        "是: 吗,2027-02-28,答案,Q&A",
        ""));

    ImportReport report = KbImporter.importFile(csv, dir.resolve("kb"), false);

    assertThat(report.problemsAfter()).isEmpty();
    assertThat(contents(dir.resolve("kb"))).containsExactly(
        new Content("q-a-f32202dc", "Q&A", "true", List.of("no", "- 开头", "#井号", "'引号'"),
            "第一行\n  缩进的第二行: 有冒号 # 和井号\n\"双引号\""),
        new Content("q-a-630f6c15", "Q&A", "是: 吗", List.of("2027-02-28"), "答案"));
    String yaml = Files.readString(dir.resolve("kb/import-q-a.yaml"), StandardCharsets.UTF_8);
    assertThat(yaml)
        .startsWith("# 由 kefu kb-import 从 faq.csv 导入。\n")
        .contains("topic: Q&A\nentries:\n  - id: q-a-f32202dc\n    question: 'true'\n    similar:\n      - 'no'\n")
        .contains("    answer: |\n      第一行\n        缩进的第二行: 有冒号 # 和井号\n      \"双引号\"\n\n  - id: q-a-630f6c15\n");
  }

  @Test
  void importingTheSameFileAgainGivesTheSameIds() throws Exception {
    Path csv = write("faq.csv", FAQ);
    KbImporter.importFile(csv, dir.resolve("kb"), false);
    List<Content> first = contents(dir.resolve("kb"));
    String firstYaml = Files.readString(dir.resolve("kb/import-jia-ge.yaml"));

    ImportException refused = catchThrowableOfType(ImportException.class,
        () -> KbImporter.importFile(csv, dir.resolve("kb"), false));
    assertThat(refused.problem()).isEqualTo(
        new Problem(dir.resolve("kb/import-jia-ge.yaml"), 0, "exists already; import with --force to replace it"));

    ImportReport again = KbImporter.importFile(csv, dir.resolve("kb"), true);
    assertThat(again.rejected()).isEmpty();
    assertThat(contents(dir.resolve("kb"))).isEqualTo(first);
    assertThat(Files.readString(dir.resolve("kb/import-jia-ge.yaml"))).isEqualTo(firstYaml);

    List<String> lines = FAQ.lines().toList();
    write("faq.csv", String.join("\n", lines.get(0), lines.get(5), lines.get(3), lines.get(4), lines.get(1), lines.get(2)));
    KbImporter.importFile(csv, dir.resolve("kb"), true);
    assertThat(contents(dir.resolve("kb"))).containsExactlyInAnyOrderElementsOf(first);
    assertThat(first).extracting(Content::id).allMatch(id -> id.matches("[a-z0-9-]+"));
  }

  @Test
  void aFileThatCannotBeUsedSaysWhy() throws IOException {
    Path csv = write("faq.csv", "\n问题,相似问法,回答\n能分期吗,,可以\n");
    assertThat(unusable(csv)).hasToString(csv + ":2: the header row has no column 答案; it needs 问题 and 答案, and may have"
        + " 相似问法 and 分类 (found: 问题, 相似问法, 回答)");

    write("faq.csv", "问题,答案,问题\n能分期吗,可以,\n");
    assertThat(unusable(csv)).hasToString(csv + ":1: the column 问题 is there twice (columns 1 and 3)");

    write("faq.csv", "问题,答案\n,\n");
    assertThat(unusable(csv)).hasToString(csv + ":1: no rows under the header row");

    write("faq.csv", "");
    assertThat(unusable(csv)).hasToString(csv + ": the file is empty");

    write("faq.csv", "问题,答案\n\"能分期吗,可以\n");
    assertThat(unusable(csv).message()).startsWith("not valid CSV: ");

    Files.write(csv, new byte[] {(byte) 0xD0, (byte) 0xCF, 0x11, (byte) 0xE0, (byte) 0xA1, (byte) 0xB1, 0x1A, (byte) 0xE1, 0});
    assertThat(unusable(csv).message()).startsWith("an Excel 97-2003 workbook (.xls)");

    Files.write(csv, new byte[] {'P', 'K', 3, 4, 0, 0});
    assertThat(unusable(csv).message()).startsWith("not a workbook that can be read (.xlsx)");

    assertThat(unusable(dir.resolve("missing.csv"))).hasToString(dir.resolve("missing.csv") + ": no such file");
  }

  @Test
  void aBrokenKnowledgeBaseIsNotImportedInto() throws IOException {
    Files.createDirectories(dir.resolve("kb"));
    write("kb/a.yaml", "topic: A\nentries:\n  - id: a\n");
    Path csv = write("faq.csv", FAQ);

    Problem problem = unusable(csv);

    assertThat(problem.file()).isEqualTo(dir.resolve("kb"));
    assertThat(problem.message()).startsWith("the knowledge base here has problems; fix them first")
        .contains(dir.resolve("kb/a.yaml") + ":3: entry a has no question");
    assertThat(dir.resolve("kb/import-jia-ge.yaml")).doesNotExist();
  }

  private Problem unusable(Path file) {
    return catchThrowableOfType(ImportException.class, () -> KbImporter.importFile(file, dir.resolve("kb"), false)).problem();
  }

  private ImportReport importBytes(String name, byte[] bytes) throws Exception {
    Path sub = Files.createDirectories(dir.resolve(name));
    Path csv = Files.write(sub.resolve("faq.csv"), bytes);
    return KbImporter.importFile(csv, sub.resolve("kb"), false);
  }

  private static List<Content> contents(Path kb) throws KnowledgeBaseException {
    return KnowledgeBaseLoader.load(kb).entries().stream().map(Content::of).toList();
  }

  private Path write(String name, String text) throws IOException {
    return Files.writeString(dir.resolve(name), text, StandardCharsets.UTF_8);
  }
}
