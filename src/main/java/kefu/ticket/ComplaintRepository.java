package kefu.ticket;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import kefu.store.Database;

/** Records complaints by 五清楚, their promised replies and breaches; every method runs in the caller's transaction. */
public final class ComplaintRepository {
  private static final String COLUMNS =
      "ticket_id, severity, told, asked, handling, result, reply_due_at, breached_at, reported_at, result_told_at";

  /** The ticket's complaint record, made (一般, empty) if the ticket has none yet. */
  public Complaint ensure(Connection c, long ticketId, Instant now) throws SQLException {
    Optional<Complaint> found = byTicket(c, ticketId);
    if (found.isPresent()) {
      return found.get();
    }
    try (PreparedStatement insert = c.prepareStatement(
        "INSERT INTO complaints (ticket_id, severity, updated_at) VALUES (?, 'normal', ?)")) {
      insert.setLong(1, ticketId);
      insert.setObject(2, Database.timestamp(now));
      insert.executeUpdate();
    }
    return byTicket(c, ticketId).orElseThrow();
  }

  public Optional<Complaint> byTicket(Connection c, long ticketId) throws SQLException {
    try (PreparedStatement select = c.prepareStatement("SELECT " + COLUMNS + " FROM complaints WHERE ticket_id = ?")) {
      select.setLong(1, ticketId);
      List<Complaint> found = read(select);
      return found.stream().findFirst();
    }
  }

  /** Whether the ticket is a complaint whose result the customer has not been told yet: it stays open (跟清楚). */
  public boolean awaitsResult(Connection c, Ticket ticket) throws SQLException {
    return ticket.kind() == Ticket.Kind.COMPLAINT && byTicket(c, ticket.id()).flatMap(Complaint::resultToldAt).isEmpty();
  }

  /** The complaints not yet closed (the customer not yet told the result), promised replies first. */
  public List<Complaint> open(Connection c) throws SQLException {
    try (PreparedStatement select = c.prepareStatement("SELECT " + COLUMNS.replace("ticket_id", "p.ticket_id")
        + " FROM complaints p JOIN tickets t ON t.id = p.ticket_id WHERE t.status IN ('waiting', 'assigned', 'resolved')"
        + " ORDER BY CASE WHEN p.reply_due_at IS NULL THEN 1 ELSE 0 END, p.reply_due_at, p.ticket_id")) {
      return read(select);
    }
  }

  /** What the agent recorded; a new promised time replaces the old one. */
  public void record(Connection c, long ticketId, Complaint.Severity severity, String told, String asked, String handling,
      String result, Optional<Instant> replyDueAt, Instant now) throws SQLException {
    try (PreparedStatement update = c.prepareStatement("UPDATE complaints SET severity = ?, told = ?, asked = ?, handling = ?,"
        + " result = ?, reply_due_at = ?, updated_at = ? WHERE ticket_id = ?")) {
      update.setString(1, severity.name().toLowerCase(Locale.ROOT));
      update.setString(2, told);
      update.setString(3, asked);
      update.setString(4, handling);
      update.setString(5, result);
      update.setObject(6, replyDueAt.map(Database::timestamp).orElse(null), Types.TIMESTAMP_WITH_TIMEZONE);
      update.setObject(7, Database.timestamp(now));
      update.setLong(8, ticketId);
      update.executeUpdate();
    }
  }

  /** A major complaint was reported; false if it had been already. */
  public boolean reported(Connection c, long ticketId, Instant now) throws SQLException {
    return stamp(c, "UPDATE complaints SET reported_at = ? WHERE ticket_id = ? AND reported_at IS NULL", ticketId, now);
  }

  /** The customer was told the result. */
  public void resultTold(Connection c, long ticketId, Instant now) throws SQLException {
    stamp(c, "UPDATE complaints SET result_told_at = ?, reply_due_at = NULL WHERE ticket_id = ?", ticketId, now);
  }

  /**
   * An agent wrote to the customer: a promised reply is kept, or, if its time had passed, recorded as a breach.
   */
  public void replied(Connection c, long ticketId, Instant now) throws SQLException {
    stamp(c, "UPDATE complaints SET breached_at = reply_due_at WHERE reply_due_at < ? AND breached_at IS NULL AND ticket_id = ?",
        ticketId, now);
    try (PreparedStatement clear = c.prepareStatement("UPDATE complaints SET reply_due_at = NULL WHERE ticket_id = ?")) {
      clear.setLong(1, ticketId);
      clear.executeUpdate();
    }
  }

  /** Promised times that passed without a reply since {@code since}, including those late now. */
  public int breachesSince(Connection c, Instant since, Instant now) throws SQLException {
    try (PreparedStatement count = c.prepareStatement("SELECT COUNT(*) FROM complaints WHERE breached_at >= ?"
        + " OR (breached_at IS NULL AND reply_due_at < ? AND reply_due_at >= ?)")) {
      count.setObject(1, Database.timestamp(since));
      count.setObject(2, Database.timestamp(now));
      count.setObject(3, Database.timestamp(since));
      try (ResultSet rs = count.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    }
  }

  /** Runs {@code sql}, whose first parameter is the time and second the ticket. */
  private static boolean stamp(Connection c, String sql, long ticketId, Instant now) throws SQLException {
    try (PreparedStatement update = c.prepareStatement(sql)) {
      update.setObject(1, Database.timestamp(now));
      update.setLong(2, ticketId);
      return update.executeUpdate() == 1;
    }
  }

  private static List<Complaint> read(PreparedStatement select) throws SQLException {
    try (ResultSet rs = select.executeQuery()) {
      List<Complaint> complaints = new ArrayList<>();
      while (rs.next()) {
        complaints.add(new Complaint(rs.getLong("ticket_id"),
            Complaint.Severity.valueOf(rs.getString("severity").toUpperCase(Locale.ROOT)),
            text(rs, "told"), text(rs, "asked"), text(rs, "handling"), text(rs, "result"),
            time(rs, "reply_due_at"), time(rs, "breached_at"), time(rs, "reported_at"), time(rs, "result_told_at")));
      }
      return complaints;
    }
  }

  private static String text(ResultSet rs, String column) throws SQLException {
    String value = rs.getString(column);
    return value == null ? "" : value;
  }

  private static Optional<Instant> time(ResultSet rs, String column) throws SQLException {
    return Optional.ofNullable(rs.getObject(column, OffsetDateTime.class)).map(OffsetDateTime::toInstant);
  }
}
