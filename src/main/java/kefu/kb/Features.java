package kefu.kb;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The numbers the reranker weighs for one candidate entry: how close in meaning, how BM25 ranked it, how much
 * of the query's words and characters its questions share, and what important words one side has and the
 * other lacks (花呗 against 借呗 is most of the difference on hard sets).
 */
final class Features {
  static final List<String> NAMES = List.of(
      "cosine", "cosine_gap", "words_relative", "chars_relative", "words_log", "chars_log",
      "word_cover_query", "word_cover_question", "char_dice", "length_ratio",
      "rank_vector", "rank_words", "rank_chars", "exact", "missing_query_idf", "missing_question_idf",
      "cosine_x_cover", "max_missing_query_idf", "max_missing_question_idf", "char_cover_query",
      "char_cover_question", "cosine_share", "cosine_vs_others", "density");

  private Features() {}

  /**
   * What is the same for every candidate of one query: the best scores among them, against which each is
   * measured, and the summed IDF of the query's words.
   */
  record Tops(double cosine, double secondCosine, double cosineMass, double bm25Words, double bm25Chars,
      double queryIdf) {
    static Tops of(Map<Integer, Signals> candidates, FaqIndex index, FaqIndex.AnalyzedQuery query) {
      double cosine = Double.NEGATIVE_INFINITY;
      double second = Double.NEGATIVE_INFINITY;
      double mass = 0;
      double words = 0;
      double chars = 0;
      for (Signals s : candidates.values()) {
        if (!Double.isNaN(s.cosine())) {
          if (s.cosine() > cosine) {
            second = cosine;
            cosine = s.cosine();
          } else {
            second = Math.max(second, s.cosine());
          }
          mass += Math.exp(SHARPNESS * s.cosine());
        }
        words = Math.max(words, s.bm25Words());
        chars = Math.max(chars, s.bm25Chars());
      }
      double queryIdf = 0;
      for (String w : query.words()) {
        queryIdf += index.idf(w);
      }
      return new Tops(cosine, second, mass, words, chars, queryIdf);
    }

    /** The best cosine among the candidates other than one with {@code cosine}. */
    double bestOther(double cosine) {
      return cosine >= this.cosine ? secondCosine : this.cosine;
    }
  }

  /** How sharply cosine_share favours the closest candidates; cosines of paraphrases differ by a few hundredths. */
  private static final double SHARPNESS = 20;

  static double[] of(FaqIndex index, FaqIndex.AnalyzedQuery query, int entry, Signals s, Tops tops) {
    double queryIdf = tops.queryIdf();
    double coverQuery = 0;
    double coverQuestion = 0;
    double dice = 0;
    double lengthRatio = 0;
    double exact = 0;
    double missingQuery = Double.MAX_VALUE;
    double missingQuestion = Double.MAX_VALUE;
    double maxMissingQuery = Double.MAX_VALUE;
    double maxMissingQuestion = Double.MAX_VALUE;
    double charCoverQuery = 0;
    double charCoverQuestion = 0;
    for (int doc : index.docsOf(entry)) {
      TermSet words = index.wordsOf(doc);
      double shared = 0;
      double rarestMissing = 0;
      for (String w : query.words()) {
        if (words.contains(w)) {
          shared += index.idf(w);
        } else {
          rarestMissing = Math.max(rarestMissing, index.idf(w));
        }
      }
      maxMissingQuery = Math.min(maxMissingQuery, rarestMissing);
      double rarestExtra = 0;
      for (String w : words.terms()) {
        if (!query.words().contains(w)) {
          rarestExtra = Math.max(rarestExtra, index.idf(w));
        }
      }
      maxMissingQuestion = Math.min(maxMissingQuestion, rarestExtra);
      int sharedChars = shared(query.chars(), index.charsOf(doc));
      charCoverQuery = Math.max(charCoverQuery, query.chars().isEmpty() ? 0 : (double) sharedChars / query.chars().size());
      charCoverQuestion = Math.max(charCoverQuestion,
          index.charsOf(doc).size() == 0 ? 0 : (double) sharedChars / index.charsOf(doc).size());
      double questionIdf = idfSum(index, words.terms());
      coverQuery = Math.max(coverQuery, queryIdf == 0 ? 0 : shared / queryIdf);
      coverQuestion = Math.max(coverQuestion, questionIdf == 0 ? 0 : shared / questionIdf);
      missingQuery = Math.min(missingQuery, queryIdf - shared);
      missingQuestion = Math.min(missingQuestion, questionIdf - shared);
      dice = Math.max(dice, dice(query.chars(), index.charsOf(doc)));
      String question = index.normalizedQuestion(doc);
      int a = question.length();
      int b = query.normalized().length();
      lengthRatio = Math.max(lengthRatio, a == 0 || b == 0 ? 0 : (double) Math.min(a, b) / Math.max(a, b));
      if (question.equals(query.normalized())) {
        exact = 1;
      }
    }
    boolean vectors = !Double.isNaN(s.cosine());
    double cosine = vectors ? s.cosine() : 0;
    double cosineGap = vectors ? s.cosine() - tops.cosine() : 0;
    double bestOther = tops.bestOther(cosine);
    double cosineVsOthers = vectors && bestOther != Double.NEGATIVE_INFINITY ? cosine - bestOther : 0;
    double cosineShare = vectors ? Math.exp(SHARPNESS * cosine) / tops.cosineMass() : 0;
    return new double[] {
      cosine,
      cosineGap,
      tops.bm25Words() == 0 ? 0 : s.bm25Words() / tops.bm25Words(),
      tops.bm25Chars() == 0 ? 0 : s.bm25Chars() / tops.bm25Chars(),
      Math.log1p(s.bm25Words()),
      Math.log1p(s.bm25Chars()),
      coverQuery,
      coverQuestion,
      dice,
      lengthRatio,
      reciprocal(s.rankVector()),
      reciprocal(s.rankWords()),
      reciprocal(s.rankChars()),
      exact,
      Math.min(missingQuery, 30),
      Math.min(missingQuestion, 30),
      cosine * coverQuery,
      Math.min(maxMissingQuery, 30),
      Math.min(maxMissingQuestion, 30),
      charCoverQuery,
      charCoverQuestion,
      cosineShare,
      cosineVsOthers,
      s.density(),
    };
  }

  private static double reciprocal(int rank) {
    return rank == 0 ? 0 : 1.0 / rank;
  }

  private static double idfSum(FaqIndex index, String[] words) {
    double sum = 0;
    for (String w : words) {
      sum += index.idf(w);
    }
    return sum;
  }

  private static double dice(Set<String> query, TermSet question) {
    return query.isEmpty() || question.size() == 0 ? 0 : 2.0 * shared(query, question) / (query.size() + question.size());
  }

  private static int shared(Set<String> query, TermSet question) {
    int shared = 0;
    for (String t : question.terms()) {
      if (query.contains(t)) {
        shared++;
      }
    }
    return shared;
  }
}
