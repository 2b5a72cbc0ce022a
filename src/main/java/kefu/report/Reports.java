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
import java.util.Map;
import java.util.Optional;
import kefu.config.KefuConfig;
import kefu.store.Database;
import kefu.store.Sql;
import kefu.template.Templates;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reports as published: made once when due (the weekly one on Mondays, the monthly one on the 3rd) and kept as
 * computed, so that a later rating never changes them; a re-run is a new version of the period. Across nodes and
 * restarts the unique key (kind, period start, version) lets one first version through, and the first version is
 * delivered to the manager in the same transaction (its own key: kind and period), so exactly once.
 */
public final class Reports {
  private static final Logger log = LoggerFactory.getLogger(Reports.class);
  /** PostgreSQL's and H2's SQLSTATE for a unique key violated. */
  /** Reads reports kept before a part was added: the part is left empty (see {@link Report}). */
  private static final ObjectMapper JSON = new ObjectMapper()
      .configure(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  private final Database database;
  private final ZoneId zone;
  private final LocalTime weeklyAt;
  private final LocalTime monthlyAt;
  static final List<String> TEMPLATE_KEYS = List.of("report.kind.weekly", "report.kind.monthly", "report.manager-message",
      "report.manager-link", "report.manager-no-link", "report.manager-no-ranking", "report.manager-no-ratings");

  private final ReportComputer computer;
  private final Templates templates;
  private final ManagerLine manager;
  private final Optional<String> consoleUrl;

  /**
   * @param wordings groups what customers said in other words, for the most frequent complaints and unanswered questions
   * @param survey the survey's dimensions, one ranking column each
   * @param manager how a new report reaches the manager on WeChat
   * @throws kefu.template.TemplateException if the manager's message is missing from {@code templates/}
   */
  public Reports(Database database, ZoneId zone, KefuConfig.Report config, Templates templates, Wordings wordings,
      SurveyDimensions survey, ManagerLine manager) {
    this.database = database;
    this.zone = zone;
    this.weeklyAt = config.weeklyAt();
    this.monthlyAt = config.monthlyAt();
    this.computer = new ReportComputer(zone, config.minRatings(), wordings, survey);
    this.templates = templates.require(TEMPLATE_KEYS);
    this.manager = manager;
    this.consoleUrl = config.consoleUrl();
  }

  /** Computes what a range of days chosen in the console shows; nothing is kept. */
  public ReportComputer computer() {
    return computer;
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
            : Optional.of(deliver(c, store(c, period, 1, now), now))).ifPresent(made::add);
      } catch (SQLException e) {
        if (!Sql.isUniqueViolation(e)) {
          throw e;
        }
        log.info("Reports: the {} report from {} was made by another node", kind.key(), period.start());
      }
    }
    made.forEach(s -> log.info("Reports: the {} report from {} is made (Report#{})", s.period().kind().key(), s.period().start(), s.id()));
    if (!made.isEmpty()) {
      manager.wake();
    }
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
      return Optional.of(store(c, period, latestVersion(c, period) + 1, now).snapshot());
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

  /** A report made, as the console's notice shows it: which, and how it reached the manager. */
  public record Delivered(Snapshot snapshot, ManagerLine.Route route) {}

  /** The reports delivered since {@code since}, newest first: the console's notice of new reports. */
  public List<Delivered> deliveredSince(Connection c, Instant since) throws SQLException {
    return Sql.list(c, "SELECT r.id, r.kind, r.period_start, r.period_end, r.version, r.created_at, d.channel FROM report_deliveries d"
        + " JOIN reports r ON r.id = d.report_id WHERE d.delivered_at >= ? ORDER BY d.delivered_at DESC, r.id DESC",
        row -> new Delivered(snapshot(row), row.enumOf(ManagerLine.Route.class, "channel")), since);
  }

  /**
   * Sends the manager the report's headline figures and its link, the way the channel allows, and records it under
   * the period's key: a second delivery of the period fails there and rolls its transaction back.
   */
  private Snapshot deliver(Connection c, Stored stored, Instant now) throws SQLException {
    Snapshot made = stored.snapshot();
    Report report = stored.report();
    Report.Headline h = report.headline();
    String top = report.ranked().isEmpty() ? templates.text("report.manager-no-ranking")
        : report.ranked().stream().filter(a -> a.rank() == 1).map(Report.AgentScore::name).collect(java.util.stream.Collectors.joining("、"));
    String link = consoleUrl.map(url -> templates.render("report.manager-link", Map.of("url", url + "/desk/reports/" + made.id())))
        .orElseGet(() -> templates.text("report.manager-no-link"));
    String text = templates.render("report.manager-message", Map.ofEntries(
        Map.entry("kind", templates.text("report.kind." + made.period().kind().key())),
        Map.entry("first", made.period().start().toString()), Map.entry("last", made.period().end().minusDays(1).toString()),
        Map.entry("conversations", h.conversations()), Map.entry("tickets", h.tickets()), Map.entry("ratings", h.ratings()),
        Map.entry("mean", h.meanScore().isEmpty() ? templates.text("report.manager-no-ratings") : h.meanScore()),
        Map.entry("top", top), Map.entry("complaints", h.openComplaints()), Map.entry("breaches", h.breaches()),
        Map.entry("link", link)));
    ManagerLine.Sent sent = manager.send(c, text, now);
    Sql.update(c, "INSERT INTO report_deliveries (kind, period_start, report_id, channel, message_id, delivered_at)"
        + " VALUES (?, ?, ?, ?, ?, ?)", made.period().kind(), made.period().start(), made.id(), sent.route(), sent.messageId(), now);
    log.info("Reports: Report#{} delivered to the manager by {}", made.id(), Sql.name(sent.route()));
    return made;
  }

  private Stored store(Connection c, Period period, int version, Instant now) throws SQLException {
    Report report = computer.compute(c, period, now);
    String content;
    try {
      content = JSON.writeValueAsString(report);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a report cannot be written as JSON", e);
    }
    long id = Sql.insert(c, "INSERT INTO reports (kind, period_start, period_end, version, created_at, content)"
        + " VALUES (?, ?, ?, ?, ?, ?)", period.kind(), period.start(), period.end(), version, now, content);
    return new Stored(new Snapshot(id, period, version, now), report);
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
