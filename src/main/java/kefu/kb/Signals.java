package kefu.kb;

/**
 * What the retrievers found for one candidate entry: its best BM25 scores and ranks over words and characters,
 * its vector rank, and its best cosine over all its questions with that question's density. Ranks start at 1;
 * 0 means not found.
 */
public final class Signals {
  private double bm25Words;
  private int rankWords;
  private double bm25Chars;
  private int rankChars;
  private int rankVector;
  private double cosine = Double.NaN;
  private double density;

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

  /** How crowded the space around the question with the best cosine is; 0 without vectors. */
  public double density() {
    return density;
  }
}
