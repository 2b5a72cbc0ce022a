package kefu.report;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.temporal.TemporalAdjusters;
import java.util.Locale;

/**
 * The days a report covers, [{@code start}, {@code end}) in the business's zone: a week from Monday, or a calendar
 * month.
 */
public record Period(Kind kind, LocalDate start, LocalDate end) {

  /** The weekly report (每周一公布上周) or the monthly one (每月3号公布上月). */
  public enum Kind {
    WEEKLY, MONTHLY;

    public String key() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** The kind named {@code key} (weekly, monthly). */
    public static Kind of(String key) {
      return valueOf(key.toUpperCase(Locale.ROOT));
    }
  }

  /**
   * The latest period of {@code kind} whose report was due at or before {@code now}: due on the Monday after the week
   * at {@code at}, or on the 3rd of the month after at {@code at}.
   */
  public static Period lastDue(Kind kind, Instant now, ZoneId zone, LocalTime at) {
    LocalDateTime local = LocalDateTime.ofInstant(now, zone);
    if (kind == Kind.WEEKLY) {
      LocalDate monday = local.toLocalDate().with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
      if (local.isBefore(monday.atTime(at))) {
        monday = monday.minusWeeks(1);
      }
      return new Period(kind, monday.minusWeeks(1), monday);
    }
    LocalDate third = local.toLocalDate().withDayOfMonth(3);
    if (local.isBefore(third.atTime(at))) {
      third = third.minusMonths(1);
    }
    LocalDate first = third.withDayOfMonth(1);
    return new Period(kind, first.minusMonths(1), first);
  }

  /** The first instant of the period in {@code zone}. */
  public Instant from(ZoneId zone) {
    return start.atStartOfDay(zone).toInstant();
  }

  /** The first instant after the period in {@code zone}. */
  public Instant to(ZoneId zone) {
    return end.atStartOfDay(zone).toInstant();
  }
}
