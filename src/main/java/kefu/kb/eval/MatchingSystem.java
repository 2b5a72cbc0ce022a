package kefu.kb.eval;

/** A FAQ matcher under evaluation: kefu itself or one of the baselines built from stock parts. */
public interface MatchingSystem extends AutoCloseable {
  String name();

  /** Ranks the FAQ entries for one query; blocks. */
  Ranking rank(String query);

  @Override
  default void close() {}
}
