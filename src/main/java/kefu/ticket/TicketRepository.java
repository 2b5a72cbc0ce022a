package kefu.desk;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Optional;
import kefu.store.Database;

/**
 * Opens, assigns and closes tickets, recording each change with who made it and when; every method runs inside
 * the caller's transaction.
 */
public final class TicketRepository {
  private static final String COLUMNS = "id, customer_id, conversation_id, kind, reason, status, created_at, agent_id";

  private final ComplaintRepository complaints = new ComplaintRepository();

  /**
   * The customer's ticket still waiting or with an agent, or a new waiting one. A complaint turns a waiting
   * handoff into a complaint: it is the same customer waiting, now with a complaint. A complaint ticket comes with
   * its complaint record.
   */
  public Ticket openFor(Connection c, long customerId, long conversationId, Ticket.Kind kind, Ticket.Reason reason, Instant now)
      throws SQLException {
    Optional<Ticket> open = open(c, customerId);
    if (open.isPresent()) {
      Ticket ticket = open.get();
      if (kind == Ticket.Kind.COMPLAINT && ticket.kind() == Ticket.Kind.HANDOFF) {
        markComplaint(c, ticket.id(), now);
        return new Ticket(ticket.id(), customerId, ticket.conversationId(), kind, ticket.reason(), ticket.status(),
            ticket.createdAt(), ticket.agentId());
      }
      return ticket;
    }
    long id;
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
        id = keys.getLong(1);
      }
    }
    event(c, id, "waiting", null, null, now);
    if (kind == Ticket.Kind.COMPLAINT) {
      complaints.ensure(c, id, now);
    }
    return new Ticket(id, customerId, conversationId, kind, reason, Ticket.Status.WAITING, now, Optional.empty());
  }

  public Optional<Ticket> byId(Connection c, long id) throws SQLException {
    return select(c, "SELECT " + COLUMNS + " FROM tickets WHERE id = ?", id).stream().findFirst();
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

  /** How many tickets are not closed yet, by status: waiting, with an agent, a complaint awaiting its result. */
  public Map<Ticket.Status, Integer> unclosedByStatus(Connection c) throws SQLException {
    try (PreparedStatement select = c.prepareStatement(
        "SELECT status, COUNT(*) FROM tickets WHERE status IN ('waiting', 'assigned', 'resolved') GROUP BY status");
        ResultSet rs = select.executeQuery()) {
      Map<Ticket.Status, Integer> counts = new EnumMap<>(Ticket.Status.class);
      while (rs.next()) {
        counts.put(Ticket.Status.valueOf(rs.getString(1).toUpperCase(Locale.ROOT)), rs.getInt(2));
      }
      return counts;
    }
  }

  /** The chats the agent has now, oldest first. */
  public List<Ticket> assignedTo(Connection c, long agentId) throws SQLException {
    return select(c, "SELECT " + COLUMNS + " FROM tickets WHERE agent_id = ? AND status = 'assigned' ORDER BY id", agentId);
  }

  /** How many chats each agent has now, by agent id; agents without chats are left out. */
  public Map<Long, Integer> loads(Connection c) throws SQLException {
    try (PreparedStatement select = c.prepareStatement(
        "SELECT agent_id, COUNT(*) FROM tickets WHERE status = 'assigned' GROUP BY agent_id");
        ResultSet rs = select.executeQuery()) {
      Map<Long, Integer> loads = new HashMap<>();
      while (rs.next()) {
        loads.put(rs.getLong(1), rs.getInt(2));
      }
      return loads;
    }
  }

  /** The agent who last served the customer, in an earlier ticket than {@code ticketId}. */
  public Optional<Long> previousAgent(Connection c, long customerId, long ticketId) throws SQLException {
    try (PreparedStatement select = c.prepareStatement("SELECT s.agent_id FROM ticket_agents s JOIN tickets t ON t.id = s.ticket_id"
        + " WHERE t.customer_id = ? AND t.id <> ? ORDER BY s.joined_at DESC, t.id DESC FETCH FIRST 1 ROWS ONLY")) {
      select.setLong(1, customerId);
      select.setLong(2, ticketId);
      try (ResultSet rs = select.executeQuery()) {
        return rs.next() ? Optional.of(rs.getLong(1)) : Optional.empty();
      }
    }
  }

  /** The chats with an agent in which nobody has written since {@code since}. */
  public List<Ticket> quiet(Connection c, Instant since) throws SQLException {
    try (PreparedStatement select = c.prepareStatement("SELECT " + COLUMNS + " FROM tickets WHERE status = 'assigned'"
        + " AND conversation_id IN (SELECT id FROM conversations WHERE last_message_at < ?) ORDER BY id")) {
      select.setObject(1, Database.timestamp(since));
      return read(select);
    }
  }

  /** Every chat any agent has now, oldest first: what supervisors watch. */
  public List<Ticket> assigned(Connection c) throws SQLException {
    return select(c, "SELECT " + COLUMNS + " FROM tickets WHERE status = 'assigned' ORDER BY id");
  }

  /**
   * Gives a waiting ticket to {@code agentId}, who is then credited with serving it. False if it is no longer
   * waiting (another agent was quicker).
   */
  public boolean assign(Connection c, long ticketId, long agentId, Instant now) throws SQLException {
    if (!moveTo(c, ticketId, agentId, "waiting", now)) {
      return false;
    }
    served(c, ticketId, agentId, now);
    event(c, ticketId, "assigned", agentId, null, now);
    return true;
  }

  /**
   * Passes a ticket an agent has to {@code toAgentId}, who is credited with serving it too; {@code byAgentId} did it,
   * with {@code note} for the agent taking over. False if it is no longer with an agent.
   */
  public boolean transfer(Connection c, long ticketId, long toAgentId, long byAgentId, String note, Instant now) throws SQLException {
    if (!moveTo(c, ticketId, toAgentId, "assigned", now)) {
      return false;
    }
    served(c, ticketId, toAgentId, now);
    event(c, ticketId, "transferred", byAgentId, note, now);
    return true;
  }

  private static boolean moveTo(Connection c, long ticketId, long agentId, String fromStatus, Instant now) throws SQLException {
    try (PreparedStatement update = c.prepareStatement(
        "UPDATE tickets SET status = 'assigned', agent_id = ?, updated_at = ? WHERE id = ? AND status = ?")) {
      update.setLong(1, agentId);
      update.setObject(2, Database.timestamp(now));
      update.setLong(3, ticketId);
      update.setString(4, fromStatus);
      return update.executeUpdate() == 1;
    }
  }

  private void served(Connection c, long ticketId, long agentId, Instant now) throws SQLException {
    // The ticket's row is updated above, so no other transaction adds this pair meanwhile.
    if (!servedBy(c, ticketId).contains(agentId)) {
      try (PreparedStatement served = c.prepareStatement("INSERT INTO ticket_agents (ticket_id, agent_id, joined_at) VALUES (?, ?, ?)")) {
        served.setLong(1, ticketId);
        served.setLong(2, agentId);
        served.setObject(3, Database.timestamp(now));
        served.executeUpdate();
      }
    }
  }

  /**
   * Closes a ticket that is waiting, with an agent, or resolved (a complaint whose result the customer has now been
   * told); {@code by} is the agent who closed it, empty when the customer did. False if it was closed already.
   */
  public boolean close(Connection c, long ticketId, Optional<Long> by, Instant now) throws SQLException {
    try (PreparedStatement update = c.prepareStatement(
        "UPDATE tickets SET status = 'closed', closed_at = ?, updated_at = ? WHERE id = ? AND status IN ('waiting', 'assigned', 'resolved')")) {
      update.setObject(1, Database.timestamp(now));
      update.setObject(2, Database.timestamp(now));
      update.setLong(3, ticketId);
      if (update.executeUpdate() == 0) {
        return false;
      }
    }
    event(c, ticketId, "closed", by.orElse(null), null, now);
    return true;
  }

  /**
   * The chat of a complaint ended before the customer was told the result: the ticket stays open, with its agent,
   * until they are (跟清楚). False if it was not with an agent.
   */
  public boolean resolve(Connection c, long ticketId, Optional<Long> by, Instant now) throws SQLException {
    try (PreparedStatement update = c.prepareStatement(
        "UPDATE tickets SET status = 'resolved', updated_at = ? WHERE id = ? AND status = 'assigned'")) {
      update.setObject(1, Database.timestamp(now));
      update.setLong(2, ticketId);
      if (update.executeUpdate() == 0) {
        return false;
      }
    }
    event(c, ticketId, "resolved", by.orElse(null), null, now);
    return true;
  }

  /** Waiting tickets older than {@code since} whose customer has not been offered the choice yet, oldest first. */
  public List<Ticket> waitingTooLong(Connection c, Instant since) throws SQLException {
    try (PreparedStatement select = c.prepareStatement("SELECT " + COLUMNS
        + " FROM tickets WHERE status = 'waiting' AND wait_offered_at IS NULL AND created_at < ? ORDER BY created_at, id")) {
      select.setObject(1, Database.timestamp(since));
      return read(select);
    }
  }

  /** The customer of a waiting ticket is offered to keep waiting or be called back; false if they were already. */
  public boolean waitOffered(Connection c, long ticketId, Instant now) throws SQLException {
    try (PreparedStatement update = c.prepareStatement("UPDATE tickets SET wait_offered_at = ? WHERE id = ? AND wait_offered_at IS NULL")) {
      update.setObject(1, Database.timestamp(now));
      update.setLong(2, ticketId);
      return update.executeUpdate() == 1;
    }
  }

  /** The customer answered the offer: keeps waiting, or asks to be called back (recorded with the ticket's history). */
  public void answeredWaitOffer(Connection c, long ticketId, boolean callBack, Instant now) throws SQLException {
    if (callBack) {
      try (PreparedStatement update = c.prepareStatement("UPDATE tickets SET callback_at = ? WHERE id = ?")) {
        update.setObject(1, Database.timestamp(now));
        update.setLong(2, ticketId);
        update.executeUpdate();
      }
    }
    event(c, ticketId, "waiting", null, callBack ? "call-back" : "keep-waiting", now);
  }

  /** Whether the customer of the ticket asked to be called back. */
  public boolean callBack(Connection c, long ticketId) throws SQLException {
    try (PreparedStatement select = c.prepareStatement("SELECT callback_at FROM tickets WHERE id = ?")) {
      select.setLong(1, ticketId);
      try (ResultSet rs = select.executeQuery()) {
        return rs.next() && rs.getObject(1) != null;
      }
    }
  }

  /**
   * Ends the ticket's chat ({@code by} the agent, or empty when the customer or silence ended it): closed, or resolved
   * when it is a complaint whose customer has not been told the result yet (跟清楚). False if it had ended already.
   */
  public boolean endChat(Connection c, Ticket ticket, Optional<Long> by, Instant now) throws SQLException {
    return complaints.awaitsResult(c, ticket) ? resolve(c, ticket.id(), by, now) : close(c, ticket.id(), by, now);
  }

  /** Makes the ticket a complaint, with its (empty, 一般) complaint record; either may be so already. */
  public void markComplaint(Connection c, long ticketId, Instant now) throws SQLException {
    try (PreparedStatement update = c.prepareStatement("UPDATE tickets SET kind = 'complaint', updated_at = ? WHERE id = ?")) {
      update.setObject(1, Database.timestamp(now));
      update.setLong(2, ticketId);
      update.executeUpdate();
    }
    complaints.ensure(c, ticketId, now);
  }

  /** The agents who served the ticket, in the order they joined it. */
  public List<Long> servedBy(Connection c, long ticketId) throws SQLException {
    try (PreparedStatement select = c.prepareStatement("SELECT agent_id FROM ticket_agents WHERE ticket_id = ? ORDER BY joined_at, agent_id")) {
      select.setLong(1, ticketId);
      try (ResultSet rs = select.executeQuery()) {
        List<Long> agents = new ArrayList<>();
        while (rs.next()) {
          agents.add(rs.getLong(1));
        }
        return agents;
      }
    }
  }

  /** A change of a ticket: the status it moved to or {@code transferred}, who did it (empty: the customer or the bot). */
  public record Event(String action, Optional<Long> agentId, Optional<String> note, Instant at) {}

  /** The ticket's history, oldest first. */
  public List<Event> events(Connection c, long ticketId) throws SQLException {
    try (PreparedStatement select = c.prepareStatement(
        "SELECT action, agent_id, note, created_at FROM ticket_events WHERE ticket_id = ? ORDER BY id")) {
      select.setLong(1, ticketId);
      try (ResultSet rs = select.executeQuery()) {
        List<Event> events = new ArrayList<>();
        while (rs.next()) {
          long agentId = rs.getLong("agent_id");
          Optional<Long> agent = rs.wasNull() ? Optional.empty() : Optional.of(agentId);
          events.add(new Event(rs.getString("action"), agent, Optional.ofNullable(rs.getString("note")),
              rs.getObject("created_at", OffsetDateTime.class).toInstant()));
        }
        return events;
      }
    }
  }

  private static void event(Connection c, long ticketId, String action, Long agentId, String note, Instant now) throws SQLException {
    try (PreparedStatement insert = c.prepareStatement(
        "INSERT INTO ticket_events (ticket_id, action, agent_id, note, created_at) VALUES (?, ?, ?, ?, ?)")) {
      insert.setLong(1, ticketId);
      insert.setString(2, action);
      if (agentId == null) {
        insert.setNull(3, Types.BIGINT);
      } else {
        insert.setLong(3, agentId);
      }
      insert.setString(4, note);
      insert.setObject(5, Database.timestamp(now));
      insert.executeUpdate();
    }
  }

  private static List<Ticket> select(Connection c, String sql, long... params) throws SQLException {
    try (PreparedStatement select = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        select.setLong(i + 1, params[i]);
      }
      return read(select);
    }
  }

  private static List<Ticket> read(PreparedStatement select) throws SQLException {
    {
      try (ResultSet rs = select.executeQuery()) {
        List<Ticket> tickets = new ArrayList<>();
        while (rs.next()) {
          long agentId = rs.getLong("agent_id");
          Optional<Long> agent = rs.wasNull() ? Optional.empty() : Optional.of(agentId);
          tickets.add(new Ticket(rs.getLong("id"), rs.getLong("customer_id"), rs.getLong("conversation_id"),
              Ticket.Kind.valueOf(rs.getString("kind").toUpperCase(Locale.ROOT)),
              Ticket.Reason.valueOf(rs.getString("reason").toUpperCase(Locale.ROOT)),
              Ticket.Status.valueOf(rs.getString("status").toUpperCase(Locale.ROOT)),
              rs.getObject("created_at", OffsetDateTime.class).toInstant(), agent));
        }
        return tickets;
      }
    }
  }

  private static String name(Enum<?> value) {
    return value.name().toLowerCase(Locale.ROOT);
  }
}
