package kefu.report;

import static kefu.report.ReportFixtures.MONDAY;
import static kefu.report.ReportFixtures.NEXT_MONDAY;
import static kefu.report.ReportFixtures.at;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import kefu.rating.Rating;
import java.util.List;
import java.util.Map;
import kefu.TestStore;
import kefu.store.Sql;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;
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
          .containsExactly(Tuple.tuple("赵丽", 2, "0.750"));
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

  /**
   * The survey's columns: where some agent got answers in the period, every agent has a cell in each ("" where they got
   * none, which the page shows as —); where nobody did, the report has no such columns.
   */
  @Test
  void surveyColumnsOnlyWithAnswersAndThenACellForEveryAgent() throws Exception {
    try (TestStore.Open db = TestStore.H2.open(dir)) {
      db.db().inTransaction(new ReportFixtures()::load);
      long wang = db.db().inTransaction(c -> Sql.one(c, "SELECT id FROM agents WHERE name = '王芳'", row -> row.longValue("id"))).orElseThrow();
      Period week = new Period(Period.Kind.WEEKLY, MONDAY, NEXT_MONDAY);
      Report answered = db.db().inTransaction(c -> new ReportComputer(ReportFixtures.BEIJING, 3, Wordings.EXACT, survey(Map.of(
          wang, List.of("1.100", "")))).compute(c, week, at(NEXT_MONDAY, 9, 0)));
      Report none = db.db().inTransaction(c -> new ReportComputer(ReportFixtures.BEIJING, 3, Wordings.EXACT, survey(Map.of()))
          .compute(c, week, at(NEXT_MONDAY, 9, 0)));

      assertThat(answered.dimensions()).containsExactly("态度", "速度");
      assertThat(answered.ranked()).extracting(Report.AgentScore::name, Report.AgentScore::dimensions).containsExactly(
          Tuple.tuple("王芳", List.of("1.100", "")), Tuple.tuple("刘洋", List.of("", "")),
          Tuple.tuple("李明", List.of("", "")), Tuple.tuple("张伟", List.of("", "")));
      assertThat(answered.unranked()).extracting(Report.AgentScore::dimensions).containsExactly(List.of("", ""));
      assertThat(none.dimensions()).isEmpty();
      assertThat(none.ranked()).allSatisfy(a -> assertThat(a.dimensions()).isEmpty());
    }
  }

  /** Two survey dimensions with {@code means} by agent. */
  private static SurveyDimensions survey(Map<Long, List<String>> means) {
    return new SurveyDimensions() {
      @Override
      public List<String> names() {
        return List.of("态度", "速度");
      }

      @Override
      public Map<Long, List<String>> means(java.sql.Connection c, Instant from, Instant to) {
        return means;
      }
    };
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void theMinimumOfRatingsDecidesWhoIsRanked(TestStore store) throws Exception {
    try (TestStore.Open db = store.open(dir)) {
      db.db().inTransaction(new ReportFixtures()::load);
      Report report = db.db().inTransaction(c -> ReportFixtures.computer(4)
          .compute(c, new Period(Period.Kind.WEEKLY, MONDAY, NEXT_MONDAY), at(NEXT_MONDAY, 9, 0)));
      assertThat(report.ranked()).extracting(Report.AgentScore::name, Report.AgentScore::rank)
          .containsExactly(Tuple.tuple("刘洋", 1), Tuple.tuple("李明", 1));
      assertThat(report.unranked()).extracting(Report.AgentScore::name).containsExactly("张伟", "王芳", "赵丽");
    }
  }

  /**
   * Berlin's week of 23 March 2026, in which the clocks go forward on Sunday 29 March (02:00 → 03:00), and its
   * October, in which they go back on the 25th: the edges are the local midnights, whatever the offset that day.
   * <pre>
   * in:  Mon 03-23 00:00 CET (Sun 23:00 UTC); Sun 03-29 03:30 CEST (the first hour after the change); Sun 03-29 23:59 CEST
   * out: Sun 03-22 23:59 CET; Mon 03-30 00:00 CEST (Sun 22:00 UTC, which a fixed +01:00 would count as Sunday 23:00)
   * October in: 10-01 00:00 CEST, 10-31 23:30 CET; out: 11-01 00:00 CET (10-31 23:00 UTC)
   * </pre>
   * One agent, 王芳, rated 1.1, 1.0, 0.9 in the week → mean 1.000 on 3 ratings; the days 03-23 one, 03-29 two.
   */
  @ParameterizedTest
  @EnumSource(TestStore.class)
  void periodsFollowTheLocalMidnightsAcrossDaylightSavingChanges(TestStore store) throws Exception {
    ZoneId berlin = ZoneId.of("Europe/Berlin");
    try (TestStore.Open db = store.open(dir)) {
      LocalDate monday = LocalDate.of(2026, 3, 23);
      ReportFixtures fixtures = new ReportFixtures();
      db.db().inTransaction(c -> {
        long wang = new kefu.desk.AgentRepository().add(c, "wangfang", "王芳", kefu.desk.Agent.Role.AGENT, "unused",
            Instant.parse("2026-01-01T00:00:00Z")).orElseThrow().id();
        Object[][] ratings = {{monday, 0, 0, Rating.VERY_SATISFIED}, {monday.plusDays(6), 3, 30, Rating.SATISFIED},
            {monday.plusDays(6), 23, 59, Rating.NEUTRAL}, {monday.minusDays(1), 23, 59, Rating.VERY_DISSATISFIED},
            {monday.plusDays(7), 0, 0, Rating.VERY_DISSATISFIED}, {LocalDate.of(2026, 10, 1), 0, 0, Rating.VERY_SATISFIED},
            {LocalDate.of(2026, 10, 31), 23, 30, Rating.SATISFIED}, {LocalDate.of(2026, 11, 1), 0, 0, Rating.VERY_DISSATISFIED}};
        for (Object[] r : ratings) {
          Instant at = LocalDateTime.of((LocalDate) r[0], LocalTime.of((Integer) r[1], (Integer) r[2])).atZone(berlin).toInstant();
          kefu.ticket.Ticket ticket = fixtures.ticket(c, kefu.ticket.Ticket.Kind.HANDOFF, at);
          new kefu.ticket.TicketRepository().assign(c, ticket.id(), wang, at);
          fixtures.rate(c, ticket, at, (Rating) r[3]);
        }
        return null;
      });
      ReportComputer computer = new ReportComputer(berlin, 1, Wordings.EXACT, SurveyDimensions.NONE);
      Period week = Period.lastDue(Period.Kind.WEEKLY, monday.plusDays(7).atTime(9, 0).atZone(berlin).toInstant(), berlin, LocalTime.of(9, 0));
      assertThat(week).isEqualTo(new Period(Period.Kind.WEEKLY, monday, monday.plusDays(7)));
      Report report = db.db().inTransaction(c -> computer.compute(c, week, Instant.parse("2026-03-30T07:00:00Z")));
      assertThat(report.ranked()).extracting(Report.AgentScore::name, Report.AgentScore::ratings, Report.AgentScore::mean)
          .containsExactly(Tuple.tuple("王芳", 3, "1.000"));
      assertThat(report.ratings()).extracting(Report.RatingRow::date, Report.RatingRow::time)
          .containsExactly(Tuple.tuple("2026-03-23", "00:00"), Tuple.tuple("2026-03-29", "03:30"),
              Tuple.tuple("2026-03-29", "23:59"));
      assertThat(report.days()).extracting(Report.DayVolume::ratings).containsExactly(1, 0, 0, 0, 0, 0, 2);
      assertThat(report.days()).extracting(Report.DayVolume::tickets).containsExactly(1, 0, 0, 0, 0, 0, 2);
      assertThat(report.hours()).filteredOn(h -> h.tickets() > 0).extracting(Report.HourVolume::hour).containsExactly(0, 3, 23);

      Report october = db.db().inTransaction(c -> computer.compute(c,
          new Period(Period.Kind.MONTHLY, LocalDate.of(2026, 10, 1), LocalDate.of(2026, 11, 1)), Instant.parse("2026-11-03T08:00:00Z")));
      assertThat(october.headline().ratings()).isEqualTo(2);
      assertThat(october.headline().meanScore()).isEqualTo("1.050");
      assertThat(october.days()).hasSize(31);
      assertThat(october.days().get(30).ratings()).isEqualTo(1);
      assertThat(october.days().get(0).ratings()).isEqualTo(1);
    }
  }

  private static long id(Report report, String name) {
    return report.ranked().stream().filter(a -> a.name().equals(name)).findFirst().orElseThrow().agentId();
  }
}
