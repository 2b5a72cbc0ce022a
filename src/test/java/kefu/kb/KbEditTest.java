package kefu.kb;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.OptionalDouble;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The console's edits on top of the files: applied at each build, kept beside the index for the next start, overtaken by the files. */
class KbEditTest {
  private static final String HOURS = """
      topic: 门店
      entries:
        - id: hours
          question: 你们几点开门？
          answer: 您好，我们每天九点到十八点营业。
      """;

  @TempDir Path dir;

  private FaqEngine engine(List<KbEdit> edits) {
    return new FaqEngine(dir.resolve("kb"), dir.resolve("index"), null, null,
        v -> MatchModel.shipped(v).configured(OptionalDouble.of(0.4), OptionalDouble.of(0), OptionalDouble.of(0.1)),
        () -> List.copyOf(edits), Clock.systemDefaultZone());
  }

  @Test
  void editsAreAppliedAtEachBuildAndOpenedAsBuiltAtTheNextStart() throws Exception {
    Files.createDirectories(dir.resolve("kb"));
    Files.writeString(dir.resolve("kb/studio.yaml"), HOURS, StandardCharsets.UTF_8);
    List<KbEdit> edits = new CopyOnWriteArrayList<>();
    try (FaqEngine engine = engine(edits)) {
      assertThat(engine.buildNow().entries()).containsOnlyKeys("hours");
      assertThat(engine.search("周日营业吗").outcome()).isEqualTo(Outcome.FALLBACK);
      edits.add(KbEdit.similar(1, "hours", "周日营业吗"));
      edits.add(KbEdit.entry(2, "门店", "可以停车吗？", "您好，门口有免费停车位。"));
      engine.buildNow();
      assertThat(engine.search("周日营业吗").best().map(Candidate::entryId)).hasValue("hours");
      assertThat(engine.search("周日营业吗").outcome()).isEqualTo(Outcome.ANSWER);
      assertThat(engine.entry("console-2").map(Entry::answer)).hasValue("您好，门口有免费停车位。");
    }
    try (FaqEngine restarted = engine(edits)) {
      restarted.start();
      // Opened from disk before any build: with the edits it was built with.
      assertThat(restarted.snapshot().orElseThrow().entries().get("hours").similar()).containsExactly("周日营业吗");
      assertThat(restarted.entry("console-2")).isPresent();
    }
  }

  @Test
  void anEditTheFilesHaveOvertakenIsSkipped() {
    KnowledgeBase kb = new KnowledgeBase(List.of(new Entry("hours", "门店", "你们几点开门？", List.of("周日营业吗"), "九点。",
        List.of(), false, java.util.Optional.empty(), new Entry.Source(Path.of("studio.yaml"), 3))), List.of());
    KnowledgeBase edited = KbEdit.apply(kb, List.of(
        KbEdit.similar(1, "hours", "周日营业吗？"),       // the files have it now
        KbEdit.similar(2, "gone", "还有这个吗"),          // its entry is gone
        KbEdit.entry(3, "门店", "你们几点开门", "十点。"), // the files ask it
        KbEdit.similar(4, "hours", "礼拜天开吗")));
    assertThat(edited.entries()).hasSize(1);
    assertThat(edited.entries().get(0).similar()).containsExactly("周日营业吗", "礼拜天开吗");
    assertThat(KbEdit.asks(edited, "礼拜天开吗？")).isTrue();
  }
}
