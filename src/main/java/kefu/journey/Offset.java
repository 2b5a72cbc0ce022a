package kefu.journey;

import java.time.LocalDate;
import java.time.LocalTime;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import kefu.config.BusinessCalendar;

/**
 * When a step falls relative to its milestone's date, as a plan writes it: {@code +1d at 10:00}, {@code -60d},
 * {@code +0d at 09:30}, {@code +2 working days}. Without a time the step is due when the quiet hours end.
 *
 * @param days days after the date (before it when negative)
 * @param workingDays whether {@code days} counts the business calendar's working days only
 * @param time the time of day; empty: the end of the quiet hours
 */
record Offset(int days, boolean workingDays, Optional<LocalTime> time) {
  private static final Pattern SYNTAX = Pattern.compile(
      "([+-])\\s*(\\d{1,4})\\s*(d|days?|working days?)(?:\\s+at\\s+(\\d{1,2}):(\\d{2}))?");

  /** @throws IllegalArgumentException saying what an offset looks like */
  static Offset parse(String text) {
    Matcher m = SYNTAX.matcher(text.strip());
    if (!m.matches()) {
      throw new IllegalArgumentException("\"" + text + "\" is not an offset like +1d at 10:00, -60d or +2 working days");
    }
    int days = Integer.parseInt(m.group(2)) * (m.group(1).equals("-") ? -1 : 1);
    boolean working = m.group(3).startsWith("working");
    if (working && days < 1) {
      throw new IllegalArgumentException("\"" + text + "\": working days count forward, from +1");
    }
    Optional<LocalTime> time = Optional.empty();
    if (m.group(4) != null) {
      int hour = Integer.parseInt(m.group(4));
      int minute = Integer.parseInt(m.group(5));
      if (hour > 23 || minute > 59) {
        throw new IllegalArgumentException("\"" + text + "\": " + m.group(4) + ":" + m.group(5) + " is not a time of day");
      }
      time = Optional.of(LocalTime.of(hour, minute));
    }
    return new Offset(days, working, time);
  }

  /** The day this offset names from {@code date}. */
  LocalDate from(LocalDate date, BusinessCalendar calendar) {
    if (!workingDays) {
      return date.plusDays(days);
    }
    LocalDate day = date;
    for (int counted = 0; counted < days; ) {
      day = day.plusDays(1);
      if (calendar.isWorkday(day)) {
        counted++;
      }
    }
    return day;
  }
}
