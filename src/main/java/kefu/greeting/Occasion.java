package kefu.greeting;

import java.time.LocalDate;
import java.time.MonthDay;

/** A day kept every year — a birthday, a wedding day, a festival — by the solar or the lunar calendar. */
public sealed interface Occasion {
  /** 春节, the first day of the first lunar month. */
  Occasion SPRING_FESTIVAL = new Lunar(1, false, 1);
  /** 七夕, the seventh day of the seventh lunar month. */
  Occasion QIXI = new Lunar(7, false, 7);
  /** 中秋, the fifteenth day of the eighth lunar month. */
  Occasion MID_AUTUMN = new Lunar(8, false, 15);

  /** The first day on or after {@code from} on which it is kept. */
  LocalDate nextOnOrAfter(LocalDate from, ChineseDates dates);

  /** Kept on a solar month and day; 29 February on the 28th in common years. */
  record Solar(MonthDay day) implements Occasion {
    @Override
    public LocalDate nextOnOrAfter(LocalDate from, ChineseDates dates) {
      LocalDate thisYear = day.atYear(from.getYear()); // atYear moves 29 February to the 28th in a common year
      return thisYear.isBefore(from) ? day.atYear(from.getYear() + 1) : thisYear;
    }
  }

  /** Kept on a lunar month and day, as {@link ChineseDates#kept} places it in each lunar year. */
  record Lunar(int month, boolean leap, int day) implements Occasion {
    public Lunar {
      new LunarDate(2000, month, false, day); // checks the ranges
    }

    @Override
    public LocalDate nextOnOrAfter(LocalDate from, ChineseDates dates) {
      // A lunar year begins between 21 January and 20 February: the day falls in the lunar year beginning in the
      // Gregorian year before, or in this one, or in the next.
      for (int year = from.getYear() - 1; ; year++) {
        LocalDate kept = dates.kept(year, month, leap, day);
        if (!kept.isBefore(from)) {
          return kept;
        }
      }
    }
  }
}
