package kefu.kb.eval;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import kefu.kb.Entry;
import kefu.kb.KnowledgeBase;
import kefu.kb.QuestionSet;
import org.junit.jupiter.api.Test;

class HeldOutFoldsTest {
  private final KnowledgeBase kb = new KnowledgeBase(List.of(
      entry("a", "怎么预约", "如何预约", "预约流程"),
      entry("b", "保修多久", "保修几年"),
      entry("c", "营业时间")), List.of());

  @Test
  void everySimilarQuestionIsAskedOnceWithoutItselfInTheIndex() {
    List<BenchmarkSet> folds = HeldOutFolds.inScope(kb, 2);

    assertThat(folds).hasSize(2);
    assertThat(folds.stream().flatMap(f -> f.queries().stream()).map(BenchmarkSet.Query::text))
        .containsExactlyInAnyOrder("如何预约", "预约流程", "保修几年");
    for (BenchmarkSet fold : folds) {
      // Every entry stays, by its standard question at least; no asked question is in the index.
      assertThat(fold.faq()).extracting(QuestionSet::entryId).containsExactly("a", "b", "c");
      List<String> indexed = fold.faq().stream().flatMap(q -> q.questions().stream()).toList();
      fold.queries().forEach(q -> assertThat(indexed).doesNotContain(q.text()));
    }
  }

  @Test
  void everyEntryIsLeftOutOnceWithAllItsQuestionsAsked() {
    List<BenchmarkSet> folds = HeldOutFolds.outOfScope(kb, 5);

    assertThat(folds).hasSize(3); // no more folds than entries
    for (BenchmarkSet fold : folds) {
      List<String> indexedIds = fold.faq().stream().map(QuestionSet::entryId).toList();
      fold.queries().forEach(q -> assertThat(indexedIds).doesNotContain(q.expectedId()));
    }
    assertThat(folds.stream().flatMap(f -> f.queries().stream()).map(BenchmarkSet.Query::text))
        .containsExactlyInAnyOrder("怎么预约", "如何预约", "预约流程", "保修多久", "保修几年", "营业时间");
  }

  private static Entry entry(String id, String question, String... similar) {
    return new Entry(id, "话题", question, List.of(similar), "答案", List.of(), false, Optional.empty(),
        new Entry.Source(Path.of(id + ".yaml"), 1));
  }
}
