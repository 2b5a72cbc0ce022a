package kefu.report;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;
import kefu.store.Sql;

/**
 * Counts rows by the business's local day or hour in the database itself: {@code AT TIME ZONE} with the zone's name
 * (H2 and PostgreSQL both keep the zone's rules, daylight saving included), the day as the number yyyymmdd, since
 * the two databases cast a zoned time to a date differently.
 */
final class LocalSql {
  /** A zone's name as written into SQL: region names and offsets only. */
  private static final Pattern ZONE_NAME = Pattern.compile("[A-Za-z0-9/_+:-]{1,64}");

  private final String zone;

  LocalSql(ZoneId zone) {
    if (!ZONE_NAME.matcher(zone.getId()).matches()) {
      throw new IllegalArgumentException("a zone name SQL cannot take: " + zone.getId());
    }
    this.zone = zone.getId();
  }

  /** The SQL of {@code column}'s local day as yyyymmdd. */
  String day(String column) {
    String local = column + " AT TIME ZONE '" + zone + "'";
    return "(EXTRACT(YEAR FROM " + local + ") * 10000 + EXTRACT(MONTH FROM " + local + ") * 100 + EXTRACT(DAY FROM " + local + "))";
  }

  /** The SQL of {@code column}'s local hour, 0–23. */
  String hour(String column) {
    return "EXTRACT(HOUR FROM " + column + " AT TIME ZONE '" + zone + "')";
  }

  /** {@code day} as {@link #day} gives it. */
  static int key(LocalDate day) {
    return day.getYear() * 10000 + day.getMonthValue() * 100 + day.getDayOfMonth();
  }

  /** The rows of {@code table} whose {@code column} is in [{@code from}, {@code to}), and {@code filter}, by local day. */
  Map<Integer, Integer> countByDay(Connection c, String table, String column, String filter, Instant from, Instant to)
      throws SQLException {
    return count(c, day(column), table, column, filter, from, to);
  }

  /** As {@link #countByDay}, by local hour. */
  Map<Integer, Integer> countByHour(Connection c, String table, String column, String filter, Instant from, Instant to)
      throws SQLException {
    return count(c, hour(column), table, column, filter, from, to);
  }

  private static Map<Integer, Integer> count(Connection c, String key, String table, String column, String filter, Instant from,
      Instant to) throws SQLException {
    Map<Integer, Integer> counts = new HashMap<>();
    Sql.each(c, "SELECT " + key + " AS k, COUNT(*) AS n FROM " + table + " WHERE " + column + " >= ? AND " + column + " < ?"
        + filter + " GROUP BY " + key, row -> counts.put(row.integer("k"), row.integer("n")), from, to);
    return counts;
  }
}
