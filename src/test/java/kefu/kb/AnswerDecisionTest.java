package kefu.kb;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped answer decision on a small fixed knowledge base, through the matcher with sentence vectors: a question
 * one entry clearly answers is answered, one several entries are close on gets them all, and one that leans to a
 * single entry without being sure of it is asked about that one alone.
 */
class AnswerDecisionTest {
  private static final List<QuestionSet> KB = List.of(
      new QuestionSet("deposit", List.of("定金交多少", "订金要付多少钱", "预约要先付定金吗"),
          "您好，预约拍摄需支付定金1000元，可抵扣套系费用。"),
      new QuestionSet("address", List.of("你们店在哪里", "门店地址是什么", "怎么去你们店"),
          "您好，我们在天河路100号二楼，楼下有免费停车位。"),
      new QuestionSet("hours", List.of("几点开门", "营业时间是什么时候", "周末营业吗"),
          "您好，我们每天9:00–18:00营业，周末和节假日照常。"),
      new QuestionSet("package-basic", List.of("初见套系多少钱", "初见套系包含什么"), "您好，初见套系3999元，含两套服装、20张精修。"),
      new QuestionSet("package-middle", List.of("相守套系多少钱", "相守套系包含什么"), "您好，相守套系5999元，含三套服装、30张精修。"),
      new QuestionSet("package-premium", List.of("臻选套系多少钱", "臻选套系包含什么"), "您好，臻选套系8999元，含五套服装、50张精修。"),
      new QuestionSet("pets", List.of("可以带宠物一起拍吗", "狗狗能进店吗"), "您好，可以带宠物拍摄，请提前告知。"));

  @TempDir static Path dir;
  private static ExecutorService workers;
  private static VectorCache cache;
  private static FaqIndex index;
  private static FaqMatcher matcher;

  @BeforeAll
  static void build() throws Exception {
    workers = Executors.newFixedThreadPool(2);
    cache = new VectorCache(dir.resolve("vectors.bin"), SentenceEncoder.DIMENSION);
    index = FaqIndex.build(KB, List.of(), TestEncoder.shared(), cache, workers, done -> {});
    matcher = new FaqMatcher(index, TestEncoder.shared(), MatchModel.shipped(true));
  }

  @AfterAll
  static void close() throws Exception {
    index.close();
    cache.close();
    workers.shutdownNow();
  }

  @Test
  void aQuestionOneEntryClearlyAnswersIsAnswered() {
    for (String question : List.of("你们店在什么位置", "可以带猫吗")) {
      Match match = matcher.match(question);
      assertThat(match.outcome()).as(question).isEqualTo(Outcome.ANSWER);
      assertThat(match.offers()).as(question).hasSize(1);
    }
    assertThat(matcher.match("可以带猫吗").best().orElseThrow().entryId()).isEqualTo("pets");
  }

  @Test
  void aQuestionSeveralEntriesAreCloseOnGetsThemAll() {
    // Every package has pictures retouched: none leads the others far enough to be answered or asked about alone.
    Match match = matcher.match("精修有几张");
    assertThat(match.outcome()).isEqualTo(Outcome.SUGGEST);
    assertThat(match.offers()).extracting(Candidate::entryId)
        .containsExactlyInAnyOrder("package-basic", "package-middle", "package-premium");
  }

  @Test
  void aQuestionThatLeansToOneEntryWithoutBeingSureIsAskedAboutThatOne() {
    // The address entry is far ahead of the rest, but its questions and answer say nothing of a telephone.
    Match match = matcher.match("门店电话多少");
    assertThat(match.outcome()).isEqualTo(Outcome.CONFIRM);
    assertThat(match.offers()).extracting(Candidate::entryId).containsExactly("address");
  }
}
