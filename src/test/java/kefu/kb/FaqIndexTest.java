package kefu.kb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import kefu.kb.analysis.TextNormalizer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The index: built from several threads, every question still points to its own entry and vector; and each
 * question's density, as the index reports it with the candidate that question makes.
 */
class FaqIndexTest {
  private static final String ALONE = "婚纱照可以带宠物去拍吗";
  private static final List<String> CLOSE_TO_ALONE = List.of("拍婚纱照能带宠物吗", "婚纱照可以带狗狗一起拍吗");
  private static final List<QuestionSet> CROWD = List.of(
      new QuestionSet("repay", List.of("花呗怎么还款")),
      new QuestionSet("repay-how", List.of("花呗如何还款")),
      new QuestionSet("repay-ways", List.of("花呗还款的方式有哪些")),
      new QuestionSet("loan-repay", List.of("借呗怎么还款")));

  @TempDir Path dir;

  private final ExecutorService workers = Executors.newFixedThreadPool(2);

  @AfterEach
  void close() {
    workers.shutdownNow();
  }

  @Test
  void questionsAddedFromSeveralThreadsKeepTheirEntryAndVector() {
    assertEveryQuestionFindsItsEntry(workers);
  }

  @Test
  void aParallelBuildThatWroteOneSegmentStillGetsItsGraph() {
    // One worker runs both slices in turn, into one segment; the forced merge must still rewrite it with a graph.
    ExecutorService one = Executors.newSingleThreadExecutor();
    try {
      assertEveryQuestionFindsItsEntry(one);
    } finally {
      one.shutdownNow();
    }
  }

  @Test
  void anIndexOpenedAgainFindsWhatItFoundWhenBuiltAndOneOfOtherQuestionsIsRefused() throws Exception {
    List<QuestionSet> entries = new ArrayList<>(CROWD);
    entries.add(new QuestionSet("pets", List.of(ALONE)));
    String question = TextNormalizer.normalize("花呗要怎么还");
    float[] vector = TestEncoder.shared().encode(question);
    Map<Integer, Signals> built;
    try (VectorCache cache = new VectorCache(dir.resolve("vectors.bin"), SentenceEncoder.DIMENSION);
        FaqIndex index = FaqIndex.build(entries, List.of(), TestEncoder.shared(), cache, workers, done -> {}, dir.resolve("index"))) {
      built = index.retrieve(index.analyze(question), vector);
    }

    try (FaqIndex index = FaqIndex.open(entries, List.of(), true, null, workers, dir.resolve("index"))) {
      Map<Integer, Signals> opened = index.retrieve(index.analyze(question), vector);
      assertThat(opened.keySet()).isEqualTo(built.keySet());
      opened.forEach((entry, signals) -> assertThat(signals.cosine()).isEqualTo(built.get(entry).cosine()));
    }
    assertThatThrownBy(() -> FaqIndex.open(CROWD, List.of(), true, null, workers, dir.resolve("index")))
        .isInstanceOf(IOException.class).hasMessageContaining("other questions");
  }

  @Test
  void anIndexOfNoQuestionsFindsNothing() {
    // Every entry of a knowledge base may have passed its valid_until.
    try (VectorCache cache = new VectorCache(dir.resolve("vectors.bin"), SentenceEncoder.DIMENSION);
        FaqIndex index = FaqIndex.build(List.of(), List.of(), TestEncoder.shared(), cache, workers, done -> {})) {
      assertThat(index.retrieve(index.analyze("婚纱照怎么预约"), TestEncoder.shared().encode("婚纱照怎么预约"))).isEmpty();
    }
  }

  /** Built as in a parallel build (300 questions, from 100 on), every question finds its own entry and vector. */
  private void assertEveryQuestionFindsItsEntry(ExecutorService pool) {
    List<QuestionSet> entries = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      entries.add(new QuestionSet("e" + i, List.of("型号" + code(i) + "的打印机怎么保养")));
    }
    try (VectorCache cache = new VectorCache(dir.resolve("vectors.bin"), SentenceEncoder.DIMENSION);
        FaqIndex index = FaqIndex.build(entries, List.of(), TestEncoder.shared(), cache, pool, done -> {},
            dir.resolve("index"), 100)) {
      for (int i = 0; i < entries.size(); i++) {
        String question = TextNormalizer.normalize(entries.get(i).questions().get(0));
        Map<Integer, Signals> found = index.retrieve(index.analyze(question), TestEncoder.shared().encode(question));
        int entry = i;
        assertThat(found).as("entry %d", i).containsKey(entry);
        assertThat(found.get(entry).rankWords()).as("word rank of entry %d", i).isEqualTo(1);
        assertThat(found.get(entry).cosine()).as("cosine of entry %d", i).isGreaterThan(0.99);
      }
    }
  }

  /** A word of letters that no other entry has: aaa, aab, … */
  private static String code(int i) {
    return "" + (char) ('a' + i / 676) + (char) ('a' + i / 26 % 26) + (char) ('a' + i % 26);
  }

  @Test
  void aQuestionAmongCloseQuestionsOfOtherEntriesIsDenserThanOneAmongStrangers() {
    List<QuestionSet> entries = new ArrayList<>(CROWD);
    entries.add(new QuestionSet("pets", List.of(ALONE)));

    assertThat(density(entries, "花呗怎么还款", "repay")).isGreaterThan(density(entries, ALONE, "pets"));
  }

  @Test
  void anEntrysOwnSimilarQuestionsAreNotItsCrowd() {
    List<QuestionSet> own = new ArrayList<>(CROWD);
    own.add(new QuestionSet("pets", join(ALONE, CLOSE_TO_ALONE)));
    List<QuestionSet> others = new ArrayList<>(CROWD);
    others.add(new QuestionSet("pets", List.of(ALONE)));
    others.add(new QuestionSet("pets-again", CLOSE_TO_ALONE));

    assertThat(density(own, ALONE, "pets")).isLessThan(density(others, ALONE, "pets"));
  }

  private double density(List<QuestionSet> entries, String question, String entryId) {
    try (VectorCache cache = new VectorCache(dir.resolve("vectors.bin"), SentenceEncoder.DIMENSION);
        FaqIndex index = FaqIndex.build(entries, List.of(), TestEncoder.shared(), cache, workers, done -> {})) {
      String normalized = TextNormalizer.normalize(question);
      Signals found = index.retrieve(index.analyze(normalized), TestEncoder.shared().encode(normalized))
          .get(entryIndex(entries, entryId));
      assertThat(found.cosine()).as("the question itself is the closest").isGreaterThan(0.99);
      return found.density();
    }
  }

  private static int entryIndex(List<QuestionSet> entries, String id) {
    return entries.stream().map(QuestionSet::entryId).toList().indexOf(id);
  }

  private static List<String> join(String first, List<String> rest) {
    List<String> all = new ArrayList<>(List.of(first));
    all.addAll(rest);
    return all;
  }
}
