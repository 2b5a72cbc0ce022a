package kefu.kb.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.function.BiFunction;
import kefu.kb.FaqIndex;
import kefu.kb.FaqMatcher;
import kefu.kb.MatchModel;
import kefu.kb.SentenceEncoder;
import kefu.kb.VectorCache;

/** Asks every query of a set, on worker threads, of an index of the set's FAQ: what training and reports do per set. */
public final class EachQuery {
  private EachQuery() {}

  /**
   * Builds the index of {@code set}'s FAQ, gives {@code ask} a matcher with {@code model} and each query, and
   * returns the answers in the queries' order.
   *
   * @param encoder null for a words-only index
   */
  public static <T> List<T> ask(BenchmarkSet set, List<List<String>> synonyms, SentenceEncoder encoder,
      VectorCache cache, ExecutorService workers, MatchModel model, BiFunction<FaqMatcher, BenchmarkSet.Query, T> ask)
      throws InterruptedException, ExecutionException {
    try (FaqIndex index = FaqIndex.build(set.faq(), synonyms, encoder, cache, workers, done -> {})) {
      FaqMatcher matcher = new FaqMatcher(index, encoder, model);
      List<Future<T>> pending = new ArrayList<>();
      for (BenchmarkSet.Query q : set.queries()) {
        pending.add(workers.submit(() -> ask.apply(matcher, q)));
      }
      List<T> answers = new ArrayList<>();
      for (Future<T> f : pending) {
        answers.add(f.get());
      }
      return answers;
    }
  }
}
