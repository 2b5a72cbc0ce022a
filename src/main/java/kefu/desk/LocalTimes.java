package kefu.desk;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/** Times as the console shows them and its forms give them: on the agents' clocks, in the business's zone. */
record LocalTimes(ZoneId zone) {
  private static final DateTimeFormatter DAY_TIME = DateTimeFormatter.ofPattern("MM-dd HH:mm");
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");
  /** As a datetime-local field holds a time. */
  private static final DateTimeFormatter FIELD = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm");

  /** The day and the minute, for lists and headers. */
  String dayTime(Instant at) {
    return DAY_TIME.format(at.atZone(zone));
  }

  /** The time to the second, for the transcript. */
  String time(Instant at) {
    return TIME.format(at.atZone(zone));
  }

  /** The time as a datetime-local field shows it. */
  String field(Instant at) {
    return FIELD.format(at.atZone(zone));
  }

  /** The moment a form's local time names. */
  Instant of(LocalDateTime local) {
    return local.atZone(zone).toInstant();
  }

  /** The day {@code at} falls on. */
  LocalDate day(Instant at) {
    return at.atZone(zone).toLocalDate();
  }

  /** When the day {@code at} falls on began. */
  Instant startOfDay(Instant at) {
    return day(at).atStartOfDay(zone).toInstant();
  }
}
