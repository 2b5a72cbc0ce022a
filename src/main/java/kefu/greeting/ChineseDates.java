package kefu.greeting;

import com.tyme.lunar.LunarDay;
import com.tyme.lunar.LunarMonth;
import com.tyme.lunar.LunarYear;
import com.tyme.solar.SolarDay;
import java.time.LocalDate;

/**
 * Converts between Gregorian and Chinese lunar dates as China's published calendar has them (tyme4j's tables and
 * astronomy, not ours), and keeps a lunar anniversary in a year that lacks its day. Thread-safe.
 *
 * <p>Not ICU's ChineseCalendar: it computes new moons near midnight a few hours off and puts 春节 2027 on 7 February,
 * where the published calendar has the 6th.
 */
public final class ChineseDates {

  /** The Gregorian date of {@code date}; an error if that lunar year has no such month or day. */
  public LocalDate toSolar(LunarDate date) {
    if (date.leap() && !hasLeapMonth(date.year(), date.month()) || date.day() > monthLength(date.year(), date.month(), date.leap())) {
      throw new IllegalArgumentException("the lunar year " + date.year() + " has no " + date);
    }
    SolarDay solar = LunarDay.fromYmd(date.year(), date.leap() ? -date.month() : date.month(), date.day()).getSolarDay();
    return LocalDate.of(solar.getYear(), solar.getMonth(), solar.getDay());
  }

  /** The lunar date of a Gregorian one. */
  public LunarDate toLunar(LocalDate date) {
    LunarDay lunar = SolarDay.fromYmd(date.getYear(), date.getMonthValue(), date.getDayOfMonth()).getLunarDay();
    LunarMonth month = lunar.getLunarMonth();
    return new LunarDate(month.getYear(), Math.abs(month.getMonthWithLeap()), month.isLeap(), lunar.getDay());
  }

  /** Whether the lunar year beginning in Gregorian {@code year} has a leap {@code month}. */
  public boolean hasLeapMonth(int year, int month) {
    return LunarYear.fromYear(year).getLeapMonth() == month;
  }

  /** How many days (29 or 30) the month has in the lunar year beginning in Gregorian {@code year}. */
  public int monthLength(int year, int month, boolean leap) {
    return LunarMonth.fromYm(year, leap ? -month : month).getDayCount();
  }

  /**
   * The Gregorian date on which a lunar anniversary of {@code month} and {@code day} is kept in the lunar year beginning
   * in Gregorian {@code year}: a leap-month date in the ordinary month when the year has no such leap month, and the
   * 30th on the 29th when the month is short (腊月三十 on 廿九), as families keep them.
   */
  public LocalDate kept(int year, int month, boolean leap, int day) {
    boolean inLeap = leap && hasLeapMonth(year, month);
    return toSolar(new LunarDate(year, month, inLeap, Math.min(day, monthLength(year, month, inLeap))));
  }
}
