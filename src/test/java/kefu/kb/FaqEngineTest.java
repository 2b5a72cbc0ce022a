package kefu.kb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.OptionalDouble;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import kefu.LogLines;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FaqEngineTest {
  private static final String STUDIO = """
      topic: 预约
      entries:
        - id: booking
          question: 怎么预约拍摄婚纱照?
          similar: [婚纱照要怎么约, 我想订个拍摄档期]
          answer: 您好,请在菜单"预约拍摄"中填写信息。
        - id: reschedule
          question: 拍摄日期可以改吗?
          similar: [我想换个拍摄的日子, 档期能不能往后推]
          answer: 您好,拍摄前7天可免费改期一次。
        - id: refund
          question: 不想拍了可以退款吗?
          similar: [定金能退吗]
          answer: 您好,请回复"人工",由门市为您办理。
        - id: warranty
          question: 打印机的免费保修期是多久?
          similar: [保修多长时间]
          answer: 您好,新机免费保修一年。
      """;

  private static final String HOTLINE = """
      topic: 联系
      entries:
        - id: hotline
          question: 客服热线是多少?
          similar: [电话多少]
          answer: 您好,热线 400-800-1234。
      """;

  @TempDir Path dir;
  private FaqEngine engine;
  private VectorCache cache;

  @AfterEach
  void close() {
    if (engine != null) {
      engine.close();
    }
    if (cache != null) {
      cache.close();
    }
  }

  private FaqEngine engine(boolean vectors, double answer, double suggest) {
    cache = vectors ? new VectorCache(dir.resolve("data/vectors.bin"), SentenceEncoder.DIMENSION) : null;
    engine = new FaqEngine(dir.resolve("kb"), dir.resolve("data/kb-index"), vectors ? TestEncoder.shared() : null, cache,
        v -> MatchModel.shipped(v).configured(OptionalDouble.of(answer), OptionalDouble.of(0), OptionalDouble.of(suggest)), Clock.systemDefaultZone());
    return engine;
  }

  private void write(String file, String yaml) throws IOException {
    Files.createDirectories(dir.resolve("kb"));
    Files.writeString(dir.resolve("kb").resolve(file), yaml, StandardCharsets.UTF_8);
  }

  @Test
  void paraphrasesAndTraditionalChineseFindTheirEntry() throws Exception {
    write("studio.yaml", STUDIO);
    engine(true, 0.9, 0.1).buildNow();

    assertThat(engine.search("我想预约拍婚纱照").best()).hasValueSatisfying(c -> assertThat(c.entryId()).isEqualTo("booking"));
    assertThat(engine.search("請問婚紗照怎麼預約").best()).hasValueSatisfying(c -> assertThat(c.entryId()).isEqualTo("booking"));
    assertThat(engine.search("拍照的日子能改一下吗").best()).hasValueSatisfying(c -> assertThat(c.entryId()).isEqualTo("reschedule"));
    assertThat(engine.search("打印机保修几年").best()).hasValueSatisfying(c -> assertThat(c.entryId()).isEqualTo("warranty"));
  }

  @Test
  void wordsOnlyEngineRanksByWordsAndCharacters() throws Exception {
    write("studio.yaml", STUDIO);
    engine(false, 0.9, 0.1).buildNow();

    Match match = engine.search("打印机免费保修期多久");
    assertThat(match.best()).hasValueSatisfying(c -> assertThat(c.entryId()).isEqualTo("warranty"));
    assertThat(match.best().get().signals().cosine()).isNaN();
  }

  @Test
  void threeOutcomesFromTwoThresholds() throws Exception {
    write("studio.yaml", STUDIO);
    engine(true, 1, 1).buildNow();
    double close = engine.search("婚纱照怎么预约啊").best().orElseThrow().confidence();
    double unrelated = engine.search("量子力学和相对论有什么区别").best().map(Candidate::confidence).orElse(0.0);
    assertThat(close).isGreaterThan(unrelated);
    engine.close();
    cache.close();

    // Answer above the midpoint; suggest from just under the unrelated question's confidence.
    engine(true, (close + unrelated) / 2, unrelated * 0.9).buildNow();
    assertThat(engine.search("婚纱照怎么预约啊").outcome()).isEqualTo(Outcome.ANSWER);
    // Offered: alone when no other candidate is close to it.
    assertThat(engine.search("量子力学和相对论有什么区别").outcome()).isIn(Outcome.SUGGEST, Outcome.CONFIRM);
    assertThat(engine.search("...!!!").outcome()).isEqualTo(Outcome.FALLBACK);
    engine.close();
    cache.close();

    // Suggest only above it: the unrelated question falls back to a person.
    engine(true, (close + unrelated) / 2, unrelated * 1.1 + 0.01).buildNow();
    assertThat(engine.search("量子力学和相对论有什么区别").outcome()).isEqualTo(Outcome.FALLBACK);
  }

  @Test
  void aSuggestionWellAheadOfEveryOtherEntryIsPutAsOneQuestion() throws Exception {
    // Proves: below the answer threshold, one entry far ahead of the next is to be confirmed, alone; entries close
    // together are suggested together.
    write("studio.yaml", STUDIO);
    engine(true, 1, 0.01).buildNow();

    Match ahead = engine.search("打印机保修几年");
    assertThat(ahead.outcome()).isEqualTo(Outcome.CONFIRM);
    assertThat(ahead.best().orElseThrow().entryId()).isEqualTo("warranty");
    assertThat(ahead.offers()).hasSize(1);
    assertThat(ahead.candidates().get(0).confidence() - ahead.candidates().get(1).confidence())
        .isGreaterThan(AnswerRule.shipped(true).suggestWithin());

    Match close = engine.search("定档期");
    assertThat(close.outcome()).isEqualTo(Outcome.SUGGEST);
    assertThat(close.offers()).hasSizeGreaterThan(1);
  }

  @Test
  void oneOfAnEntrysOwnQuestionsIsAnsweredWhateverTheThreshold() throws Exception {
    // Proves: typed word for word (punctuation, width and script aside), a standard or similar question is answered
    // even where no confidence reaches the answer threshold; a paraphrase of it is not.
    write("studio.yaml", STUDIO);
    engine(true, 1, 0).buildNow();
    for (String asked : List.of("怎么预约拍摄婚纱照", "怎麼預約拍攝婚紗照？", "我想换个拍摄的日子!")) {
      Match match = engine.search(asked);
      assertThat(match.outcome()).as(asked).isEqualTo(Outcome.ANSWER);
      assertThat(match.best().orElseThrow().entryId()).as(asked).isEqualTo(asked.startsWith("我") ? "reschedule" : "booking");
    }
    assertThat(engine.search("婚纱照怎么预约啊").outcome()).isIn(Outcome.CONFIRM, Outcome.SUGGEST);
  }

  @Test
  void aBrokenFileLeavesTheServingIndexAndShowsTheProblem() throws Exception {
    write("studio.yaml", STUDIO);
    engine(false, 0.9, 0.1).buildNow();
    write("broken.yaml", "topic: 坏文件\nentries:\n  - id: booking\n    question: 重复的编号\n    answer: 有\n");

    assertThatThrownBy(() -> engine.buildNow()).isInstanceOf(KnowledgeBaseException.class);

    assertThat(engine.search("婚纱照要怎么约").best()).hasValueSatisfying(c -> assertThat(c.entryId()).isEqualTo("booking"));
    assertThat(engine.health().getString("error")).contains("broken.yaml:3").contains("duplicate id");
    assertThat(engine.health().getJsonArray("problems")).containsExactly(dir.resolve("kb/broken.yaml")
        + ":3: duplicate id \"booking\", also at " + dir.resolve("kb/studio.yaml") + ":3");
    assertThat(engine.health().getInteger("entries")).isEqualTo(4);
  }

  @Test
  void anEditIsPickedUpWhileQueriesKeepBeingAnswered() throws Exception {
    write("studio.yaml", STUDIO);
    engine(false, 0.9, 0.1).start();
    await().atMost(Duration.ofSeconds(30)).until(() -> engine.snapshot().isPresent());

    AtomicBoolean running = new AtomicBoolean(true);
    AtomicInteger answered = new AtomicInteger();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread asker = new Thread(() -> {
      while (running.get()) {
        try {
          engine.search("婚纱照要怎么约");
          answered.incrementAndGet();
        } catch (Throwable t) {
          failure.set(t);
          running.set(false);
        }
      }
    });
    asker.start();
    write("hotline.yaml", HOTLINE);
    try {
      await().atMost(Duration.ofSeconds(30)).until(() ->
          engine.snapshot().map(s -> s.entries().containsKey("hotline")).orElse(false));
    } finally {
      running.set(false);
      asker.join();
    }
    assertThat(failure.get()).isNull();
    assertThat(answered.get()).isPositive();
    assertThat(engine.search("客服热线多少").best()).hasValueSatisfying(c -> assertThat(c.entryId()).isEqualTo("hotline"));
  }

  @Test
  void aRebuildEncodesOnlyTheQuestionsThatChanged() throws Exception {
    write("studio.yaml", STUDIO);
    engine(true, 0.9, 0.1).buildNow();
    FaqEngine.Snapshot built = engine.snapshot().orElseThrow();
    int questions = built.index().questionCount();
    long clauses = AnswerIndex.clauses(built.knowledgeBase().entries().stream()
        .map(e -> new QuestionSet(e.id(), e.questions(), e.answer())).toList()).stream().flatMap(List::stream).distinct().count();
    assertThat(cache.size()).as("every question and answer clause").isEqualTo(questions + clauses);

    write("studio.yaml", STUDIO.replace("定金能退吗", "订金可以退回来吗"));
    engine.buildNow();

    assertThat(cache.size()).isEqualTo(questions + clauses + 1);
    assertThat(engine.search("订金可以退回来吗").best()).hasValueSatisfying(c -> assertThat(c.entryId()).isEqualTo("refund"));
  }

  @Test
  void theLastIndexIsKeptForTheNextStartAndTheOthersAreRemovedThen() throws Exception {
    write("studio.yaml", STUDIO);
    engine(false, 0.9, 0.1).buildNow();
    Path first = engine.snapshot().orElseThrow().indexDir();
    write("studio.yaml", STUDIO.replace("定金能退吗", "订金可以退回来吗"));
    engine.buildNow();
    Path last = engine.snapshot().orElseThrow().indexDir();
    engine.close();
    // The index replaced was not yet retired, as after a crash.
    assertThat(first).isDirectory();

    engine(false, 0.9, 0.1).start();
    await().atMost(Duration.ofSeconds(30)).until(() -> engine.snapshot().map(s -> !s.indexDir().equals(last)).orElse(false));

    try (var left = Files.list(dir.resolve("data/kb-index"))) {
      assertThat(left.filter(p -> p.getFileName().toString().startsWith("index-")))
          .containsExactlyInAnyOrder(last, engine.snapshot().orElseThrow().indexDir());
    }
  }

  @Test
  void aRestartAnswersFromTheLastIndexUntilTheNewOneIsBuilt() throws Exception {
    write("studio.yaml", STUDIO);
    engine(true, 0.9, 0.1).buildNow();
    engine.close();
    cache.close();
    write("hotline.yaml", HOTLINE);

    engine(true, 0.9, 0.1);
    // The new build needs the vectors of the new questions: it cannot end while this thread holds the cache.
    synchronized (cache) {
      engine.start();

      assertThat(engine.snapshot()).isPresent();
      assertThat(engine.search("婚纱照要怎么约").best()).hasValueSatisfying(c -> assertThat(c.entryId()).isEqualTo("booking"));
      assertThat(engine.entry("hotline")).isEmpty();
      assertThat(engine.health().getInteger("entries")).isEqualTo(4);
    }
    await().atMost(Duration.ofSeconds(60)).until(() -> engine.entry("hotline").isPresent());
    assertThat(engine.search("客服热线多少").best()).hasValueSatisfying(c -> assertThat(c.entryId()).isEqualTo("hotline"));
  }

  @Test
  void aBrokenFileAtStartTakesOutOnlyItsLatestEdit() throws Exception {
    write("studio.yaml", STUDIO);
    write("hotline.yaml", HOTLINE);
    engine(false, 0.9, 0.1).buildNow();
    engine.close();
    // An edit that breaks the YAML on line 4, and a new file that was never good.
    write("hotline.yaml", HOTLINE.replace("    question: 客服热线是多少?", "    question: 客服热线是多少?: 还是手机"));
    write("new.yaml", "topic: 新\nentries:\n  - id: new\n    question: 新问题\n");
    Files.delete(dir.resolve("data/kb-index/serving"));

    engine(false, 0.9, 0.1).start();
    await().atMost(Duration.ofSeconds(30)).until(() -> engine.snapshot().isPresent());

    assertThat(engine.search("婚纱照要怎么约").best()).hasValueSatisfying(c -> assertThat(c.entryId()).isEqualTo("booking"));
    assertThat(engine.search("客服热线多少").best()).hasValueSatisfying(c -> assertThat(c.entryId()).isEqualTo("hotline"));
    assertThat(engine.entry("new")).isEmpty();
    assertThat(engine.problems()).extracting(Problem::toString).containsExactly(
        dir.resolve("kb/hotline.yaml") + ":4: not valid YAML: mapping values are not allowed here",
        dir.resolve("kb/new.yaml") + ":3: entry new has no answer");
    assertThat(engine.health().getJsonArray("problems")).hasSize(2);
  }

  @Test
  void whereTwoFilesClashTheEditedOneGivesWay() throws Exception {
    write("studio.yaml", STUDIO);
    engine(false, 0.9, 0.1).buildNow();
    // A new file, first in name order, with an id studio.yaml has had all along.
    write("a-new.yaml", "topic: 新\nentries:\n  - id: booking\n    question: 新问题\n    answer: 有\n");

    assertThatThrownBy(() -> engine.buildNow()).isInstanceOf(KnowledgeBaseException.class);

    assertThat(engine.entry("booking").orElseThrow().question()).isEqualTo("怎么预约拍摄婚纱照?");
    assertThat(engine.problems()).extracting(Problem::toString)
        .containsExactly(dir.resolve("kb/a-new.yaml") + ":3: duplicate id \"booking\", also at " + dir.resolve("kb/studio.yaml") + ":3");
  }

  @Test
  void aBrokenSynonymsFileIsServedAsItWasAndADeletedFileIsForgotten() throws Exception {
    write("studio.yaml", STUDIO);
    write("hotline.yaml", HOTLINE);
    write("synonyms.txt", "婚纱照 婚纱相\n");
    engine(false, 0.9, 0.1).buildNow();
    write("synonyms.txt", "婚纱照\n");
    Files.delete(dir.resolve("kb/hotline.yaml"));

    assertThatThrownBy(() -> engine.buildNow()).isInstanceOf(KnowledgeBaseException.class);

    assertThat(engine.snapshot().orElseThrow().knowledgeBase().synonymGroups()).containsExactly(List.of("婚纱照", "婚纱相"));
    assertThat(engine.problems()).extracting(Problem::toString).containsExactly(dir.resolve("kb/synonyms.txt")
        + ":1: the group \"婚纱照\" has one word; a group is the standard word and at least one synonym");
    assertThat(engine.entry("hotline")).isEmpty();
    assertThat(dir.resolve("data/kb-index/last-good/hotline.yaml")).doesNotExist();
  }

  @Test
  void anIndexBuiltWithTheOtherVectorSettingIsNotOpened() throws Exception {
    write("studio.yaml", STUDIO);
    engine(true, 0.9, 0.1).buildNow();
    engine.close();
    cache.close();

    try (LogLines log = new LogLines(FaqEngine.class)) {
      engine(false, 0.9, 0.1).start();
      assertThat(log.messages()).anyMatch(line -> line.contains("cannot be opened") && line.contains("kb.vectors"));
    }
    await().atMost(Duration.ofSeconds(30)).until(() -> engine.snapshot().isPresent());
    assertThat(engine.search("婚纱照要怎么约").best()).hasValueSatisfying(c -> assertThat(c.entryId()).isEqualTo("booking"));
  }

  @Test
  void expiredEntriesAreNotOffered() throws Exception {
    write("studio.yaml", STUDIO + """
          - id: spring-offer
            question: 春季拍摄有什么优惠活动?
            answer: 您好,春季套系八五折。
            valid_until: 2020-04-30
        """);
    engine(false, 0.9, 0.1).buildNow();

    List<String> ids = engine.search("春季拍摄有什么优惠活动").candidates().stream().map(Candidate::entryId).toList();
    assertThat(ids).doesNotContain("spring-offer");
  }
}
