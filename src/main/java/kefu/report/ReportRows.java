package kefu.report;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.StringJoiner;
import kefu.rating.Rating;
import kefu.store.Sql;

/**
 * The rows of a period the exports list one by one — each rating with its ticket and agents, each ticket, each
 * follow-up (回访) — read from the database as a stream, never all held, in the caller's transaction.
 */
public final class ReportRows {
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm");

  private final ZoneId zone;

  public ReportRows(ZoneId zone) {
    this.zone = zone;
  }

  /** Takes one row at a time. */
  @FunctionalInterface
  public interface Sink<T> {
    void accept(T row) throws SQLException;
  }

  /**
   * The ratings given in [{@code from}, {@code to}), oldest first, each once with every agent who served its ticket
   * (a transfer credits them all) in the order they joined it.
   */
  public void ratings(Connection c, Instant from, Instant to, Sink<Report.RatingRow> sink) throws SQLException {
    ratings(c, "", from, to, sink);
  }

  /** The ratings of 0.8 or less given in [{@code from}, {@code to}), as {@link #ratings}. */
  void lowRatings(Connection c, Instant from, Instant to, Sink<Report.RatingRow> sink) throws SQLException {
    ratings(c, " AND r.level >= " + ReportComputer.LOW_LEVEL, from, to, sink);
  }

  private void ratings(Connection c, String filter, Instant from, Instant to, Sink<Report.RatingRow> sink) throws SQLException {
    Pending pending = new Pending();
    Sql.each(c, "SELECT r.id, r.created_at, r.ticket_id, r.level, a.name AS agent_name FROM ratings r"
        + " LEFT JOIN ticket_agents s ON s.ticket_id = r.ticket_id LEFT JOIN agents a ON a.id = s.agent_id"
        + " WHERE r.created_at >= ? AND r.created_at < ?" + filter + " ORDER BY r.created_at, r.id, s.joined_at, s.agent_id",
        row -> {
          long id = row.longValue("id");
          if (pending.id != id) {
            pending.flush(sink);
            pending.start(id, row.instant("created_at"), row.optionalLong("ticket_id").orElse(0L), row.integer("level"));
          }
          row.optionalString("agent_name").ifPresent(pending.agents::add);
        }, from, to);
    pending.flush(sink);
  }

  /** A rating whose agents are still being read: the rows of one rating come one per agent. */
  private final class Pending {
    long id = -1;
    Instant at;
    long ticketId;
    int level;
    StringJoiner agents;

    void start(long id, Instant at, long ticketId, int level) {
      this.id = id;
      this.at = at;
      this.ticketId = ticketId;
      this.level = level;
      this.agents = new StringJoiner("、");
    }

    void flush(Sink<Report.RatingRow> sink) throws SQLException {
      if (id >= 0) {
        Rating rating = Rating.ofLevel(level);
        LocalDateTime local = LocalDateTime.ofInstant(at, zone);
        sink.accept(new Report.RatingRow(id, local.toLocalDate().toString(), TIME.format(local), ticketId, agents.toString(),
            level, rating.label(), rating.score().toPlainString()));
      }
    }
  }

  /**
   * A ticket opened in the period: when (local), its kind, why, its status now, the agent who has it, the level of
   * its rating (0: not rated), when it was closed (empty: not yet).
   */
  public record TicketRow(long id, LocalDateTime openedAt, String kind, String reason, String status, String agent, int level,
      Optional<LocalDateTime> closedAt) {}

  /** The tickets opened in [{@code from}, {@code to}), oldest first. */
  public void tickets(Connection c, Instant from, Instant to, Sink<TicketRow> sink) throws SQLException {
    Sql.each(c, "SELECT t.id, t.created_at, t.kind, t.reason, t.status, t.closed_at, a.name AS agent_name,"
        + " (SELECT MIN(r.level) FROM ratings r WHERE r.ticket_id = t.id) AS level"
        + " FROM tickets t LEFT JOIN agents a ON a.id = t.agent_id WHERE t.created_at >= ? AND t.created_at < ?"
        + " ORDER BY t.created_at, t.id",
        row -> sink.accept(new TicketRow(row.longValue("id"), local(row.instant("created_at")), row.string("kind"),
            row.string("reason"), row.string("status"), row.optionalString("agent_name").orElse(""),
            row.optionalLong("level").orElse(0L).intValue(), row.optionalInstant("closed_at").map(this::local))), from, to);
  }

  /**
   * A follow-up due in the period: its record's reference, the plan and step, when it was due (local), its status,
   * how it went (service, template, call_task; "" not yet), when it was done (empty: not yet), the call's outcome.
   */
  public record VisitRow(long id, String reference, boolean member, String plan, String step, LocalDateTime dueAt, String status,
      String channel, Optional<LocalDateTime> doneAt, String outcome) {}

  /** The follow-ups due in [{@code from}, {@code to}), in the order they were due. */
  public void visits(Connection c, Instant from, Instant to, Sink<VisitRow> sink) throws SQLException {
    Sql.each(c, "SELECT s.id, r.reference, r.member, s.plan, s.step, s.due_at, s.status, s.channel, s.finished_at,"
        + " k.status AS task_status, k.done_at AS task_done_at, k.outcome FROM journey_steps s"
        + " JOIN customer_records r ON r.id = s.record_id LEFT JOIN call_tasks k ON k.step_id = s.id"
        + " WHERE s.due_at >= ? AND s.due_at < ? ORDER BY s.due_at, s.id",
        row -> {
          Optional<Instant> done = "tasked".equals(row.string("status")) ? row.optionalInstant("task_done_at")
              : "done".equals(row.string("status")) ? row.optionalInstant("finished_at") : Optional.empty();
          sink.accept(new VisitRow(row.longValue("id"), row.string("reference"), row.bool("member"), row.string("plan"),
              row.string("step"), local(row.instant("due_at")), row.string("status"), row.optionalString("channel").orElse(""),
              done.map(this::local), row.optionalString("outcome").orElse("")));
        }, from, to);
  }

  /** Every rating of the period in a list: for a kept report, whose rows are published with it. */
  List<Report.RatingRow> allRatings(Connection c, Instant from, Instant to) throws SQLException {
    List<Report.RatingRow> rows = new ArrayList<>();
    ratings(c, from, to, rows::add);
    return rows;
  }

  private LocalDateTime local(Instant at) {
    return LocalDateTime.ofInstant(at, zone);
  }
}
