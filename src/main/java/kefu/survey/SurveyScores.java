package kefu.survey;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** What reports read of the surveys: the mean score of each question (dimension) per agent over a period. */
public interface SurveyScores {

  /**
   * The ratings answered in {@code [from, to)}, averaged per agent (the record's owner when the survey was asked; empty:
   * records without one), survey and question, in that order; in the caller's transaction.
   */
  List<DimensionMean> means(Connection c, Instant from, Instant to) throws SQLException;

  /**
   * One dimension's mean for one agent.
   *
   * @param dimension the question's key (technician-skill …); {@code label} its name as agents read it
   * @param mean the mean score, 0.7 … 1.1, to two places
   * @param answers how many ratings it is the mean of
   */
  record DimensionMean(Optional<Long> agentId, String survey, String dimension, String label, BigDecimal mean, int answers) {}
}
