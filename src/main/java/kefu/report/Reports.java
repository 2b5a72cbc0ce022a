package kefu.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import kefu.config.KefuConfig;
import kefu.store.Database;
import kefu.store.Sql;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reports as published: made once when due (the weekly one on Mondays, the monthly one on the 3rd) and kept as
 * computed, so that a later rating never changes them; a re-run is a new version of the period. Across nodes and
 * restarts the unique key (kind, period start, version) lets one first version through.
 */
public final class Reports {
  private static final Logger log = LoggerFactory.getLogger(Reports.class);
  /** PostgreSQL's and H2's SQLSTATE for a unique key violated. */
  private static final String UNIQUE_VIOLATION = "23505";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Database database;
  private final ZoneId zone;
  private final LocalTime weeklyAt;
  private final LocalTime monthlyAt;
  private final ReportComputer computer;

  public Reports(Database database, ZoneId zone, KefuConfig.Report config) {
    this.database = database;
    this.zone = zone;
    this.weeklyAt = config.weeklyAt();
    this.monthlyAt = config.monthlyAt();
    this.computer = new ReportComputer(zone, config.minRatings());
  }

  /** A kept report without its content, as the list shows it; {@code version} above 1 is a re-run. */
  public record Snapshot(long id, Period period, int version, Instant createdAt) {}

  /** A kept report with its content. */
  public record Stored(Snapshot snapshot, Report report) {}

  /**
   * Makes each report due at {@code now} that no node has made yet: the latest weekly and monthly periods due, so a
   * node started after a missed time catches up. Blocks on the database; returns the reports this call made.
   *
   * @throws SQLException if the database fails; a report another node made at the same moment is not a failure
   */
  public List<Snapshot> runDue(Instant now) throws SQLException {
    List<Snapshot> made = new ArrayList<>();
    for (Period.Kind kind : Period.Kind.values()) {
      Period period = Period.lastDue(kind, now, zone, kind == Period.Kind.WEEKLY ? weeklyAt : monthlyAt);
      try {
        database.inTransaction(c -> latestVersion(c, period) > 0 ? Optional.<Snapshot>empty()
            : Optional.of(store(c, period, 1, now))).ifPresent(made::add);
      } catch (SQLException e) {
        if (!UNIQUE_VIOLATION.equals(e.getSQLState())) {
          throw e;
        }
        log.info("Reports: the {} report from {} was made by another node", kind.key(), period.start());
      }
    }
    made.forEach(s -> log.info("Reports: the {} report from {} is made (Report#{})", s.period().kind().key(), s.period().start(), s.id()));
    return made;
  }

  /** Computes the period of {@code id} again as a new version, kept beside the earlier ones. */
  public Optional<Snapshot> rerun(long id, Instant now) throws SQLException {
    return database.inTransaction(c -> {
      Optional<Snapshot> earlier = snapshot(c, id);
      if (earlier.isEmpty()) {
        return Optional.empty();
      }
      Period period = earlier.get().period();
      return Optional.of(store(c, period, latestVersion(c, period) + 1, now));
    });
  }

  /** Every kept report, newest period first, latest version first. */
  public List<Snapshot> list(Connection c) throws SQLException {
    return Sql.list(c, "SELECT id, kind, period_start, period_end, version, created_at FROM reports"
        + " ORDER BY period_start DESC, kind, version DESC", Reports::snapshot);
  }

  /** The kept report {@code id} with its content. */
  public Optional<Stored> byId(Connection c, long id) throws SQLException {
    Optional<Snapshot> snapshot = snapshot(c, id);
    if (snapshot.isEmpty()) {
      return Optional.empty();
    }
    String content = Sql.one(c, "SELECT content FROM reports WHERE id = ?", row -> row.string("content"), id).orElseThrow();
    try {
      return Optional.of(new Stored(snapshot.get(), JSON.readValue(content, Report.class)));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Report#" + id + " cannot be read back", e);
    }
  }

  private Snapshot store(Connection c, Period period, int version, Instant now) throws SQLException {
    String content;
    try {
      content = JSON.writeValueAsString(computer.compute(c, period, now));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a report cannot be written as JSON", e);
    }
    long id = Sql.insert(c, "INSERT INTO reports (kind, period_start, period_end, version, created_at, content)"
        + " VALUES (?, ?, ?, ?, ?, ?)", period.kind(), period.start(), period.end(), version, now, content);
    return new Snapshot(id, period, version, now);
  }

  private static int latestVersion(Connection c, Period period) throws SQLException {
    return Sql.one(c, "SELECT MAX(version) AS v FROM reports WHERE kind = ? AND period_start = ?",
        row -> row.optionalLong("v").orElse(0L).intValue(), period.kind(), period.start()).orElse(0);
  }

  private static Optional<Snapshot> snapshot(Connection c, long id) throws SQLException {
    return Sql.one(c, "SELECT id, kind, period_start, period_end, version, created_at FROM reports WHERE id = ?",
        Reports::snapshot, id);
  }

  private static Snapshot snapshot(kefu.store.Row row) throws SQLException {
    return new Snapshot(row.longValue("id"), new Period(Period.Kind.of(row.string("kind")), row.date("period_start"),
        row.date("period_end")), row.integer("version"), row.instant("created_at"));
  }
}
