package kefu.kb;

/**
 * One entry the engine considered for a query, with the numbers it was judged by.
 *
 * @param entryId the FAQ entry
 * @param confidence the reranker's confidence, 0–1, that this entry answers the query
 * @param signals what the retrievers found
 * @param features the reranker's inputs, in the order of {@link #featureNames()}
 */
public record Candidate(String entryId, double confidence, Signals signals, double[] features) {
  public static java.util.List<String> featureNames() {
    return Features.NAMES;
  }
}
