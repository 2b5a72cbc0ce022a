package kefu.greeting;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import kefu.store.Sql;

/**
 * Finds a {@link Segment}'s followers in SQL: counts them, for the console's live count, and hands them out in id
 * order a page at a time, so that a campaign to a hundred thousand never holds them all.
 */
public final class Segments {
  /** A follower in a segment: who, and where to send. */
  public record Follower(long customerId, String openid) {}

  private final ChineseDates dates;
  /** The lunar month-day-leap triples kept in each solar month asked about: a live count asks again and again. */
  private final Map<YearMonth, Set<List<Object>>> lunarDays = new ConcurrentHashMap<>();

  public Segments(ChineseDates dates) {
    this.dates = dates;
  }

  /** How many followers the segment holds on {@code today}. */
  public int count(Connection c, Segment segment, LocalDate today, Instant now) throws SQLException {
    Query query = query(segment, today, now);
    return Sql.count(c, "SELECT COUNT(*) FROM customers c WHERE " + query.where(), query.params().toArray());
  }

  /** Up to {@code limit} of the segment's followers with an id above {@code after}, in id order. */
  public List<Follower> page(Connection c, Segment segment, LocalDate today, Instant now, long after, int limit)
      throws SQLException {
    Query query = query(segment, today, now);
    List<Object> params = new ArrayList<>(query.params());
    params.add(after);
    params.add(limit);
    return Sql.list(c, "SELECT c.id, c.openid FROM customers c WHERE " + query.where() + " AND c.id > ? ORDER BY c.id"
        + " FETCH FIRST ? ROWS ONLY", row -> new Follower(row.longValue("id"), row.string("openid")), params.toArray());
  }

  private record Query(String where, List<Object> params) {}

  private Query query(Segment segment, LocalDate today, Instant now) {
    // Marketing never reaches a follower who left the account or refused it (退订).
    List<String> follower = new ArrayList<>(List.of("c.subscribed = TRUE", "c.opted_out_at IS NULL"));
    List<Object> params = new ArrayList<>();
    if (!segment.tags().isEmpty()) {
      // Tags are kept as one comma-separated text.
      follower.add("(" + String.join(" OR ", segment.tags().stream().map(t -> "(',' || c.tags || ',') LIKE ?").toList()) + ")");
      segment.tags().forEach(t -> params.add("%," + t + ",%"));
    }
    List<String> record = new ArrayList<>();
    List<Object> recordParams = new ArrayList<>();
    segment.line().ifPresent(line -> {
      record.add("r.line = ?");
      recordParams.add(line);
    });
    segment.member().ifPresent(member -> {
      record.add("r.member = ?");
      recordParams.add(member);
    });
    segment.milestone().ifPresent(m -> {
      record.add("EXISTS (SELECT 1 FROM milestones m WHERE m.record_id = r.id AND m.kind = ? AND m.on_date BETWEEN ? AND ?"
          + " AND m.cancelled_at IS NULL)");
      recordParams.addAll(List.of(m.kind(), m.from(), m.to()));
    });
    segment.planStep().ifPresent(s -> {
      record.add("EXISTS (SELECT 1 FROM journey_steps s WHERE s.record_id = r.id AND s.plan = ? AND s.step = ? AND s.status = 'done')");
      recordParams.addAll(List.of(s.plan(), s.step()));
    });
    segment.birthdayMonth().ifPresent(month -> record.add(birthdayIn(YearMonth.of(today.getYear(), month), recordParams)));
    if (!record.isEmpty()) {
      follower.add("EXISTS (SELECT 1 FROM customer_records r WHERE r.customer_id = c.id AND " + String.join(" AND ", record) + ")");
      params.addAll(recordParams);
    }
    segment.lastMessage().ifPresent(last -> {
      follower.add(last.within() ? "c.last_inbound_at >= ?" : "(c.last_inbound_at IS NULL OR c.last_inbound_at < ?)");
      params.add(now.minus(Duration.ofDays(last.days())));
    });
    segment.rated().ifPresent(scores -> {
      follower.add("EXISTS (SELECT 1 FROM ratings g WHERE g.customer_id = c.id AND g.score BETWEEN ? AND ?)");
      params.addAll(List.of(scores.lowest(), scores.highest()));
    });
    return new Query(String.join(" AND ", follower), params);
  }

  /**
   * Records whose birthday is kept in {@code month}: solar ones by their month, lunar ones by the lunar days that fall
   * in it this year — a lunar date of the 12th month may fall in January as the lunar year before ends.
   */
  private String birthdayIn(YearMonth month, List<Object> params) {
    params.add(month.getMonthValue());
    Set<List<Object>> lunar = lunarDays.computeIfAbsent(month, this::lunarDaysIn);
    String solar = "(r.birthday_lunar = FALSE AND r.birthday_month = ?)";
    if (lunar.isEmpty()) {
      return solar;
    }
    lunar.forEach(params::addAll);
    return "(" + solar + " OR (r.birthday_lunar = TRUE AND ("
        + String.join(" OR ", lunar.stream().map(d -> "(r.birthday_month = ? AND r.birthday_day = ? AND r.birthday_leap = ?)").toList())
        + ")))";
  }

  private Set<List<Object>> lunarDaysIn(YearMonth month) {
    Set<List<Object>> lunar = new LinkedHashSet<>();
    for (int year = month.getYear() - 1; year <= month.getYear(); year++) {
      for (int m = 1; m <= 12; m++) {
        for (boolean leap : new boolean[] {false, true}) {
          for (int day = 1; day <= 30; day++) {
            if (YearMonth.from(dates.kept(year, m, leap, day)).equals(month)) {
              lunar.add(List.of(m, day, leap));
            }
          }
        }
      }
    }
    return lunar;
  }
}
