package kefu.greeting;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.Optional;
import kefu.store.Sql;

/**
 * What marketing and supervisors see of the greetings: today's and this month's, planned, sent by channel, excluded and
 * why, each greeting of today, the month's days ahead as the plans foresee them, and the month's mass messages with
 * WeChat's results.
 */
public final class GreetingFigures {
  private final Occasions occasions = new Occasions(new ChineseDates());

  /**
   * One plan's greetings of one day of the month.
   *
   * @param expected foreseen by the plan and the customer file as they are now, for a day not planned yet
   */
  public record Scheduled(LocalDate day, String plan, int sent, int planned, int excluded, int expected) {}

  /**
   * The greetings of {@code from} to {@code to} by day and plan: those planned already as they stand, and for each later
   * day and plan with none planned yet, how many the plan would greet if the file stayed as it is.
   */
  public List<Scheduled> schedule(Connection c, GreetingPlans plans, LocalDate today, LocalDate from, LocalDate to) throws SQLException {
    Map<String, int[]> counts = new TreeMap<>();
    for (DayGroup group : Sql.list(c, "SELECT occasion_date, plan, status, COUNT(*) AS n FROM greetings WHERE occasion_date BETWEEN ? AND ?"
        + " GROUP BY occasion_date, plan, status", row -> new DayGroup(row.date("occasion_date") + "/" + row.string("plan"),
        row.string("status"), row.integer("n")), from, to)) {
      counts.computeIfAbsent(group.key(), k -> new int[4])[switch (group.status()) {
        case "sent", "tasked" -> 0;
        case "excluded" -> 2;
        default -> 1; // planned or claimed
      }] += group.count();
    }
    for (LocalDate day = today.isAfter(from) ? today : from; !day.isAfter(to); day = day.plusDays(1)) {
      for (GreetingPlan plan : plans.all()) {
        String key = day + "/" + plan.name();
        if (!counts.containsKey(key)) {
          int expected = occasions.on(c, plan, day).size();
          if (expected > 0) {
            counts.put(key, new int[] {0, 0, 0, expected});
          }
        }
      }
    }
    return counts.entrySet().stream().map(e -> {
      int slash = e.getKey().indexOf('/');
      int[] n = e.getValue();
      return new Scheduled(LocalDate.parse(e.getKey().substring(0, slash)), e.getKey().substring(slash + 1), n[0], n[1], n[2], n[3]);
    }).toList();
  }

  /** How greetings went over some days: planned (still to go), sent by channel, call tasks, excluded by reason. */
  public record Counts(int planned, int service, int mass, int tag, int excluded, List<Reason> reasons) {
    public int sent() {
      return service + mass + tag;
    }
  }

  /** An exclusion's reason and how many it excluded. */
  public record Reason(String reason, int count) {}

  /** One greeting of the day. */
  public record Greeting(long id, String plan, String reference, Optional<String> name, Instant dueAt, String status,
      Optional<String> channel, Optional<String> reason) {}

  /** One mass message, with WeChat's report if it came. */
  public record MassSend(long id, String purpose, String label, String target, int recipients, String status, Instant createdAt,
      Optional<Integer> total, Optional<Integer> filtered, Optional<Integer> sent, Optional<Integer> errors, Optional<Integer> errorCode) {}

  private record Group(String status, String channel, int count) {}

  private record DayGroup(String key, String status, int count) {}

  /** Counts of greetings whose day is from {@code from} to {@code to}. */
  public Counts counts(Connection c, LocalDate from, LocalDate to) throws SQLException {
    int[] n = new int[5];
    for (Group group : Sql.list(c, "SELECT status, channel, COUNT(*) AS n FROM greetings WHERE occasion_date BETWEEN ? AND ?"
        + " GROUP BY status, channel", row -> new Group(row.string("status"), row.optionalString("channel").orElse(""), row.integer("n")),
        from, to)) {
      int count = group.count();
      switch (group.status() + "/" + group.channel()) {
        case "sent/service" -> n[1] += count;
        case "sent/mass" -> n[2] += count;
        case "sent/tag" -> n[3] += count;
        case "excluded/" -> n[4] += count;
        default -> n[0] += count; // planned or claimed
      }
    }
    List<Reason> reasons = Sql.list(c, "SELECT reason, COUNT(*) AS n FROM greetings WHERE occasion_date BETWEEN ? AND ? AND status = 'excluded'"
        + " GROUP BY reason ORDER BY COUNT(*) DESC", row -> new Reason(row.string("reason"), row.integer("n")), from, to);
    return new Counts(n[0], n[1], n[2], n[3], n[4], reasons);
  }

  /** Every greeting of {@code day}, by time and plan. */
  public List<Greeting> of(Connection c, LocalDate day) throws SQLException {
    return Sql.list(c, "SELECT g.id, g.plan, r.reference, r.name, g.due_at, g.status, g.channel, g.reason FROM greetings g"
        + " JOIN customer_records r ON r.id = g.record_id WHERE g.occasion_date = ? ORDER BY g.due_at, g.plan, g.id",
        row -> new Greeting(row.longValue("id"), row.string("plan"), row.string("reference"), row.optionalString("name"), row.instant("due_at"),
            row.string("status"), row.optionalString("channel"), row.optionalString("reason")), day);
  }

  /**
   * The greetings the plans foresee on {@code day} for plans that have none planned for it yet (a record imported or
   * linked since the last planning, which runs every few minutes), each as status {@code foreseen} at its plan's time.
   */
  public List<Greeting> foreseen(Connection c, GreetingPlans plans, LocalDate day, ZoneId zone) throws SQLException {
    List<Greeting> found = new ArrayList<>();
    for (GreetingPlan plan : plans.all()) {
      if (Sql.count(c, "SELECT COUNT(*) FROM greetings WHERE plan = ? AND occasion_date = ?", plan.name(), day) > 0) {
        continue;
      }
      for (Occasions.Due due : occasions.on(c, plan, day)) {
        found.add(Sql.one(c, "SELECT reference, name FROM customer_records WHERE id = ?", row -> new Greeting(0, plan.name(),
            row.string("reference"), row.optionalString("name"), day.atTime(plan.at()).atZone(zone).toInstant(), "foreseen",
            Optional.empty(), Optional.empty()), due.recordId()).orElseThrow());
      }
    }
    return found;
  }

  /** The mass messages counted against {@code month}'s budget, newest first. */
  public List<MassSend> massSends(Connection c, YearMonth month) throws SQLException {
    return Sql.list(c, "SELECT id, purpose, label, target, recipients, status, created_at, total_count, filter_count, sent_count, error_count,"
        + " error_code FROM mass_sends WHERE budget_month = ? ORDER BY id DESC",
        row -> new MassSend(row.longValue("id"), row.string("purpose"), row.string("label"), row.string("target"), row.integer("recipients"),
            row.string("status"), row.instant("created_at"), optionalInt(row.optionalLong("total_count")),
            optionalInt(row.optionalLong("filter_count")), optionalInt(row.optionalLong("sent_count")),
            optionalInt(row.optionalLong("error_count")), optionalInt(row.optionalLong("error_code"))),
        month.getYear() * 100 + month.getMonthValue());
  }

  private static Optional<Integer> optionalInt(Optional<Long> value) {
    return value.map(Long::intValue);
  }
}
