package kefu.report;

import static kefu.report.ReportFixtures.BEIJING;
import static kefu.report.ReportFixtures.at;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

/** When each report falls due and which days it covers, in the business's zone. */
class PeriodTest {
  private static final LocalTime NINE = LocalTime.of(9, 0);

  @Test
  void theWeeklyReportIsDueOnMondayAtItsTimeForMondayToSundayJustPast() {
    LocalDate monday = LocalDate.of(2026, 11, 23);
    assertThat(weekly(at(monday, 9, 0))).isEqualTo(new Period(Period.Kind.WEEKLY, monday.minusWeeks(1), monday));
    assertThat(weekly(at(monday, 8, 59))).as("before its time: the week before is the latest due")
        .isEqualTo(new Period(Period.Kind.WEEKLY, monday.minusWeeks(2), monday.minusWeeks(1)));
    assertThat(weekly(at(monday.plusDays(6), 23, 59))).as("all week long").isEqualTo(weekly(at(monday, 9, 0)));
  }

  @Test
  void theMonthlyReportIsDueOnTheThirdAtItsTimeForTheMonthJustPast() {
    assertThat(monthly(at(LocalDate.of(2026, 12, 3), 9, 0)))
        .isEqualTo(new Period(Period.Kind.MONTHLY, LocalDate.of(2026, 11, 1), LocalDate.of(2026, 12, 1)));
    assertThat(monthly(at(LocalDate.of(2026, 12, 3), 8, 59)))
        .isEqualTo(new Period(Period.Kind.MONTHLY, LocalDate.of(2026, 10, 1), LocalDate.of(2026, 11, 1)));
    assertThat(monthly(at(LocalDate.of(2027, 1, 3), 9, 0))).as("across the year")
        .isEqualTo(new Period(Period.Kind.MONTHLY, LocalDate.of(2026, 12, 1), LocalDate.of(2027, 1, 1)));
    assertThat(monthly(at(LocalDate.of(2027, 3, 2), 23, 0))).as("February's is due on 3 March")
        .isEqualTo(new Period(Period.Kind.MONTHLY, LocalDate.of(2027, 1, 1), LocalDate.of(2027, 2, 1)));
  }

  @Test
  void aPeriodStartsAndEndsAtMidnightInTheBusinessZoneAcrossDaylightSaving() {
    ZoneId berlin = ZoneId.of("Europe/Berlin");
    Period week = new Period(Period.Kind.WEEKLY, LocalDate.of(2026, 10, 19), LocalDate.of(2026, 10, 26));
    assertThat(week.from(BEIJING)).hasToString("2026-10-18T16:00:00Z");
    assertThat(week.to(berlin)).as("summer time ended on 25 October").hasToString("2026-10-25T23:00:00Z");
    assertThat(week.from(berlin)).hasToString("2026-10-18T22:00:00Z");
  }

  private static Period weekly(java.time.Instant now) {
    return Period.lastDue(Period.Kind.WEEKLY, now, BEIJING, NINE);
  }

  private static Period monthly(java.time.Instant now) {
    return Period.lastDue(Period.Kind.MONTHLY, now, BEIJING, NINE);
  }
}
