package kefu.greeting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import java.time.Month;
import java.time.MonthDay;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ChineseDatesTest {
  private final ChineseDates dates = new ChineseDates();

  @ParameterizedTest
  @CsvSource({"1950, 1950-02-17", "1978, 1978-02-07", "1985, 1985-02-20", "1990, 1990-01-27", "2000, 2000-02-05",
      "2001, 2001-01-24", "2008, 2008-02-07", "2010, 2010-02-14", "2012, 2012-01-23", "2020, 2020-01-25",
      "2021, 2021-02-12", "2022, 2022-02-01", "2023, 2023-01-22", "2024, 2024-02-10", "2025, 2025-01-29",
      "2026, 2026-02-17", "2027, 2027-02-06"})
  void springFestivalFallsOnThePublishedDay(int year, LocalDate day) {
    assertThat(dates.toSolar(new LunarDate(year, 1, false, 1))).isEqualTo(day);
    assertThat(Occasion.SPRING_FESTIVAL.nextOnOrAfter(LocalDate.of(year, 1, 1), dates)).isEqualTo(day);
  }

  @ParameterizedTest
  @CsvSource({"1995, 8", "2012, 4", "2014, 9", "2017, 6", "2020, 4", "2023, 2", "2025, 6", "2028, 5", "2033, 11"})
  void leapMonthsAreThePublishedOnes(int year, int month) {
    for (int m = 1; m <= 12; m++) {
      assertThat(dates.hasLeapMonth(year, m)).as("%d leap month %d", year, m).isEqualTo(m == month);
    }
  }

  @Test
  void festivalsFallOnThePublishedDays() {
    assertThat(Occasion.MID_AUTUMN.nextOnOrAfter(LocalDate.of(2023, 1, 1), dates)).isEqualTo(LocalDate.of(2023, 9, 29));
    assertThat(Occasion.MID_AUTUMN.nextOnOrAfter(LocalDate.of(2024, 1, 1), dates)).isEqualTo(LocalDate.of(2024, 9, 17));
    assertThat(Occasion.MID_AUTUMN.nextOnOrAfter(LocalDate.of(2025, 1, 1), dates)).isEqualTo(LocalDate.of(2025, 10, 6));
    assertThat(Occasion.MID_AUTUMN.nextOnOrAfter(LocalDate.of(2026, 1, 1), dates)).isEqualTo(LocalDate.of(2026, 9, 25));
    assertThat(Occasion.QIXI.nextOnOrAfter(LocalDate.of(2023, 1, 1), dates)).isEqualTo(LocalDate.of(2023, 8, 22));
    assertThat(Occasion.QIXI.nextOnOrAfter(LocalDate.of(2024, 1, 1), dates)).isEqualTo(LocalDate.of(2024, 8, 10));
    assertThat(Occasion.QIXI.nextOnOrAfter(LocalDate.of(2025, 1, 1), dates)).isEqualTo(LocalDate.of(2025, 8, 29));
  }

  @Test
  void everyLunarYearFrom1950To2100BeginsBetween21JanuaryAnd20FebruaryWithAtMostOneLeapMonth() {
    for (int year = 1950; year <= 2100; year++) {
      LocalDate newYear = dates.toSolar(new LunarDate(year, 1, false, 1));
      assertThat(newYear).as("春节 %d", year).isBetween(LocalDate.of(year, 1, 21), LocalDate.of(year, 2, 20));
      int leapMonths = 0;
      for (int m = 1; m <= 12; m++) {
        leapMonths += dates.hasLeapMonth(year, m) ? 1 : 0;
      }
      assertThat(leapMonths).as("leap months of %d", year).isLessThanOrEqualTo(1);
    }
  }

  @Test
  void everyDayFrom1950To2100GoesToALunarDateAndBack() {
    for (LocalDate day = LocalDate.of(1950, 1, 1); day.getYear() <= 2100; day = day.plusDays(1)) {
      LunarDate lunar = dates.toLunar(day);
      assertThat(dates.toSolar(lunar)).as("%s via %s", day, lunar).isEqualTo(day);
      assertThat(lunar.day()).isLessThanOrEqualTo(dates.monthLength(lunar.year(), lunar.month(), lunar.leap()));
    }
  }

  @Test
  void aLeapMonthBirthdayIsKeptInTheOrdinaryMonthInYearsWithoutIt() {
    // Born on 闰四月初八 of 2020: 2021 has no leap fourth month, so it is kept on 四月初八.
    LunarDate born = new LunarDate(2020, 4, true, 8);
    assertThat(dates.toLunar(dates.toSolar(born))).isEqualTo(born);
    Occasion birthday = new Occasion.Lunar(4, true, 8);
    assertThat(birthday.nextOnOrAfter(LocalDate.of(2021, 1, 1), dates)).isEqualTo(dates.toSolar(new LunarDate(2021, 4, false, 8)));
  }

  @Test
  void theThirtiethOfAShortMonthIsKeptOnTheTwentyNinth() {
    // 腊月 of the lunar year 2024 has 29 days: 除夕 2025 fell on 腊月廿九, 28 January.
    assertThat(dates.monthLength(2024, 12, false)).isEqualTo(29);
    assertThat(dates.kept(2024, 12, false, 30)).isEqualTo(LocalDate.of(2025, 1, 28));
    assertThatThrownBy(() -> dates.toSolar(new LunarDate(2024, 12, false, 30))).isInstanceOf(IllegalArgumentException.class);
    assertThat(dates.kept(2023, 12, false, 30)).isEqualTo(LocalDate.of(2024, 2, 9));
  }

  @Test
  void aLunarOccasionLateInTheLunarYearIsFoundInTheNextGregorianYear() {
    // 腊月二十三 (小年) of the lunar year 2025 falls in January 2026.
    assertThat(new Occasion.Lunar(12, false, 23).nextOnOrAfter(LocalDate.of(2026, 1, 1), dates))
        .isEqualTo(dates.toSolar(new LunarDate(2025, 12, false, 23)))
        .hasYear(2026);
  }

  @Test
  void aSolarBirthdayOn29FebruaryIsKeptOnThe28thInCommonYears() {
    Occasion leapDay = new Occasion.Solar(MonthDay.of(Month.FEBRUARY, 29));
    assertThat(leapDay.nextOnOrAfter(LocalDate.of(2027, 1, 1), dates)).isEqualTo(LocalDate.of(2027, 2, 28));
    assertThat(leapDay.nextOnOrAfter(LocalDate.of(2028, 1, 1), dates)).isEqualTo(LocalDate.of(2028, 2, 29));
    assertThat(leapDay.nextOnOrAfter(LocalDate.of(2028, 3, 1), dates)).isEqualTo(LocalDate.of(2029, 2, 28));
  }
}
