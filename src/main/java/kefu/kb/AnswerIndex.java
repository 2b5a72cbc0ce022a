package kefu.kb;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.regex.Pattern;
import kefu.kb.analysis.Analysis;
import kefu.kb.analysis.TextNormalizer;
import org.apache.lucene.analysis.Analyzer;

/**
 * The clauses of each entry's answer, by words and sentence vectors: customers often ask what an answer says rather
 * than what its question asks (有停车位吗 is answered inside the address entry's answer), so how close a query is to
 * an entry's answer is a further, weaker signal, and entries found by their answer alone are candidates too.
 *
 * <p>Kept in memory: a few clauses per entry, each a vector of {@link SentenceEncoder#DIMENSION} floats. Clauses
 * that several entries' answers share (您好, 如有其他问题，欢迎随时咨询) say nothing of any one entry and are left out.
 */
final class AnswerIndex {
  private static final Pattern CLAUSES = Pattern.compile("[。！？；!?;，,\\n\\r]+");
  /** Shorter clauses (好的, 您好) match anything. */
  private static final int MIN_CHARS = 4;
  /** A clause found in this many entries' answers is boilerplate. */
  private static final int SHARED_BY = 3;
  /** How many entries found by their answer alone, by vectors and by words each, join the candidates. */
  static final int EXTRA = 3;

  static final AnswerIndex NONE = new AnswerIndex(new TermSet[0], new float[0][], new int[0]);

  private final TermSet[] wordsOfEntry;
  private final float[][] vectorOfClause;
  private final int[] entryOfClause;

  private AnswerIndex(TermSet[] wordsOfEntry, float[][] vectorOfClause, int[] entryOfClause) {
    this.wordsOfEntry = wordsOfEntry;
    this.vectorOfClause = vectorOfClause;
    this.entryOfClause = entryOfClause;
  }

  /** The normalised clauses worth indexing of each entry's answer, in the entries' order. */
  static List<List<String>> clauses(List<QuestionSet> entries) {
    List<List<String>> clauses = new ArrayList<>();
    Map<String, Integer> entriesWith = new HashMap<>();
    for (QuestionSet entry : entries) {
      Set<String> own = new HashSet<>();
      for (String clause : CLAUSES.split(entry.answer())) {
        String normalized = TextNormalizer.normalize(clause);
        if (normalized.codePointCount(0, normalized.length()) >= MIN_CHARS) {
          own.add(normalized);
        }
      }
      own.forEach(c -> entriesWith.merge(c, 1, Integer::sum));
      clauses.add(new ArrayList<>(own));
    }
    for (List<String> own : clauses) {
      own.removeIf(c -> entriesWith.get(c) >= SHARED_BY);
      own.sort(null);
    }
    return clauses;
  }

  /**
   * Indexes the answers of {@code entries}: their words with the index's word analyser and, with {@code vectors},
   * each clause's vector — from {@code cache}, encoded on {@code workers} first when an {@code encoder} is given
   * (a build), else skipped when the cache lacks it (an index reopened at start, before its rebuild).
   */
  static AnswerIndex build(List<QuestionSet> entries, Analyzer words, String field, boolean vectors,
      SentenceEncoder encoder, VectorCache cache, ExecutorService workers) {
    List<List<String>> clauses = clauses(entries);
    if (clauses.stream().allMatch(List::isEmpty)) {
      return NONE;
    }
    Map<String, String> shared = new HashMap<>();
    TermSet[] wordsOfEntry = new TermSet[entries.size()];
    for (int e = 0; e < entries.size(); e++) {
      List<String> terms = new ArrayList<>();
      for (String clause : clauses.get(e)) {
        terms.addAll(Analysis.terms(words, field, clause));
      }
      wordsOfEntry[e] = TermSet.of(terms, shared);
    }
    List<float[]> vectorList = new ArrayList<>();
    List<Integer> entryList = new ArrayList<>();
    if (vectors && cache != null) {
      if (encoder != null) {
        List<Future<?>> pending = new ArrayList<>();
        clauses.stream().flatMap(List::stream).distinct().filter(c -> !cache.contains(c))
            .forEach(c -> pending.add(workers.submit(() -> cache.put(c, encoder.encode(c)))));
        Slices.await(pending, "encode answers");
      }
      for (int e = 0; e < entries.size(); e++) {
        for (String clause : clauses.get(e)) {
          int entry = e;
          cache.get(clause).ifPresent(v -> {
            vectorList.add(v);
            entryList.add(entry);
          });
        }
      }
    }
    return new AnswerIndex(wordsOfEntry, vectorList.toArray(float[][]::new),
        entryList.stream().mapToInt(Integer::intValue).toArray());
  }

  /** The words of an entry's answer clauses; empty when no answer is indexed. */
  TermSet wordsOf(int entry) {
    return isEmpty() ? TermSet.EMPTY : wordsOfEntry[entry];
  }

  /** Whether any entry has an answer clause indexed. */
  boolean isEmpty() {
    return wordsOfEntry.length == 0;
  }

  /** The best cosine of each entry's answer clauses to {@code vector}; NaN for an entry with none. */
  double[] cosines(float[] vector, int entries) {
    double[] best = new double[entries];
    java.util.Arrays.fill(best, Double.NaN);
    if (vector == null) {
      return best;
    }
    for (int c = 0; c < vectorOfClause.length; c++) {
      float[] v = vectorOfClause[c];
      double dot = 0;
      for (int i = 0; i < v.length; i++) {
        dot += v[i] * vector[i];
      }
      int e = entryOfClause[c];
      if (Double.isNaN(best[e]) || dot > best[e]) {
        best[e] = dot;
      }
    }
    return best;
  }

  /** The share of the query's words, weighted by {@code idf}, that each entry's answer holds. */
  double[] covers(Set<String> queryWords, java.util.function.ToDoubleFunction<String> idf) {
    double[] cover = new double[wordsOfEntry.length];
    double total = 0;
    for (String w : queryWords) {
      total += idf.applyAsDouble(w);
    }
    if (total == 0) {
      return cover;
    }
    for (int e = 0; e < wordsOfEntry.length; e++) {
      double held = 0;
      for (String w : queryWords) {
        if (wordsOfEntry[e].contains(w)) {
          held += idf.applyAsDouble(w);
        }
      }
      cover[e] = held / total;
    }
    return cover;
  }
}
