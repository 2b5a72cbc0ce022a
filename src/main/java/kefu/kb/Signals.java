package kefu.kb;

/**
 * What the retrievers found for one candidate entry: its best BM25 scores and ranks over words and characters,
 * its vector rank, its best cosine over all its questions with that question's density, and how near its answer
 * is, and how much of the query neither its questions nor its answer hold. Ranks start at 1; 0 means not found.
 */
public final class Signals {
  private double bm25Words;
  private int rankWords;
  private double bm25Chars;
  private int rankChars;
  private int rankVector;
  private double cosine = Double.NaN;
  private double density;
  private double answerCosine = Double.NaN;
  private double answerCover;
  private double uncovered;
  private double uncoveredRarest;

  void words(int rank, float score) {
    bm25Words = Math.max(bm25Words, score);
    rankWords = firstRank(rankWords, rank);
  }

  void chars(int rank, float score) {
    bm25Chars = Math.max(bm25Chars, score);
    rankChars = firstRank(rankChars, rank);
  }

  void vectorRank(int rank) {
    rankVector = firstRank(rankVector, rank);
  }

  /** A question of the entry is {@code value} from the query, in a crowd of {@code density} (see QuestionDensity). */
  void cosine(double value, double density) {
    if (Double.isNaN(cosine) || value > cosine) {
      cosine = value;
      this.density = density;
    }
  }

  /** The entry's answer: its clause nearest the query, and the share of the query's words it holds. */
  void answer(double cosine, double cover) {
    answerCosine = cosine;
    answerCover = cover;
  }

  /** The query's words that none of the entry's questions and not its answer hold: their share, and the rarest. */
  void uncovered(double share, double rarest) {
    uncovered = share;
    uncoveredRarest = rarest;
  }

  private static int firstRank(int current, int rank) {
    return current == 0 && rank != Integer.MAX_VALUE ? rank : current;
  }

  public double bm25Words() {
    return bm25Words;
  }

  public int rankWords() {
    return rankWords;
  }

  public double bm25Chars() {
    return bm25Chars;
  }

  public int rankChars() {
    return rankChars;
  }

  public int rankVector() {
    return rankVector;
  }

  /** The best cosine over the entry's questions; NaN without vectors. */
  public double cosine() {
    return cosine;
  }

  /** The best cosine over the entry's answer clauses; NaN without vectors or answer. */
  public double answerCosine() {
    return answerCosine;
  }

  /** The share of the query's words, weighted by rarity, that the entry's answer holds; 0 without answer. */
  public double answerCover() {
    return answerCover;
  }

  /**
   * The share of the query's words, weighted by rarity, that none of the entry's questions and not its answer hold:
   * what the entry leaves unexplained (门店电话多少 shares 门店 with an address entry that says nothing of 电话). 0 in
   * an index without answers.
   */
  public double uncovered() {
    return uncovered;
  }

  /** The IDF of the rarest query word the entry holds nowhere; 0 when it holds them all. */
  public double uncoveredRarest() {
    return uncoveredRarest;
  }

  /** How crowded the space around the question with the best cosine is; 0 without vectors. */
  public double density() {
    return density;
  }
}
