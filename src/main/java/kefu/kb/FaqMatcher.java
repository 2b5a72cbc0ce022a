package kefu.kb;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import kefu.kb.analysis.TextNormalizer;

/**
 * Finds the FAQ entries that answer what a customer typed: retrieves candidates from the index, scores each with the
 * reranker and then the {@link SecondStage}, orders them by the stage's confidence, and decides the outcome with the
 * {@link AnswerRule} — or answers at once when the text is one of an entry's own questions. Blocks (vector encoding):
 * call it on a worker thread. Thread-safe.
 */
public final class FaqMatcher {
  private static final int EXACT = Features.NAMES.indexOf("exact");

  /** The most questions offered to a customer at once, as WeChat shows them comfortably. */
  private static final int CHOICES = 3;

  private final FaqIndex index;
  private final SentenceEncoder encoder;
  private final Reranker reranker;
  private final SecondStage stage;
  private final AnswerRule rule;

  /** @param encoder null for a words-only engine */
  public FaqMatcher(FaqIndex index, SentenceEncoder encoder, MatchModel model) {
    this.index = index;
    this.encoder = index.hasVectors() ? encoder : null;
    this.reranker = model.reranker();
    this.stage = model.stage();
    this.rule = model.rule();
  }

  public Match match(String text) {
    // The stage weighs each candidate against the others in the reranker's order: its rank, its lead.
    record Reranked(Considered considered, double confidence) {}
    List<Reranked> reranked = new ArrayList<>();
    consider(text).forEach(c -> reranked.add(new Reranked(c, reranker.confidence(c.features()))));
    reranked.sort(Comparator.comparingDouble(Reranked::confidence).reversed().thenComparing(r -> r.considered().entryId()));
    List<Considered> considered = reranked.stream().map(Reranked::considered).toList();
    List<double[]> inputs = SecondStage.inputs(reranked.stream().map(Reranked::confidence).toList(),
        considered.stream().map(Considered::signals).toList(), considered.stream().map(Considered::features).toList());
    List<Candidate> candidates = new ArrayList<>(considered.size());
    for (int i = 0; i < considered.size(); i++) {
      Considered c = considered.get(i);
      candidates.add(new Candidate(c.entryId(), stage.confidence(inputs.get(i)), c.signals(), c.features(), inputs.get(i)));
    }
    candidates.sort(Comparator.comparingDouble(Candidate::confidence).reversed().thenComparing(Candidate::entryId));
    List<Candidate> exact = candidates.stream().filter(c -> c.features()[EXACT] == 1).toList();
    if (exact.size() == 1) {
      // The customer typed one of the entry's own questions: as sure as matching gets. The reranker cannot learn
      // this, since no public query is word for word an FAQ question, so it is a rule.
      candidates.remove(exact.get(0));
      candidates.add(0, exact.get(0));
      return new Match(Outcome.ANSWER, candidates, 1);
    }
    AnswerRule.Decided decided = rule.decide(candidates.stream().map(Candidate::confidence).toList(), CHOICES);
    return new Match(decided.outcome(), candidates, decided.offered());
  }

  /**
   * The candidates of {@code match} worth putting to an agent (answer assist), best first: those at or above the
   * rule's suggest threshold, from which the bot offers a customer questions at all, and one whose own question was
   * typed.
   */
  public List<Candidate> worthSuggesting(Match match) {
    return match.candidates().stream().filter(c -> c.confidence() >= rule.suggest() || c.features()[EXACT] == 1).toList();
  }

  /** A candidate before the reranker has judged it. */
  record Considered(String entryId, Signals signals, double[] features) {}

  /** Every candidate for {@code text} with its features; what {@link #match} scores and training learns from. */
  List<Considered> consider(String text) {
    String normalized = TextNormalizer.normalize(text);
    if (normalized.isEmpty()) {
      return List.of();
    }
    FaqIndex.AnalyzedQuery query = index.analyze(normalized);
    float[] vector = encoder == null ? null : encoder.encode(normalized);
    Map<Integer, Signals> found = index.retrieve(query, vector);
    Features.Tops tops = Features.Tops.of(found, index, query);
    List<Considered> considered = new ArrayList<>(found.size());
    found.forEach((entry, signals) ->
        considered.add(new Considered(index.entryId(entry), signals, Features.of(index, query, entry, signals, tops))));
    return considered;
  }
}
