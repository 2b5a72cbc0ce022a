package kefu.kb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KnowledgeBaseLoaderTest {
  @TempDir Path dir;

  private static final String GOOD = """
      topic: 价格
      entries:
        - id: price-a
          question: 婚纱照多少钱?
          similar:
            - 价格表
          answer: |
            您好,套系 3999 元起。
            详情请看门市公示。
          tags: [价格]
        - id: price-b
          question: 能分期吗
          answer: 可以的。
          handoff: true
          valid_until: 2027-02-28
      """;

  @Test
  void theSampleKnowledgeBaseLoadsClean() throws Exception {
    KnowledgeBase kb = KnowledgeBaseLoader.load(Path.of("knowledge-base"));

    assertThat(kb.entries()).hasSizeGreaterThanOrEqualTo(60);
    assertThat(kb.synonymGroups()).isNotEmpty().allSatisfy(group -> assertThat(group).hasSizeGreaterThanOrEqualTo(2));
    assertThat(kb.entries()).extracting(Entry::id).doesNotHaveDuplicates();
    assertThat(kb.entries()).filteredOn(e -> e.validUntil().isPresent()).isNotEmpty();
    assertThat(kb.entries()).filteredOn(Entry::handoff).isNotEmpty();
  }

  @Test
  void readsEveryField() throws Exception {
    write("price.yaml", GOOD);

    KnowledgeBase kb = KnowledgeBaseLoader.load(dir);

    Entry a = kb.entries().get(0);
    assertThat(a.id()).isEqualTo("price-a");
    assertThat(a.topic()).isEqualTo("价格");
    assertThat(a.questions()).containsExactly("婚纱照多少钱?", "价格表");
    assertThat(a.answer()).isEqualTo("您好,套系 3999 元起。\n详情请看门市公示。");
    assertThat(a.tags()).containsExactly("价格");
    assertThat(a.handoff()).isFalse();
    assertThat(a.validUntil()).isEmpty();
    assertThat(a.source()).isEqualTo(new Entry.Source(dir.resolve("price.yaml"), 3));
    Entry b = kb.entries().get(1);
    assertThat(b.similar()).isEmpty();
    assertThat(b.handoff()).isTrue();
    assertThat(b.validUntil()).contains(LocalDate.of(2027, 2, 28));
    assertThat(b.validOn(LocalDate.of(2027, 2, 28))).isTrue();
    assertThat(b.validOn(LocalDate.of(2027, 3, 1))).isFalse();
    assertThat(b.source().line()).isEqualTo(11);
    assertThat(kb.synonymGroups()).isEmpty();
  }

  @Test
  void filesAreReadInNameOrder() throws Exception {
    write("b.yaml", "topic: B\nentries:\n  - id: b\n    question: 问b\n    answer: 答\n");
    write("a.yaml", "topic: A\nentries:\n  - id: a\n    question: 问a\n    answer: 答\n");
    write(".a.yaml.partial", "not read");
    write("notes.md", "not read");

    assertThat(KnowledgeBaseLoader.load(dir).entries()).extracting(Entry::id).containsExactly("a", "b");
  }

  @Test
  void aDuplicateIdNamesBothPlaces() throws IOException {
    write("a.yaml", "topic: A\nentries:\n  - id: same\n    question: 问一\n    answer: 答\n");
    write("b.yaml", "topic: B\nentries:\n  - id: other\n    question: 问二\n    answer: 答\n\n  - id: same\n    question: 问三\n    answer: 答\n");

    assertThat(problems()).containsExactly(
        new Problem(dir.resolve("b.yaml"), 7, "duplicate id \"same\", also at " + dir.resolve("a.yaml") + ":3"));
  }

  @Test
  void emptyOrMissingQuestionAndAnswerAreNamed() throws IOException {
    write("a.yaml", """
        topic: A
        entries:
          - id: one
            question: ""
            answer: 答
          - id: two
            question: 问二
            answer:
          - id: three
            answer: 答
        """);

    assertThat(problems()).containsExactly(
        new Problem(dir.resolve("a.yaml"), 4, "question is empty"),
        new Problem(dir.resolve("a.yaml"), 8, "answer is empty"),
        new Problem(dir.resolve("a.yaml"), 9, "entry three has no question"));
  }

  @Test
  void theSameQuestionInTwoEntriesNamesBothPlaces() throws IOException {
    write("a.yaml", "topic: A\nentries:\n  - id: a\n    question: 能 分期吗?\n    similar:\n      - 可以刷卡吗\n    answer: 答\n");
    write("b.yaml", """
        topic: B
        entries:
          - id: b
            question: "能 \t 分期吗 ？！"
            answer: 答
          - id: c
            question: 可以刷卡吗
            answer: 答
        """);
    Path a = dir.resolve("a.yaml");
    Path b = dir.resolve("b.yaml");

    assertThat(problems()).containsExactly(
        new Problem(b, 4, "question \"能 \t 分期吗 ？！\" is also in entry a at " + a + ":4"),
        new Problem(b, 7, "question \"可以刷卡吗\" is also in entry a at " + a + ":6 (as a similar question)"));
  }

  @Test
  void aSimilarQuestionRepeatedInOneEntryIsAnError() throws IOException {
    write("a.yaml", "topic: A\nentries:\n  - id: a\n    question: 能分期吗\n    similar:\n      - 分期\n      - 分期!\n      - 能分期吗?\n    answer: 答\n");

    assertThat(problems()).containsExactly(
        new Problem(dir.resolve("a.yaml"), 7, "similar question \"分期!\" repeats \"分期\" of the same entry (line 6)"),
        new Problem(dir.resolve("a.yaml"), 8, "similar question \"能分期吗?\" repeats \"能分期吗\" of the same entry (line 4)"));
  }

  @Test
  void anUnknownFieldIsNamed() throws IOException {
    write("a.yaml", "topic: A\nowner: 张三\nentries:\n  - id: a\n    question: 问\n    answr: 答\n    answer: 答\n");

    assertThat(problems()).containsExactly(
        new Problem(dir.resolve("a.yaml"), 2, "unknown field \"owner\"; a topic file has only topic and entries"),
        new Problem(dir.resolve("a.yaml"), 6,
            "unknown field \"answr\"; an entry has only id, question, similar, answer, tags, handoff, valid_until"));
  }

  @Test
  void badYamlIsReportedAtItsLine() throws IOException {
    write("a.yaml", "topic: A\nentries:\n  - id: a\n    question: 问: 答\n    answer: 答\n");

    List<Problem> problems = problems();

    assertThat(problems).hasSize(1);
    assertThat(problems.get(0).file()).isEqualTo(dir.resolve("a.yaml"));
    assertThat(problems.get(0).line()).isEqualTo(4);
    assertThat(problems.get(0).message()).startsWith("not valid YAML: mapping values are not allowed");
  }

  @Test
  void aBadDateAndANonBooleanHandoffAreReported() throws IOException {
    write("a.yaml", """
        topic: A
        entries:
          - id: a
            question: 问一
            answer: 答
            valid_until: 2027-02-30
          - id: b
            question: 问二
            answer: 答
            valid_until: 下个月
            handoff: 是
        """);

    assertThat(problems()).containsExactly(
        new Problem(dir.resolve("a.yaml"), 6, "valid_until must be a date like 2027-02-28, not \"2027-02-30\""),
        new Problem(dir.resolve("a.yaml"), 10, "valid_until must be a date like 2027-02-28, not \"下个月\""),
        new Problem(dir.resolve("a.yaml"), 11, "handoff must be true or false, not \"是\""));
  }

  @Test
  void idsMayOnlyHaveLowerCaseLettersDigitsAndHyphens() throws IOException {
    write("a.yaml", "topic: A\nentries:\n  - id: Price_1\n    question: 问\n    answer: 答\n  - question: 问二\n    answer: 答\n");

    assertThat(problems()).containsExactly(
        new Problem(dir.resolve("a.yaml"), 3, "id \"Price_1\" may only have the characters a-z, 0-9 and -"),
        new Problem(dir.resolve("a.yaml"), 6, "the entry has no id"));
  }

  @Test
  void theWrongShapeIsReported() throws IOException {
    write("a.yaml", "- id: a\n  question: 问\n");
    write("b.yaml", "topic: B\nentries:\n  id: b\n");
    write("c.yaml", "topic: C\nentries:\n  - id: c\n    question: 问\n    similar: 别的问法\n    answer: [答]\n");
    write("d.yaml", "# nothing yet\n");

    assertThat(problems()).containsExactly(
        new Problem(dir.resolve("a.yaml"), 1, "expected topic: and entries: at the top, found a list"),
        new Problem(dir.resolve("b.yaml"), 2, "entries must be a list of entries, each starting with - id:"),
        new Problem(dir.resolve("c.yaml"), 5, "similar must be a list of questions, one per line starting with -"),
        new Problem(dir.resolve("c.yaml"), 6, "answer must be text, found a list"),
        new Problem(dir.resolve("d.yaml"), 1, "the file is empty; a topic file has topic: and entries:"));
  }

  @Test
  void aWordInTwoSynonymGroupsIsReportedAtItsLine() throws IOException {
    write("a.yaml", GOOD);
    write("synonyms.txt", "# 同义词\n\n价格 价钱 收费\n定金 订金  # 注释\n收费 费用\n孤单\n");
    Path synonyms = dir.resolve("synonyms.txt");

    assertThat(problems()).containsExactly(
        new Problem(synonyms, 5, "\"收费\" is already in the group on line 3; a word may be in only one group"),
        new Problem(synonyms, 6, "the group \"孤单\" has one word; a group is the standard word and at least one synonym"));
  }

  @Test
  void synonymGroupsAreRead() throws Exception {
    write("a.yaml", GOOD);
    write("synonyms.txt", "\uFEFF# 同义词\n价格 价钱\u3000收费\r\n定金 订金 # 注释\n");

    assertThat(KnowledgeBaseLoader.load(dir).synonymGroups())
        .containsExactly(List.of("价格", "价钱", "收费"), List.of("定金", "订金"));
  }

  @Test
  void everyProblemIsCollectedAndTheMessageShowsTheFirst() throws IOException {
    write("a.yaml", "topic: A\nentries:\n  - id: a\n    question: 问\n  - id: b\n    answer: 答\n");
    write("b.yaml", "topic: [B]\nentries: []\n");

    KnowledgeBaseException e = catchThrowableOfType(KnowledgeBaseException.class, () -> KnowledgeBaseLoader.load(dir));

    assertThat(e.problems()).hasSize(3);
    assertThat(e.getMessage()).startsWith("3 problems in the knowledge base:\n  " + dir.resolve("a.yaml") + ":3: entry a has no answer");
  }

  @Test
  void aMissingOrEmptyDirectoryIsAnError() throws IOException {
    assertThatThrownBy(() -> KnowledgeBaseLoader.load(dir.resolve("nothing")))
        .isInstanceOf(KnowledgeBaseException.class)
        .hasMessageContaining(dir.resolve("nothing") + ": the knowledge base directory does not exist");
    assertThatThrownBy(() -> KnowledgeBaseLoader.load(dir))
        .hasMessageContaining(dir + ": no topic files (*.yaml) in the knowledge base directory");
    write("synonyms.txt", "价格 价钱\n");
    write("faq.yml", GOOD);
    assertThat(problems()).containsExactly(
        new Problem(dir, 0, "no topic files (*.yaml) in the knowledge base directory"),
        new Problem(dir.resolve("faq.yml"), 0, "topic files end in .yaml; rename it so it is read"));
  }

  @Test
  void aFileOverTheSizeLimitIsNotParsed() throws IOException {
    write("a.yaml", GOOD);
    write("huge.yaml", "#".repeat((int) TextFile.MAX_BYTES + 1));

    assertThat(problems()).extracting(Problem::toString)
        .containsExactly(dir.resolve("huge.yaml") + ": 5.0 MB is over the limit of 5 MB for one file; split it into several files");
  }

  @Test
  void aFileNotInUtf8IsReportedAtTheLineOfTheFirstBadByte() throws IOException {
    Files.write(dir.resolve("a.yaml"), "topic: 价格\nentries:\n  - id: a\n    question: 多少钱\n    answer: 答\n"
        .getBytes(Charset.forName("GBK")));

    assertThat(problems()).containsExactly(
        new Problem(dir.resolve("a.yaml"), 1, "not UTF-8 text; save the file with the encoding UTF-8"));
  }

  @Test
  void theFingerprintFollowsTheContentNotTheLayout() throws Exception {
    write("a.yaml", GOOD);
    String before = KnowledgeBaseLoader.load(dir).fingerprint();

    write("a.yaml", "# 价格\n\n" + GOOD);
    assertThat(KnowledgeBaseLoader.load(dir).fingerprint()).isEqualTo(before);

    write("a.yaml", GOOD.replace("3999", "4999"));
    assertThat(KnowledgeBaseLoader.load(dir).fingerprint()).isNotEqualTo(before).hasSize(64);
  }

  @Test
  void anEntryShowsOnlyItsId() {
    Entry entry = new Entry("a", "话题", "客户的问题", List.of(), "答案", List.of(), false, Optional.empty(),
        new Entry.Source(Path.of("a.yaml"), 3));

    assertThat(entry).hasToString("a");
    assertThat(entry.source()).hasToString("a.yaml:3");
  }

  private List<Problem> problems() {
    return catchThrowableOfType(KnowledgeBaseException.class, () -> KnowledgeBaseLoader.load(dir)).problems();
  }

  private void write(String name, String text) throws IOException {
    Files.writeString(dir.resolve(name), text, StandardCharsets.UTF_8);
  }
}
