package kefu.kb.eval;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import kefu.kb.Candidate;
import kefu.kb.FaqIndex;
import kefu.kb.FaqMatcher;
import kefu.kb.Match;
import kefu.kb.Outcome;
import kefu.kb.MatchModel;
import kefu.kb.SentenceEncoder;
import kefu.kb.VectorCache;

/** kefu's own engine on a benchmark FAQ, with or without sentence vectors. */
final class KefuSystem implements MatchingSystem {
  private final String name;
  private final FaqIndex index;
  private final FaqMatcher matcher;
  private final Path cacheFile;
  private final boolean keepCache;
  private final VectorCache cache;
  private final Path indexDir;

  /** @param cacheFile a vector cache to use and keep; empty for a fresh one, deleted afterwards */
  KefuSystem(String name, BenchmarkSet set, SentenceEncoder encoder, ExecutorService workers, Optional<Path> cacheFile) {
    this.name = name;
    this.keepCache = cacheFile.isPresent();
    this.cacheFile = cacheFile.orElseGet(KefuSystem::temporaryFile);
    this.cache = encoder == null ? null : new VectorCache(this.cacheFile, SentenceEncoder.DIMENSION);
    // On disk and memory-mapped, as the running engine keeps it.
    this.indexDir = temporaryDirectory();
    this.index = FaqIndex.build(set.faq(), List.of(), encoder, cache, workers, done -> {}, indexDir);
    this.matcher = new FaqMatcher(index, encoder, MatchModel.shipped(encoder != null));
  }

  private static Path temporaryDirectory() {
    try {
      return Files.createTempDirectory("kefu-eval-index");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Path temporaryFile() {
    try {
      Path file = Files.createTempFile("kefu-eval-vectors", ".bin");
      Files.delete(file);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Ranking rank(String query) {
    Match match = matcher.match(query);
    return new Ranking(match.candidates().stream().map(Candidate::entryId).toList(),
        match.best().map(Candidate::confidence).orElse(0.0), match.outcome() == Outcome.ANSWER);
  }

  @Override
  public void close() {
    index.close();
    if (cache != null) {
      cache.close();
    }
    try {
      FaqIndex.deleteTree(indexDir);
      if (!keepCache) {
        Files.deleteIfExists(cacheFile);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
