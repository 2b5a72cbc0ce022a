package kefu.kb;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import kefu.kb.analysis.TextNormalizer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Answers as a weaker signal on a tiny knowledge base: a question that only an entry's answer speaks of finds that
 * entry, by words and by vectors, and the boilerplate every answer shares counts for none; what neither an entry's
 * questions nor its answer hold is what the entry leaves unexplained.
 */
class AnswerIndexTest {
  private static final String POLITE = "如有其他问题，欢迎随时咨询。";
  private static final List<QuestionSet> KB = List.of(
      new QuestionSet("address", List.of("你们店在哪里", "门店地址是什么"),
          "您好，我们在天河路100号二楼。楼下有免费停车位，自驾可直接停车。" + POLITE),
      new QuestionSet("hours", List.of("几点开门", "营业时间是什么时候"), "您好，我们每天9:00–18:00营业，节假日照常。" + POLITE),
      new QuestionSet("price", List.of("婚纱照多少钱", "套餐价格"), "您好，套餐从3999元起，含两套服装和二十张精修。" + POLITE),
      new QuestionSet("pets", List.of("可以带宠物拍吗")));
  private static final String PARKING = "有停车的地方吗";

  @TempDir Path dir;

  private final ExecutorService workers = Executors.newFixedThreadPool(2);

  @AfterEach
  void close() {
    workers.shutdownNow();
  }

  @Test
  void clausesSharedBySeveralAnswersAndShortOnesAreLeftOut() {
    List<List<String>> clauses = AnswerIndex.clauses(KB);
    assertThat(clauses.get(0)).contains(TextNormalizer.normalize("楼下有免费停车位"))
        .doesNotContain(TextNormalizer.normalize("如有其他问题"), TextNormalizer.normalize("您好"));
    assertThat(clauses.get(3)).isEmpty();
  }

  @Test
  void wordsNeitherTheQuestionsNorTheAnswerHoldAreUncovered() {
    try (FaqIndex index = FaqIndex.build(KB, List.of(), null, null, workers, done -> {})) {
      int address = entry(index, "address");
      Signals parking = index.retrieve(index.analyze(TextNormalizer.normalize("你们店有停车的地方吗")), null).get(address);
      Signals charging = index.retrieve(index.analyze(TextNormalizer.normalize("你们店有充电的地方吗")), null).get(address);
      assertThat(charging.uncovered()).as("停车 is in the answer, 充电 nowhere in the entry")
          .isGreaterThan(parking.uncovered());
      assertThat(charging.uncoveredRarest()).isGreaterThan(0);
      Signals asked = index.retrieve(index.analyze(TextNormalizer.normalize("门店地址是什么")), null).get(address);
      assertThat(asked.uncovered()).isZero();
      assertThat(asked.uncoveredRarest()).isZero();
    }
  }

  @Test
  void wordsOnlyTheAnswerHoldsFindTheEntry() {
    try (FaqIndex index = FaqIndex.build(KB, List.of(), null, null, workers, done -> {})) {
      Map<Integer, Signals> found = index.retrieve(index.analyze(TextNormalizer.normalize(PARKING)), null);
      Signals address = found.get(entry(index, "address"));
      assertThat(address).as("the address entry, found by its answer").isNotNull();
      assertThat(address.answerCover()).isGreaterThan(0);
      assertThat(address.answerCosine()).isNaN();
      found.forEach((entry, signals) -> {
        if (!index.entryId(entry).equals("address")) {
          assertThat(signals.answerCover()).isLessThan(address.answerCover());
        }
      });
    }
  }

  @Test
  void theAnswerNearestInMeaningHasTheBestAnswerCosine() {
    String question = TextNormalizer.normalize("能停车吗");
    try (VectorCache cache = new VectorCache(dir.resolve("vectors.bin"), SentenceEncoder.DIMENSION);
        FaqIndex index = FaqIndex.build(KB, List.of(), TestEncoder.shared(), cache, workers, done -> {})) {
      Map<Integer, Signals> found = index.retrieve(index.analyze(question), TestEncoder.shared().encode(question));
      Signals address = found.get(entry(index, "address"));
      assertThat(address).isNotNull();
      found.forEach((entry, signals) -> {
        if (!index.entryId(entry).equals("address") && !Double.isNaN(signals.answerCosine())) {
          assertThat(signals.answerCosine()).isLessThan(address.answerCosine());
        }
      });
      assertThat(found.get(entry(index, "pets")).answerCosine()).as("no answer, no answer cosine").isNaN();
    }
  }

  @Test
  void aSetWithoutAnswersHasNoAnswerSignals() {
    List<QuestionSet> bare = KB.stream().map(q -> new QuestionSet(q.entryId(), q.questions())).toList();
    try (FaqIndex index = FaqIndex.build(bare, List.of(), null, null, workers, done -> {})) {
      index.retrieve(index.analyze(TextNormalizer.normalize("你们店在哪里停车")), null).values().forEach(s -> {
        assertThat(s.answerCover()).isZero();
        assertThat(s.answerCosine()).isNaN();
      });
    }
  }

  private static int entry(FaqIndex index, String id) {
    for (int e = 0; e < index.entryCount(); e++) {
      if (index.entryId(e).equals(id)) {
        return e;
      }
    }
    throw new AssertionError(id);
  }
}
