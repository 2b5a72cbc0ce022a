package kefu.config;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Optional;
import java.util.Set;

/**
 * When the business is at work: its working hours on working days, in its time zone. A working day is one of the
 * usual weekdays that is not a holiday, or a make-up working day (调休) that falls on a weekend.
 *
 * @param opens when work starts on a working day
 * @param closes when it ends; after {@code opens}
 * @param weekdays the days of the week normally worked
 * @param holidays days off that would otherwise be worked
 * @param makeUpWorkdays days worked that would otherwise be off
 */
public record BusinessCalendar(ZoneId zone, LocalTime opens, LocalTime closes, Set<DayOfWeek> weekdays, Set<LocalDate> holidays,
    Set<LocalDate> makeUpWorkdays) {

  /** Monday to Friday, 09:00–18:00, Beijing time, no holidays listed. */
  public static final BusinessCalendar OFFICE = new BusinessCalendar(ZoneId.of("Asia/Shanghai"), LocalTime.of(9, 0),
      LocalTime.of(18, 0), Set.of(DayOfWeek.MONDAY, DayOfWeek.TUESDAY, DayOfWeek.WEDNESDAY, DayOfWeek.THURSDAY, DayOfWeek.FRIDAY),
      Set.of(), Set.of());

  public BusinessCalendar {
    weekdays = Set.copyOf(weekdays);
    holidays = Set.copyOf(holidays);
    makeUpWorkdays = Set.copyOf(makeUpWorkdays);
    if (!closes.isAfter(opens)) {
      throw new IllegalArgumentException("working hours must end after they start");
    }
  }

  public boolean isWorkday(LocalDate day) {
    return makeUpWorkdays.contains(day) || (weekdays.contains(day.getDayOfWeek()) && !holidays.contains(day));
  }

  /** Whether {@code at} falls within working hours on a working day. */
  public boolean isOpen(Instant at) {
    ZonedDateTime local = at.atZone(zone);
    LocalTime time = local.toLocalTime();
    return isWorkday(local.toLocalDate()) && !time.isBefore(opens) && time.isBefore(closes);
  }

  /** When work next starts at or after {@code at}: {@code at} itself if open now. Empty if no working day within a year. */
  public Optional<ZonedDateTime> nextOpening(Instant at) {
    if (isOpen(at)) {
      return Optional.of(at.atZone(zone));
    }
    ZonedDateTime local = at.atZone(zone);
    LocalDate day = local.toLocalDate();
    if (isWorkday(day) && local.toLocalTime().isBefore(opens)) {
      return Optional.of(day.atTime(opens).atZone(zone));
    }
    for (int i = 1; i <= 366; i++) {
      LocalDate next = day.plusDays(i);
      if (isWorkday(next)) {
        return Optional.of(next.atTime(opens).atZone(zone));
      }
    }
    return Optional.empty();
  }
}
