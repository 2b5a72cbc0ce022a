package kefu.greeting;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.MonthDay;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import kefu.store.Sql;

/** Which customer records a plan greets on a day: their occasion falls on it, and they are whom the plan names. */
final class Occasions {
  private final ChineseDates dates;

  Occasions(ChineseDates dates) {
    this.dates = dates;
  }

  /**
   * A record to greet.
   *
   * @param year the year of the occasion: the lunar year for lunar ones, so that each is greeted once a year
   * @param owner the record's own agent, for the gift reminder
   */
  record Due(long recordId, int year, Optional<Long> owner) {}

  List<Due> on(Connection c, GreetingPlan plan, LocalDate day) throws SQLException {
    LunarDate lunar = dates.toLunar(day);
    StringBuilder where = new StringBuilder();
    List<Object> params = new ArrayList<>();
    boolean lunarYear = false;
    switch (plan.occasion()) {
      case BIRTHDAY, SOLAR_BIRTHDAY, LUNAR_BIRTHDAY -> {
        List<Due> due = new ArrayList<>();
        if (plan.occasion() != GreetingPlan.Kind.LUNAR_BIRTHDAY) {
          due.addAll(records(c, plan, solar("r.birthday_lunar = FALSE AND r.birthday_month = ? AND r.birthday_day = ?", day, params), params,
              day.getYear(), Optional.empty()));
          params.clear();
        }
        if (plan.occasion() != GreetingPlan.Kind.SOLAR_BIRTHDAY) {
          // The kept day depends on the year (a leap month, a short month): the candidates of the month are checked here.
          params.add(lunar.month());
          for (Due d : records(c, plan, "r.birthday_lunar = TRUE AND r.birthday_month = ?", params, lunar.year(), Optional.of(day))) {
            due.add(d);
          }
        }
        return due;
      }
      case WEDDING_DAY -> {
        where.append("EXISTS (SELECT 1 FROM milestones m WHERE m.record_id = r.id AND m.kind = 'wedding' AND m.cancelled_at IS NULL AND m.on_date = ?)");
        params.add(day);
      }
      case WEDDING_ANNIVERSARY, MEMBERSHIP_ANNIVERSARY -> {
        String kind = plan.occasion() == GreetingPlan.Kind.WEDDING_ANNIVERSARY ? "wedding" : "member_since";
        where.append("EXISTS (SELECT 1 FROM milestones m WHERE m.record_id = r.id AND m.kind = ? AND m.cancelled_at IS NULL AND m.on_date < ? AND (");
        params.add(kind);
        params.add(day.withDayOfYear(1));
        List<String> any = new ArrayList<>();
        for (MonthDay md : Greetings.solarDays(day)) {
          any.add("(EXTRACT(MONTH FROM m.on_date) = ? AND EXTRACT(DAY FROM m.on_date) = ?)");
          params.add(md.getMonthValue());
          params.add(md.getDayOfMonth());
        }
        where.append(String.join(" OR ", any)).append("))");
        if (plan.occasion() == GreetingPlan.Kind.MEMBERSHIP_ANNIVERSARY) {
          where.append(" AND r.member = TRUE");
        }
      }
      case SPRING_FESTIVAL, QIXI, MID_AUTUMN -> {
        Occasion festival = switch (plan.occasion()) {
          case SPRING_FESTIVAL -> Occasion.SPRING_FESTIVAL;
          case QIXI -> Occasion.QIXI;
          default -> Occasion.MID_AUTUMN;
        };
        if (!festival.nextOnOrAfter(day, dates).equals(day)) {
          return List.of();
        }
        where.append("1 = 1");
        lunarYear = true;
      }
    }
    return records(c, plan, where.toString(), params, lunarYear ? lunar.year() : day.getYear(), Optional.empty());
  }

  private static String solar(String condition, LocalDate day, List<Object> params) {
    List<String> any = new ArrayList<>();
    for (MonthDay md : Greetings.solarDays(day)) {
      any.add("(" + condition + ")");
      params.add(md.getMonthValue());
      params.add(md.getDayOfMonth());
    }
    return "(" + String.join(" OR ", any) + ")";
  }

  private record Candidate(long id, Optional<Long> owner, Optional<Long> month, Optional<Long> day, boolean leap) {}

  /** The records meeting {@code where} and the plan's who; with {@code keptOn}, only lunar birthdays kept on that day. */
  private List<Due> records(Connection c, GreetingPlan plan, String where, List<Object> params, int year, Optional<LocalDate> keptOn)
      throws SQLException {
    StringBuilder sql = new StringBuilder("SELECT r.id, r.owner_agent_id, r.birthday_month, r.birthday_day, r.birthday_leap"
        + " FROM customer_records r LEFT JOIN customers u ON u.id = r.customer_id WHERE ").append(where);
    List<Object> all = new ArrayList<>(params);
    GreetingPlan.Segment s = plan.segment();
    if (plan.who() == GreetingPlan.Who.MEMBERS) {
      sql.append(" AND r.member = TRUE");
    }
    if (s.line().isPresent()) {
      sql.append(" AND r.line = ?");
      all.add(s.line().get());
    }
    if (s.member().isPresent()) {
      sql.append(" AND r.member = ?");
      all.add(s.member().get());
    }
    if (s.tag().isPresent()) {
      sql.append(" AND (',' || u.tags || ',') LIKE ?");
      all.add("%," + s.tag().get() + ",%");
    }
    if (s.milestone().isPresent()) {
      sql.append(" AND EXISTS (SELECT 1 FROM milestones s WHERE s.record_id = r.id AND s.kind = ? AND s.cancelled_at IS NULL)");
      all.add(s.milestone().get());
    }
    sql.append(" ORDER BY r.id");
    List<Due> due = new ArrayList<>();
    for (Candidate r : Sql.list(c, sql.toString(), row -> new Candidate(row.longValue("id"), row.optionalLong("owner_agent_id"),
        row.optionalLong("birthday_month"), row.optionalLong("birthday_day"), row.bool("birthday_leap")), all.toArray())) {
      if (keptOn.isEmpty() || dates.kept(year, r.month().orElseThrow().intValue(), r.leap(), r.day().orElseThrow().intValue()).equals(keptOn.get())) {
        due.add(new Due(r.id(), year, r.owner()));
      }
    }
    return due;
  }
}
