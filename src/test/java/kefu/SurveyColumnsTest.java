package kefu;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import kefu.survey.SurveyScores;
import kefu.survey.Surveys;
import kefu.template.Templates;
import org.junit.jupiter.api.Test;

class SurveyColumnsTest {
  private static final Path TEMPLATES = Path.of("templates");

  @Test
  void theRepairSurveysRatingQuestionsAreTheRankingsColumnsWithEachAgentsMeans() throws Exception {
    // Proves: the ranking gets one column per rating question of the shipped surveys (not the comment), in their
    // order; an agent's means land under their questions, weighed by answers where two surveys share a label; answers
    // of records nobody owns and of questions no longer asked are left out; a column an agent got nothing in is "".
    Surveys surveys = Surveys.load(TEMPLATES, Templates.load(TEMPLATES));
    SurveyScores scores = (c, from, to) -> List.of(
        mean(7, "repair", "客服专员服务态度", "1.1", 2),
        mean(7, "other", "客服专员服务态度", "0.8", 1),
        mean(7, "repair", "总体满意度", "0.9", 4),
        mean(9, "repair", "技术员维修水平", "1.0", 1),
        new SurveyScores.DimensionMean(Optional.empty(), "repair", "q", "总体满意度", new BigDecimal("0.7"), 3),
        mean(9, "repair", "早已删去的问题", "0.7", 5));
    SurveyColumns columns = new SurveyColumns(surveys, scores);

    assertThat(columns.names()).containsExactly("客服专员服务态度", "上门服务速度", "技术员现场服务态度", "技术员维修水平", "总体满意度");
    var means = columns.means(null, Instant.EPOCH, Instant.EPOCH);
    assertThat(means).containsOnlyKeys(7L, 9L);
    assertThat(means.get(7L)).containsExactly("1.000", "", "", "", "0.900");
    assertThat(means.get(9L)).containsExactly("", "", "", "1.000", "");
  }

  private static SurveyScores.DimensionMean mean(long agent, String survey, String label, String mean, int answers) {
    return new SurveyScores.DimensionMean(Optional.of(agent), survey, "q", label, new BigDecimal(mean), answers);
  }
}
