package kefu.ticket;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import kefu.store.Row;
import kefu.store.Sql;

/** Records complaints by 五清楚, their promised replies and breaches; every method runs in the caller's transaction. */
public final class ComplaintRepository {
  /** The longest text a complaint's field holds. */
  private static final int MAX_TEXT = 2000;
  private static final String COLUMNS =
      "ticket_id, severity, told, asked, handling, result, reply_due_at, breached_at, reported_at, result_told_at";

  /** The ticket's complaint record, made (一般, empty) if the ticket has none yet. */
  public Complaint ensure(Connection c, long ticketId, Instant now) throws SQLException {
    Optional<Complaint> found = byTicket(c, ticketId);
    if (found.isPresent()) {
      return found.get();
    }
    Sql.update(c, "INSERT INTO complaints (ticket_id, severity, updated_at) VALUES (?, ?, ?)",
        ticketId, Complaint.Severity.NORMAL, now);
    return byTicket(c, ticketId).orElseThrow();
  }

  public Optional<Complaint> byTicket(Connection c, long ticketId) throws SQLException {
    return Sql.one(c, "SELECT " + COLUMNS + " FROM complaints WHERE ticket_id = ?", ComplaintRepository::read, ticketId);
  }

  /** Whether the ticket is a complaint whose result the customer has not been told yet: it stays open (跟清楚). */
  public boolean awaitsResult(Connection c, Ticket ticket) throws SQLException {
    return ticket.kind() == Ticket.Kind.COMPLAINT && byTicket(c, ticket.id()).flatMap(Complaint::resultToldAt).isEmpty();
  }

  /** The complaints not yet closed (the customer not yet told the result), promised replies first. */
  public List<Complaint> open(Connection c) throws SQLException {
    return Sql.list(c, "SELECT " + COLUMNS.replace("ticket_id", "p.ticket_id")
        + " FROM complaints p JOIN tickets t ON t.id = p.ticket_id WHERE t.status IN (?, ?, ?)"
        + " ORDER BY CASE WHEN p.reply_due_at IS NULL THEN 1 ELSE 0 END, p.reply_due_at, p.ticket_id",
        ComplaintRepository::read, Ticket.Status.WAITING, Ticket.Status.ASSIGNED, Ticket.Status.RESOLVED);
  }

  /** What the agent recorded; a new promised time replaces the old one. */
  public void record(Connection c, long ticketId, Complaint.Severity severity, String told, String asked, String handling,
      String result, Optional<Instant> replyDueAt, Instant now) throws SQLException {
    Sql.update(c, "UPDATE complaints SET severity = ?, told = ?, asked = ?, handling = ?,"
        + " result = ?, reply_due_at = ?, updated_at = ? WHERE ticket_id = ?",
        severity, told, asked, handling, result, replyDueAt, now, ticketId);
  }

  /**
   * A return visit's feedback joins the ticket's complaint: recorded as told (after what was told before, if anything),
   * with the reply promised by {@code replyDueAt} and the manager told at {@code escalateAt} if it is still open then; a
   * promise or escalation already set is kept.
   */
  public void followUp(Connection c, long ticketId, String told, Instant replyDueAt, Instant escalateAt, Instant now) throws SQLException {
    String before = byTicket(c, ticketId).map(Complaint::told).orElse("");
    String joined = before.isBlank() ? told : before + "\n" + told;
    Sql.update(c, "UPDATE complaints SET told = ?, reply_due_at = COALESCE(reply_due_at, ?), escalate_at = COALESCE(escalate_at, ?),"
        + " updated_at = ? WHERE ticket_id = ?", joined.length() <= MAX_TEXT ? joined : joined.substring(0, MAX_TEXT), replyDueAt,
        escalateAt, now, ticketId);
  }

  /** A complaint due to go to the manager: its ticket and what was told. */
  public record Escalation(long ticketId, String told) {}

  /** The complaints whose escalation time passed by {@code now} while they are still open and not reported. */
  public List<Escalation> dueForEscalation(Connection c, Instant now) throws SQLException {
    return Sql.list(c, "SELECT p.ticket_id, p.told FROM complaints p JOIN tickets t ON t.id = p.ticket_id WHERE p.escalate_at <= ?"
        + " AND p.reported_at IS NULL AND p.result_told_at IS NULL AND t.status IN (?, ?, ?) ORDER BY p.escalate_at, p.ticket_id",
        row -> new Escalation(row.longValue("ticket_id"), row.optionalString("told").orElse("")), now, Ticket.Status.WAITING,
        Ticket.Status.ASSIGNED, Ticket.Status.RESOLVED);
  }

  /** The complaint went to the manager: major from now on, and reported; false if it had been reported already. */
  public boolean escalated(Connection c, long ticketId, Instant now) throws SQLException {
    return Sql.update(c, "UPDATE complaints SET severity = ?, reported_at = ?, updated_at = ? WHERE ticket_id = ? AND reported_at IS NULL",
        Complaint.Severity.MAJOR, now, now, ticketId) == 1;
  }

  /** A major complaint was reported; false if it had been already. */
  public boolean reported(Connection c, long ticketId, Instant now) throws SQLException {
    return Sql.update(c, "UPDATE complaints SET reported_at = ? WHERE ticket_id = ? AND reported_at IS NULL", now, ticketId) == 1;
  }

  /** The customer was told the result. */
  public void resultTold(Connection c, long ticketId, Instant now) throws SQLException {
    Sql.update(c, "UPDATE complaints SET result_told_at = ?, reply_due_at = NULL WHERE ticket_id = ?", now, ticketId);
  }

  /**
   * An agent wrote to the customer: a promised reply is kept, or, if its time had passed, recorded as a breach.
   */
  public void replied(Connection c, long ticketId, Instant now) throws SQLException {
    Sql.update(c, "UPDATE complaints SET breached_at = reply_due_at WHERE reply_due_at < ? AND breached_at IS NULL AND ticket_id = ?",
        now, ticketId);
    Sql.update(c, "UPDATE complaints SET reply_due_at = NULL WHERE ticket_id = ?", ticketId);
  }

  /** Promised times that passed without a reply since {@code since}, including those late now. */
  public int breachesSince(Connection c, Instant since, Instant now) throws SQLException {
    return Sql.count(c, "SELECT COUNT(*) FROM complaints WHERE breached_at >= ?"
        + " OR (breached_at IS NULL AND reply_due_at < ? AND reply_due_at >= ?)", since, now, since);
  }

  private static Complaint read(Row row) throws SQLException {
    return new Complaint(row.longValue("ticket_id"), row.enumOf(Complaint.Severity.class, "severity"),
        text(row, "told"), text(row, "asked"), text(row, "handling"), text(row, "result"),
        row.optionalInstant("reply_due_at"), row.optionalInstant("breached_at"), row.optionalInstant("reported_at"),
        row.optionalInstant("result_told_at"));
  }

  /** The text the agent recorded; empty where they recorded none. */
  private static String text(Row row, String column) throws SQLException {
    return row.optionalString(column).orElse("");
  }
}
