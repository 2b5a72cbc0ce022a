package kefu.kb;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TopicFileWriterTest {
  @TempDir Path dir;

  @Test
  void theWholeSampleWrittenAgainLoadsTheSame() throws Exception {
    Path sample = Path.of("knowledge-base");
    KnowledgeBase original = KnowledgeBaseLoader.load(sample);
    Map<Path, List<Entry>> byFile = new LinkedHashMap<>();
    original.entries().forEach(e -> byFile.computeIfAbsent(e.source().file(), f -> new ArrayList<>()).add(e));

    for (Map.Entry<Path, List<Entry>> file : byFile.entrySet()) {
      String text = TopicFileWriter.write(file.getValue().get(0).topic(), file.getValue(), List.of("rewritten"));
      Files.writeString(dir.resolve(file.getKey().getFileName()), text, StandardCharsets.UTF_8);
    }
    Files.copy(sample.resolve(KnowledgeBaseLoader.SYNONYMS_FILE), dir.resolve(KnowledgeBaseLoader.SYNONYMS_FILE));

    assertThat(KnowledgeBaseLoader.load(dir).fingerprint()).isEqualTo(original.fingerprint());
  }

  @Test
  void writesBlockListsLiteralAnswersAndOnlyTheFieldsThatAreSet() {
    Entry plain = new Entry("a", "价格", "多少钱", List.of(), "3999 元。\n详见门市。", List.of(), false, Optional.empty(),
        new Entry.Source(Path.of("x"), 1));
    Entry full = new Entry("b", "价格", "有优惠吗", List.of("打折吗"), "有。", List.of("优惠"), true,
        Optional.of(LocalDate.of(2027, 2, 28)), new Entry.Source(Path.of("x"), 2));

    assertThat(TopicFileWriter.write("价格", List.of(plain, full), List.of("注释"))).isEqualTo("""
        # 注释
        topic: 价格
        entries:
          - id: a
            question: 多少钱
            answer: |
              3999 元。
              详见门市。

          - id: b
            question: 有优惠吗
            similar:
              - 打折吗
            answer: |
              有。
            tags:
              - 优惠
            handoff: true
            valid_until: 2027-02-28
        """);
  }
}
