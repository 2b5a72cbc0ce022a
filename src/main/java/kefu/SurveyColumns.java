package kefu;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import kefu.report.SurveyDimensions;
import kefu.survey.Survey;
import kefu.survey.SurveyScores;
import kefu.survey.Surveys;

/**
 * The surveys' rating questions as the reports' ranking columns: glue between two features that know nothing of each
 * other. A column is a question's label; where two surveys ask under one label, their answers are pooled.
 */
final class SurveyColumns implements SurveyDimensions {
  private final SurveyScores scores;
  private final List<String> names;

  SurveyColumns(Surveys surveys, SurveyScores scores) {
    this.scores = scores;
    this.names = surveys.all().stream().flatMap(s -> s.questions().stream())
        .filter(q -> q.kind() == Survey.Kind.RATING).map(Survey.Question::label).distinct().toList();
  }

  @Override
  public List<String> names() {
    return names;
  }

  @Override
  public Map<Long, List<String>> means(Connection c, Instant from, Instant to) throws SQLException {
    // Per agent and column: the sum of the scores and how many, so that pooled surveys weigh by their answers.
    Map<Long, BigDecimal[]> sums = new HashMap<>();
    Map<Long, int[]> counts = new HashMap<>();
    for (SurveyScores.DimensionMean mean : scores.means(c, from, to)) {
      int column = names.indexOf(mean.label());
      if (mean.agentId().isEmpty() || column < 0) {
        continue; // a record nobody owns, or a question no longer in the surveys
      }
      long agent = mean.agentId().get();
      BigDecimal[] sum = sums.computeIfAbsent(agent, a -> Collections.nCopies(names.size(), BigDecimal.ZERO).toArray(BigDecimal[]::new));
      int[] count = counts.computeIfAbsent(agent, a -> new int[names.size()]);
      sum[column] = sum[column].add(mean.mean().multiply(BigDecimal.valueOf(mean.answers())));
      count[column] += mean.answers();
    }
    Map<Long, List<String>> means = new HashMap<>();
    sums.forEach((agent, sum) -> {
      int[] count = counts.get(agent);
      List<String> row = new ArrayList<>(names.size());
      for (int i = 0; i < names.size(); i++) {
        row.add(count[i] == 0 ? "" : sum[i].divide(BigDecimal.valueOf(count[i]), 3, RoundingMode.HALF_UP).toPlainString());
      }
      means.put(agent, row);
    });
    return means;
  }
}
