package kefu.report;

import static kefu.report.ReportFixtures.MONDAY;
import static kefu.report.ReportFixtures.NEXT_MONDAY;
import static kefu.report.ReportFixtures.at;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import kefu.TestStore;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The weekly report of the fixture's week, against the hand-computed figures of {@link ReportFixtures}. */
class ReportComputerTest {
  @TempDir Path dir;

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void ranksAgentsByMeanScoreCreditingTransfersWithinTheWeekInBeijingTime(TestStore store) throws Exception {
    try (TestStore.Open db = store.open(dir)) {
      ReportFixtures.Made made = db.db().inTransaction(new ReportFixtures()::load);
      Report report = db.db().inTransaction(c -> ReportFixtures.computer(3)
          .compute(c, new Period(Period.Kind.WEEKLY, MONDAY, NEXT_MONDAY), at(NEXT_MONDAY, 9, 0)));

      assertThat(report.ranked()).containsExactly(
          new Report.AgentScore(1, id(report, "王芳"), "王芳", 3, "1.067", List.of()),
          new Report.AgentScore(2, id(report, "刘洋"), "刘洋", 4, "0.975", List.of()),
          new Report.AgentScore(2, id(report, "李明"), "李明", 4, "0.975", List.of()),
          new Report.AgentScore(4, id(report, "张伟"), "张伟", 3, "0.967", List.of()));
      assertThat(report.unranked()).extracting(Report.AgentScore::name, Report.AgentScore::ratings, Report.AgentScore::mean)
          .containsExactly(org.assertj.core.groups.Tuple.tuple("赵丽", 2, "0.750"));
      assertThat(report.headline()).isEqualTo(new Report.Headline(17, 0, 17, 15, "0.960", 1, 0));
      assertThat(report.ratings()).hasSize(15);
      assertThat(report.ratings().get(0)).as("Monday 00:00 is the week's").extracting(Report.RatingRow::date, Report.RatingRow::time)
          .containsExactly("2026-11-16", "00:00");
      assertThat(report.ratings()).filteredOn(r -> r.ticketId() == made.transferredTicket()).singleElement()
          .extracting(Report.RatingRow::agents).isEqualTo("王芳、李明");
      assertThat(report.lowScores()).extracting(Report.LowScore::score).containsExactly("0.8", "0.7", "0.8");
      assertThat(report.complaints()).containsExactly(
          new Report.OpenComplaint(made.openComplaint(), "major", "2026-11-20 10:00", 2, 23, "张伟"));
      assertThat(report.days()).extracting(Report.DayVolume::day).containsExactly(
          "2026-11-16", "2026-11-17", "2026-11-18", "2026-11-19", "2026-11-20", "2026-11-21", "2026-11-22");
      assertThat(report.days()).extracting(Report.DayVolume::ratings).containsExactly(1, 1, 3, 4, 3, 2, 1);
      assertThat(report.days()).extracting(Report.DayVolume::tickets).containsExactly(1, 1, 3, 4, 5, 2, 1);
      assertThat(report.bot()).isEqualTo(new Report.Bot(0, 0, 0, 0, 0));
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void theMinimumOfRatingsDecidesWhoIsRanked(TestStore store) throws Exception {
    try (TestStore.Open db = store.open(dir)) {
      db.db().inTransaction(new ReportFixtures()::load);
      Report report = db.db().inTransaction(c -> ReportFixtures.computer(4)
          .compute(c, new Period(Period.Kind.WEEKLY, MONDAY, NEXT_MONDAY), at(NEXT_MONDAY, 9, 0)));
      assertThat(report.ranked()).extracting(Report.AgentScore::name, Report.AgentScore::rank)
          .containsExactly(org.assertj.core.groups.Tuple.tuple("刘洋", 1), org.assertj.core.groups.Tuple.tuple("李明", 1));
      assertThat(report.unranked()).extracting(Report.AgentScore::name).containsExactly("张伟", "王芳", "赵丽");
    }
  }

  private static long id(Report report, String name) {
    return report.ranked().stream().filter(a -> a.name().equals(name)).findFirst().orElseThrow().agentId();
  }
}
