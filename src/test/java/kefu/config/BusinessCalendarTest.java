package kefu.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Working days and hours: weekends, holidays, 调休 make-up working days, and when work starts again. */
class BusinessCalendarTest {
  private static final ZoneId BEIJING = ZoneId.of("Asia/Shanghai");
  // The 2026 National Day holiday: Thursday 1 October to Wednesday 7 October off, Saturday 10 October worked.
  private static final BusinessCalendar CALENDAR = new BusinessCalendar(BEIJING, LocalTime.of(9, 0), LocalTime.of(18, 0),
      EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY),
      Set.copyOf(LocalDate.of(2026, 10, 1).datesUntil(LocalDate.of(2026, 10, 8)).toList()), Set.of(LocalDate.of(2026, 10, 10)));

  @Test
  void weekdaysAreWorkedExceptHolidaysAndMakeUpDaysAreWorkedToo() {
    assertThat(CALENDAR.isWorkday(LocalDate.of(2026, 9, 30))).as("Wednesday").isTrue();
    assertThat(CALENDAR.isWorkday(LocalDate.of(2026, 10, 1))).as("National Day, a Thursday").isFalse();
    assertThat(CALENDAR.isWorkday(LocalDate.of(2026, 10, 3))).as("a Saturday in the holiday").isFalse();
    assertThat(CALENDAR.isWorkday(LocalDate.of(2026, 10, 10))).as("调休 Saturday").isTrue();
    assertThat(CALENDAR.isWorkday(LocalDate.of(2026, 10, 11))).as("Sunday").isFalse();
  }

  @Test
  void openFromOpeningUpToClosingOnWorkdays() {
    assertThat(CALENDAR.isOpen(instant(2026, 9, 30, 8, 59))).isFalse();
    assertThat(CALENDAR.isOpen(instant(2026, 9, 30, 9, 0))).isTrue();
    assertThat(CALENDAR.isOpen(instant(2026, 9, 30, 17, 59))).isTrue();
    assertThat(CALENDAR.isOpen(instant(2026, 9, 30, 18, 0))).isFalse();
    assertThat(CALENDAR.isOpen(instant(2026, 10, 10, 10, 0))).as("调休 Saturday morning").isTrue();
  }

  @Test
  void workStartsAgainOnTheNextWorkingMorning() {
    assertThat(CALENDAR.nextOpening(at(2026, 9, 30, 18, 30).toInstant())).hasValue(at(2026, 10, 8, 9, 0));
    assertThat(CALENDAR.nextOpening(at(2026, 10, 8, 7, 0).toInstant())).hasValue(at(2026, 10, 8, 9, 0));
    assertThat(CALENDAR.nextOpening(at(2026, 10, 9, 20, 0).toInstant())).as("Friday evening before 调休").hasValue(at(2026, 10, 10, 9, 0));
    assertThat(CALENDAR.nextOpening(at(2026, 10, 8, 10, 0).toInstant())).as("open now").hasValue(at(2026, 10, 8, 10, 0));
  }

  private static Instant instant(int year, int month, int day, int hour, int minute) {
    return at(year, month, day, hour, minute).toInstant();
  }

  private static ZonedDateTime at(int year, int month, int day, int hour, int minute) {
    return LocalDateTime.of(year, month, day, hour, minute).atZone(BEIJING);
  }
}
