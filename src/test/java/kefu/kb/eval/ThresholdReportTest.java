package kefu.kb.eval;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import kefu.kb.eval.ThresholdReport.Result;
import org.junit.jupiter.api.Test;

class ThresholdReportTest {
  // Four in-scope questions (three answered rightly when the bot is sure enough) and two out of scope.
  private final ThresholdReport report = new ThresholdReport(
      List.of(in("q1", 0.9, true), in("q2", 0.8, true), in("q3", 0.7, false), in("q4", 0.6, true)),
      List.of(new Result("q5", "e", "a", 0.75), new Result("q6", "e", null, 0.2)));

  @Test
  void aRowCountsWhatWouldBeAnsweredAtItsThreshold() {
    ThresholdReport.Row row = report.at(0.7);

    assertThat(row.inScopeAnswered()).isEqualTo(0.75);
    assertThat(row.inScopeRight()).isEqualTo(2.0 / 3);
    assertThat(row.outOfScopeAnswered()).isEqualTo(0.5);
    // Both sides weigh the same: right 2/4 of in-scope, answered 3/4 + 1/2.
    assertThat(row.rightOfAll()).isEqualTo(0.5 / 1.25);
  }

  @Test
  void nothingAnsweredHasNoShareRight() {
    ThresholdReport.Row row = report.at(0.95);

    assertThat(row.inScopeAnswered()).isZero();
    assertThat(row.inScopeRight()).isNaN();
    assertThat(row.rightOfAll()).isNaN();
  }

  @Test
  void theLowestThresholdIsTheLastSurenessAtWhichEnoughAnswersAreRight() {
    // At 0.8 both answers are right, at 0.75 an out-of-scope one (weight 1/2) joins them (1/4 each): half right.
    assertThat(report.lowestWhereRight(0.9)).hasValue(0.8);
    // Lower, the share falls (0.7: 0.4) and comes back (0.6: 3/4 right of 3/2 answered), so 0.6 is the lowest.
    assertThat(report.lowestWhereRight(0.5)).hasValue(0.6);
    assertThat(new ThresholdReport(List.of(in("q", 0.9, false)), List.of()).lowestWhereRight(0.9)).isEmpty();
  }

  @Test
  void theSurestMistakesAreInScopeQuestionsAnsweredWithAnotherEntry() {
    ThresholdReport two = new ThresholdReport(List.of(in("q1", 0.5, false), in("q2", 0.9, true), in("q3", 0.8, false),
        new Result("q4", "a", null, 0)), List.of(new Result("q5", "e", "a", 0.95)));

    assertThat(two.surestMistakes(5)).extracting(Result::question).containsExactly("q3", "q1");
    assertThat(two.surestMistakes(1)).extracting(Result::question).containsExactly("q3");
  }

  private static Result in(String question, double sureness, boolean right) {
    return new Result(question, "a", right ? "a" : "b", sureness);
  }
}
