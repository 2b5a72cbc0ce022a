package kefu.greeting;

/**
 * A date of the Chinese lunisolar calendar (农历): the lunar year, named by the Gregorian year in which it begins, the
 * month 1–12 (a leap month, 闰月, marked) and the day 1–30.
 */
public record LunarDate(int year, int month, boolean leap, int day) {
  public LunarDate {
    if (month < 1 || month > 12 || day < 1 || day > 30) {
      throw new IllegalArgumentException("no lunar month " + month + " day " + day);
    }
  }
}
