package kefu.kb.eval;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import kefu.kb.eval.ThresholdReport.Result;
import org.junit.jupiter.api.Test;

class ThresholdReportTest {
  // Four in-scope questions (three answered rightly when the bot is sure enough) and two out of scope.
  private final ThresholdReport report = new ThresholdReport(
      List.of(new Result(0.9, true), new Result(0.8, true), new Result(0.7, false), new Result(0.6, true)),
      List.of(new Result(0.75, false), new Result(0.2, false)));

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
    assertThat(new ThresholdReport(List.of(new Result(0.9, false)), List.of()).lowestWhereRight(0.9)).isEmpty();
  }
}
