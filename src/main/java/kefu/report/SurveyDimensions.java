package kefu.report;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The seam for the survey's dimensions (态度, 速度, 专业 …): the ranking shows one column each, the mean each agent got
 * in the period. The survey answers are another feature's tables; it plugs in here through App, and until it does
 * the report has no such columns ({@link #NONE}).
 */
public interface SurveyDimensions {
  /** No survey: no dimension columns. */
  SurveyDimensions NONE = new SurveyDimensions() {
    @Override
    public List<String> names() {
      return List.of();
    }

    @Override
    public Map<Long, List<String>> means(Connection c, Instant from, Instant to) {
      return Map.of();
    }
  };

  /** The dimensions' names as the ranking's column headings, in their order. */
  List<String> names();

  /**
   * Each agent's mean of each dimension, in the order of {@link #names()}, of the answers given in [{@code from},
   * {@code to}): decimals to three places as text, "" where the agent got none. In the caller's transaction.
   */
  Map<Long, List<String>> means(Connection c, Instant from, Instant to) throws SQLException;
}
