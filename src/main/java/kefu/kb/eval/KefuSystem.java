package kefu.kb.eval;

import java.util.List;
import java.util.concurrent.ExecutorService;
import kefu.kb.Candidate;
import kefu.kb.FaqIndex;
import kefu.kb.FaqMatcher;
import kefu.kb.Match;
import kefu.kb.Outcome;
import kefu.kb.Reranker;
import kefu.kb.SentenceEncoder;
import kefu.kb.VectorCache;

/** kefu's own engine on a benchmark FAQ, with or without sentence vectors. */
final class KefuSystem implements MatchingSystem {
  private final String name;
  private final FaqIndex index;
  private final FaqMatcher matcher;

  KefuSystem(String name, BenchmarkSet set, SentenceEncoder encoder, VectorCache cache, ExecutorService workers) {
    this.name = name;
    this.index = FaqIndex.build(set.faq(), List.of(), encoder, cache, workers, done -> {});
    this.matcher = new FaqMatcher(index, encoder, Reranker.shipped(encoder != null));
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
  }
}
