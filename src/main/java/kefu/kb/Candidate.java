package kefu.kb;

/**
 * One entry the engine considered for a query, with the numbers it was judged by.
 *
 * @param entryId the FAQ entry
 * @param confidence the confidence, 0–1, that this entry answers the query: the second stage's, from the reranker's
 * @param signals what the retrievers found
 * @param features the reranker's inputs, in the order of {@link #featureNames()}
 * @param stageInputs the second stage's inputs, in the order of {@link SecondStage#NAMES}
 */
public record Candidate(String entryId, double confidence, Signals signals, double[] features, double[] stageInputs) {
  public static java.util.List<String> featureNames() {
    return Features.NAMES;
  }
}
