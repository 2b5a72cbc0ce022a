package kefu.desk;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import kefu.store.Database;

/** Opens and reads tickets; every method runs inside the caller's transaction. */
public final class TicketRepository {
  private static final String COLUMNS = "id, customer_id, conversation_id, kind, reason, status, created_at";

  /**
   * The customer's ticket still waiting or with an agent, or a new waiting one. A complaint turns a waiting
   * handoff into a complaint: it is the same customer waiting, now with a complaint.
   */
  public Ticket openFor(Connection c, long customerId, long conversationId, Ticket.Kind kind, Ticket.Reason reason, Instant now)
      throws SQLException {
    Optional<Ticket> open = open(c, customerId);
    if (open.isPresent()) {
      Ticket ticket = open.get();
      if (kind == Ticket.Kind.COMPLAINT && ticket.kind() == Ticket.Kind.HANDOFF) {
        try (PreparedStatement update = c.prepareStatement("UPDATE tickets SET kind = 'complaint', updated_at = ? WHERE id = ?")) {
          update.setObject(1, Database.timestamp(now));
          update.setLong(2, ticket.id());
          update.executeUpdate();
        }
        return new Ticket(ticket.id(), customerId, ticket.conversationId(), kind, ticket.reason(), ticket.status(), ticket.createdAt());
      }
      return ticket;
    }
    try (PreparedStatement insert = c.prepareStatement(
        "INSERT INTO tickets (customer_id, conversation_id, kind, reason, status, created_at, updated_at) VALUES (?, ?, ?, ?, 'waiting', ?, ?)",
        Statement.RETURN_GENERATED_KEYS)) {
      insert.setLong(1, customerId);
      insert.setLong(2, conversationId);
      insert.setString(3, name(kind));
      insert.setString(4, name(reason));
      insert.setObject(5, Database.timestamp(now));
      insert.setObject(6, Database.timestamp(now));
      insert.executeUpdate();
      try (ResultSet keys = insert.getGeneratedKeys()) {
        keys.next();
        return new Ticket(keys.getLong(1), customerId, conversationId, kind, reason, Ticket.Status.WAITING, now);
      }
    }
  }

  /** The customer's ticket that is waiting or with an agent, if any. */
  public Optional<Ticket> open(Connection c, long customerId) throws SQLException {
    List<Ticket> found = select(c, "SELECT " + COLUMNS + " FROM tickets WHERE customer_id = ? AND status IN ('waiting', 'assigned') ORDER BY id", customerId);
    return found.stream().findFirst();
  }

  /** Every ticket of the customer, oldest first. */
  public List<Ticket> forCustomer(Connection c, long customerId) throws SQLException {
    return select(c, "SELECT " + COLUMNS + " FROM tickets WHERE customer_id = ? ORDER BY id", customerId);
  }

  /** The queue: tickets waiting for an agent, longest waiting first. */
  public List<Ticket> waiting(Connection c) throws SQLException {
    return select(c, "SELECT " + COLUMNS + " FROM tickets WHERE status = 'waiting' ORDER BY created_at, id");
  }

  private static List<Ticket> select(Connection c, String sql, long... params) throws SQLException {
    try (PreparedStatement select = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        select.setLong(i + 1, params[i]);
      }
      try (ResultSet rs = select.executeQuery()) {
        List<Ticket> tickets = new ArrayList<>();
        while (rs.next()) {
          tickets.add(new Ticket(rs.getLong("id"), rs.getLong("customer_id"), rs.getLong("conversation_id"),
              Ticket.Kind.valueOf(rs.getString("kind").toUpperCase(Locale.ROOT)),
              Ticket.Reason.valueOf(rs.getString("reason").toUpperCase(Locale.ROOT)),
              Ticket.Status.valueOf(rs.getString("status").toUpperCase(Locale.ROOT)),
              rs.getObject("created_at", OffsetDateTime.class).toInstant()));
        }
        return tickets;
      }
    }
  }

  private static String name(Enum<?> value) {
    return value.name().toLowerCase(Locale.ROOT);
  }
}
