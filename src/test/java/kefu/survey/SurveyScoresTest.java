package kefu.survey;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import kefu.TestStore;
import kefu.rating.Rating;
import kefu.store.Sql;
import kefu.template.Templates;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** What reports read of the surveys: each question's mean score per agent over a period, ratings only, in the period only. */
class SurveyScoresTest {
  private static final Templates TEMPLATES = Templates.load(Path.of("templates"));
  private static final Instant MONDAY = Instant.parse("2026-11-30T02:00:00Z");

  @TempDir Path dir;

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void meansPerAgentAndDimensionOverThePeriod(TestStore store) throws Exception {
    SurveyRuns runs = new SurveyRuns();
    SurveyScores scores = new SurveyAnswers(Surveys.load(Path.of("templates"), TEMPLATES), (plan, step) -> Optional.empty(),
        new SurveyComplaints() {
          @Override
          public long open(Connection c, long customerId, String told, Instant now) {
            throw new AssertionError("no complaint here");
          }

          @Override
          public void opened() {}
        });
    try (TestStore.Open db = store.open(dir)) {
      long agent = db.db().inTransaction(c -> Sql.insert(c,
          "INSERT INTO agents (login, name, role, password_hash, created_at) VALUES ('wangfang', '王芳', 'agent', 'x', ?)", MONDAY));
      List<SurveyScores.DimensionMean> means = db.db().inTransaction(c -> {
        long first = run(c, "R-1", Optional.of(agent));
        long second = run(c, "R-2", Optional.of(agent));
        long unowned = run(c, "R-3", Optional.empty());
        runs.answer(c, first, "technician-skill", Optional.of(Rating.ofLevel(1)), Optional.empty(), MONDAY);
        runs.answer(c, second, "technician-skill", Optional.of(Rating.ofLevel(4)), Optional.empty(), MONDAY.plusSeconds(3600));
        runs.answer(c, second, "comment", Optional.empty(), Optional.of("很好"), MONDAY);
        runs.answer(c, unowned, "overall", Optional.of(Rating.ofLevel(2)), Optional.empty(), MONDAY);
        runs.answer(c, first, "overall", Optional.of(Rating.ofLevel(5)), Optional.empty(), MONDAY.minusSeconds(7 * 86400));
        return scores.means(c, MONDAY.minusSeconds(3600), MONDAY.plusSeconds(7 * 86400));
      });
      assertThat(means).containsExactlyInAnyOrder(
          new SurveyScores.DimensionMean(Optional.of(agent), "repair", "technician-skill", "技术员维修水平", new BigDecimal("0.95"), 2),
          new SurveyScores.DimensionMean(Optional.empty(), "repair", "overall", "总体满意度", new BigDecimal("1.00"), 1));
    }
  }

  /** A repair survey asked of a new record owned by {@code owner}; the run's id. */
  private static long run(Connection c, String reference, Optional<Long> owner) throws SQLException {
    long record = Sql.insert(c, "INSERT INTO customer_records (reference, line, member, owner_agent_id, link_code, created_at, updated_at)"
        + " VALUES (?, 'equipment', FALSE, ?, ?, ?, ?)", reference, owner, "q" + reference, MONDAY, MONDAY);
    return Sql.insert(c, "INSERT INTO survey_runs (record_id, survey, channel, status, agent_id, started_at, updated_at)"
        + " VALUES (?, 'repair', 'phone', 'done', ?, ?, ?)", record, owner, MONDAY, MONDAY);
  }
}
