package kefu.kb;

import static org.assertj.core.api.Assertions.assertThat;

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

/** The index built from several threads: every question still points to its own entry and vector. */
class FaqIndexTest {
  @TempDir Path dir;

  private final ExecutorService workers = Executors.newFixedThreadPool(2);

  @AfterEach
  void close() {
    workers.shutdownNow();
  }

  @Test
  void questionsAddedFromSeveralThreadsKeepTheirEntryAndVector() {
    List<QuestionSet> entries = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      entries.add(new QuestionSet("e" + i, List.of("型号" + code(i) + "的打印机怎么保养")));
    }
    try (VectorCache cache = new VectorCache(dir.resolve("vectors.bin"), SentenceEncoder.DIMENSION);
        FaqIndex index = FaqIndex.build(entries, List.of(), TestEncoder.shared(), cache, workers, done -> {},
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
}
