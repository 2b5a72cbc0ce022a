package kefu.customer;

import java.util.Optional;

/**
 * A birthday as the customer keeps it: a solar date, or a lunar month and day (the leap month marked), the year
 * when known. Lunar birthdays fall on a different solar day each year, so they are kept as told, not converted.
 */
public record Birthday(Optional<Integer> year, int month, int day, boolean lunar, boolean leap) {
  public Birthday {
    if (month < 1 || month > 12) {
      throw new IllegalArgumentException("month " + month + " is not 1–12");
    }
    if (day < 1 || day > (lunar ? 30 : java.time.Month.of(month).maxLength())) {
      throw new IllegalArgumentException("day " + day + " is not a day of month " + month);
    }
    if (leap && !lunar) {
      throw new IllegalArgumentException("only a lunar month can be a leap month");
    }
  }

  /** As the console shows it: 1990-05-17, or 农历 1990 闰四月初八 written as 农历1990-闰04-08. */
  @Override
  public String toString() {
    String date = year.map(y -> y + "-").orElse("") + (leap ? "闰" : "") + String.format("%02d-%02d", month, day);
    return lunar ? "农历" + date : date;
  }
}
