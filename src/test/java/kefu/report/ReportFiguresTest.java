package kefu.report;

import static kefu.report.ReportFixtures.MONDAY;
import static kefu.report.ReportFixtures.NEXT_MONDAY;
import static kefu.report.ReportFixtures.at;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import kefu.TestStore;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The report's figures beyond the ranking, against {@link ReportFixtures#loadMore}'s hand-computed ones: messages by
 * day and hour, the bot and its unanswered questions, complaint subjects, breaches, follow-ups; and a range of days
 * computed without its rows.
 */
class ReportFiguresTest {
  /** Groups as the knowledge base's grouping would: the invoice questions together, the broken repairs together. */
  private static final Wordings BY_TOPIC = texts -> {
    List<List<Integer>> groups = new ArrayList<>();
    List<String> topics = new ArrayList<>();
    for (int i = 0; i < texts.size(); i++) {
      String topic = texts.get(i).contains("发票") ? "发票" : texts.get(i).contains("坏") ? "坏" : texts.get(i);
      int at = topics.indexOf(topic);
      if (at < 0) {
        topics.add(topic);
        groups.add(new ArrayList<>(List.of(i)));
      } else {
        groups.get(at).add(i);
      }
    }
    return groups;
  };

  @TempDir Path dir;

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void theWeeksProblemsBotFollowUpsAndVolumesAreCountedByTheDatabase(TestStore store) throws Exception {
    try (TestStore.Open db = store.open(dir)) {
      ReportFixtures fixtures = new ReportFixtures();
      db.db().inTransaction(fixtures::load);
      ReportFixtures.More more = db.db().inTransaction(fixtures::loadMore);
      Report report = db.db().inTransaction(c -> new ReportComputer(ReportFixtures.BEIJING, 3, BY_TOPIC, SurveyDimensions.NONE)
          .compute(c, new Period(Period.Kind.WEEKLY, MONDAY, NEXT_MONDAY), at(NEXT_MONDAY, 9, 0)));

      assertThat(report.headline().messages()).isEqualTo(4);
      assertThat(report.days()).extracting(Report.DayVolume::messages).containsExactly(3, 1, 0, 0, 0, 0, 0);
      assertThat(report.hours()).hasSize(24);
      assertThat(report.hours()).filteredOn(h -> h.messages() > 0).extracting(Report.HourVolume::hour, Report.HourVolume::messages)
          .containsExactly(tuple(9, 2), tuple(14, 1));
      assertThat(report.hours().stream().mapToInt(Report.HourVolume::tickets).sum()).isEqualTo(report.headline().tickets());

      assertThat(report.bot()).isEqualTo(new Report.Bot(6, 1, 1, 4, 1));
      assertThat(report.unanswered()).containsExactly(new Report.Subject("能开发票吗", 3), new Report.Subject("几点关门", 1));
      assertThat(report.subjects()).containsExactly(new Report.Subject("设备修好后又坏了", 3), new Report.Subject("", 1));

      assertThat(report.sla().missedReplies()).isEqualTo(2);
      assertThat(report.sla().longWaits()).isEqualTo(1);
      assertThat(report.sla().list()).extracting(Report.Breach::ticketId, Report.Breach::kind, Report.Breach::at).containsExactly(
          tuple(more.missedReply(), "reply", "2026-11-18 12:00"), tuple(more.longWait(), "wait", "2026-11-20 11:00"),
          tuple(more.unkeptReply(), "reply", "2026-11-21 18:00"));
      assertThat(report.headline().breaches()).isEqualTo(3);

      assertThat(report.followUps()).isEqualTo(new Report.FollowUps(4, 2, 1, 2, 2));
      assertThat(report.distribution()).containsExactly(3, 7, 2, 2, 1);
      assertThat(report.days()).extracting(Report.DayVolume::meanScore)
          .containsExactly("1.100", "1.000", "0.967", "0.975", "0.967", "0.750", "1.100");
      assertThat(report.lowScores()).extracting(Report.LowScore::at, Report.LowScore::ageDays)
          .containsExactly(tuple("2026-11-20 16:00", 2L), tuple("2026-11-21 09:30", 1L), tuple("2026-11-21 09:45", 1L));
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void aRangeHasTheSameFiguresWithoutHoldingItsRatings(TestStore store) throws Exception {
    try (TestStore.Open db = store.open(dir)) {
      ReportFixtures fixtures = new ReportFixtures();
      db.db().inTransaction(fixtures::load);
      db.db().inTransaction(fixtures::loadMore);
      ReportComputer computer = new ReportComputer(ReportFixtures.BEIJING, 3, BY_TOPIC, SurveyDimensions.NONE);
      Report week = db.db().inTransaction(c -> computer.compute(c, new Period(Period.Kind.WEEKLY, MONDAY, NEXT_MONDAY), at(NEXT_MONDAY, 9, 0)));
      Report range = db.db().inTransaction(c -> computer.range(c, MONDAY, NEXT_MONDAY, at(NEXT_MONDAY, 9, 0)));
      assertThat(range.kind()).isEqualTo("range");
      assertThat(range.ratings()).isEmpty();
      assertThat(range.ranked()).isEqualTo(week.ranked());
      assertThat(range.headline()).isEqualTo(week.headline());
      assertThat(range.days()).isEqualTo(week.days());
      assertThat(range.followUps()).isEqualTo(week.followUps());

      List<Report.RatingRow> streamed = new ArrayList<>();
      db.db().inTransaction(c -> {
        new ReportRows(ReportFixtures.BEIJING).ratings(c, MONDAY.atStartOfDay(ReportFixtures.BEIJING).toInstant(),
            NEXT_MONDAY.atStartOfDay(ReportFixtures.BEIJING).toInstant(), streamed::add);
        return null;
      });
      assertThat(streamed).isEqualTo(week.ratings());
    }
  }
}
