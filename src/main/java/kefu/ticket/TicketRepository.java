package kefu.ticket;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import kefu.store.Row;
import kefu.store.Sql;

/**
 * Opens, assigns and closes tickets, recording each change with who made it and when; every method runs inside
 * the caller's transaction.
 */
public final class TicketRepository {
  private static final String COLUMNS = "id, customer_id, conversation_id, kind, reason, status, created_at, agent_id";
  private static final Ticket.Status WAITING = Ticket.Status.WAITING;
  private static final Ticket.Status ASSIGNED = Ticket.Status.ASSIGNED;
  private static final Ticket.Status RESOLVED = Ticket.Status.RESOLVED;
  private static final Ticket.Status CLOSED = Ticket.Status.CLOSED;

  private final ComplaintRepository complaints = new ComplaintRepository();
  private final TicketClosings closings;

  /** Tells no one of the tickets it closes. */
  public TicketRepository() {
    this(TicketClosings.NONE);
  }

  /** @param closings told of each ticket it closes, in the same transaction */
  public TicketRepository(TicketClosings closings) {
    this.closings = closings;
  }

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
        // The complaint is now why the customer wants a person, whatever started the ticket (a photo, say).
        markComplaint(c, ticket.id(), now);
        Sql.update(c, "UPDATE tickets SET reason = ? WHERE id = ?", reason, ticket.id());
        return new Ticket(ticket.id(), customerId, ticket.conversationId(), kind, reason, ticket.status(),
            ticket.createdAt(), ticket.agentId());
      }
      return ticket;
    }
    long id = Sql.insert(c, "INSERT INTO tickets (customer_id, conversation_id, kind, reason, status, created_at, updated_at)"
        + " VALUES (?, ?, ?, ?, ?, ?, ?)", customerId, conversationId, kind, reason, WAITING, now, now);
    event(c, id, Sql.name(WAITING), Optional.empty(), Optional.empty(), now);
    if (kind == Ticket.Kind.COMPLAINT) {
      complaints.ensure(c, id, now);
    }
    return new Ticket(id, customerId, conversationId, kind, reason, WAITING, now, Optional.empty());
  }

  public Optional<Ticket> byId(Connection c, long id) throws SQLException {
    return Sql.one(c, "SELECT " + COLUMNS + " FROM tickets WHERE id = ?", TicketRepository::read, id);
  }

  /** The customer's ticket that is waiting or with an agent, if any. */
  public Optional<Ticket> open(Connection c, long customerId) throws SQLException {
    return Sql.one(c, "SELECT " + COLUMNS + " FROM tickets WHERE customer_id = ? AND status IN (?, ?) ORDER BY id",
        TicketRepository::read, customerId, WAITING, ASSIGNED);
  }

  /** Every ticket of the customer, oldest first. */
  public List<Ticket> forCustomer(Connection c, long customerId) throws SQLException {
    return Sql.list(c, "SELECT " + COLUMNS + " FROM tickets WHERE customer_id = ? ORDER BY id", TicketRepository::read, customerId);
  }

  /** The queue: tickets waiting for an agent, longest waiting first. */
  public List<Ticket> waiting(Connection c) throws SQLException {
    return Sql.list(c, "SELECT " + COLUMNS + " FROM tickets WHERE status = ? ORDER BY created_at, id", TicketRepository::read, WAITING);
  }

  /** How many tickets are not closed yet, by status: waiting, with an agent, a complaint awaiting its result. */
  public Map<Ticket.Status, Integer> unclosedByStatus(Connection c) throws SQLException {
    Map<Ticket.Status, Integer> counts = new EnumMap<>(Ticket.Status.class);
    Sql.list(c, "SELECT status, COUNT(*) AS n FROM tickets WHERE status IN (?, ?, ?) GROUP BY status",
        row -> counts.put(row.enumOf(Ticket.Status.class, "status"), row.integer("n")), WAITING, ASSIGNED, RESOLVED);
    return counts;
  }

  /** The chats the agent has now, oldest first. */
  public List<Ticket> assignedTo(Connection c, long agentId) throws SQLException {
    return Sql.list(c, "SELECT " + COLUMNS + " FROM tickets WHERE agent_id = ? AND status = ? ORDER BY id", TicketRepository::read,
        agentId, ASSIGNED);
  }

  /** How many chats each agent has now, by agent id; agents without chats are left out. */
  public Map<Long, Integer> loads(Connection c) throws SQLException {
    Map<Long, Integer> loads = new HashMap<>();
    Sql.list(c, "SELECT agent_id, COUNT(*) AS n FROM tickets WHERE status = ? GROUP BY agent_id",
        row -> loads.put(row.longValue("agent_id"), row.integer("n")), ASSIGNED);
    return loads;
  }

  /** The agent who last served the customer, in an earlier ticket than {@code ticketId}. */
  public Optional<Long> previousAgent(Connection c, long customerId, long ticketId) throws SQLException {
    return Sql.one(c, "SELECT s.agent_id FROM ticket_agents s JOIN tickets t ON t.id = s.ticket_id"
        + " WHERE t.customer_id = ? AND t.id <> ? ORDER BY s.joined_at DESC, t.id DESC FETCH FIRST 1 ROWS ONLY",
        row -> row.longValue("agent_id"), customerId, ticketId);
  }

  /** Every chat any agent has now, oldest first: what supervisors watch. */
  public List<Ticket> assigned(Connection c) throws SQLException {
    return Sql.list(c, "SELECT " + COLUMNS + " FROM tickets WHERE status = ? ORDER BY id", TicketRepository::read, ASSIGNED);
  }

  /**
   * Gives a waiting ticket to {@code agentId}, who is then credited with serving it. False if it is no longer
   * waiting (another agent was quicker).
   */
  public boolean assign(Connection c, long ticketId, long agentId, Instant now) throws SQLException {
    if (!moveTo(c, ticketId, agentId, WAITING, now)) {
      return false;
    }
    served(c, ticketId, agentId, now);
    event(c, ticketId, Sql.name(ASSIGNED), Optional.of(agentId), Optional.empty(), now);
    return true;
  }

  /**
   * Passes a ticket an agent has to {@code toAgentId}, who is credited with serving it too; {@code byAgentId} did it,
   * with {@code note} for the agent taking over. False if it is no longer with an agent.
   */
  public boolean transfer(Connection c, long ticketId, long toAgentId, long byAgentId, String note, Instant now) throws SQLException {
    if (!moveTo(c, ticketId, toAgentId, ASSIGNED, now)) {
      return false;
    }
    served(c, ticketId, toAgentId, now);
    event(c, ticketId, "transferred", Optional.of(byAgentId), Optional.of(note), now);
    return true;
  }

  private static boolean moveTo(Connection c, long ticketId, long agentId, Ticket.Status from, Instant now) throws SQLException {
    return Sql.update(c, "UPDATE tickets SET status = ?, agent_id = ?, updated_at = ? WHERE id = ? AND status = ?",
        ASSIGNED, agentId, now, ticketId, from) == 1;
  }

  private void served(Connection c, long ticketId, long agentId, Instant now) throws SQLException {
    // The ticket's row is updated above, so no other transaction adds this pair meanwhile.
    if (!servedBy(c, ticketId).contains(agentId)) {
      Sql.update(c, "INSERT INTO ticket_agents (ticket_id, agent_id, joined_at) VALUES (?, ?, ?)", ticketId, agentId, now);
    }
  }

  /**
   * Closes a ticket that is waiting, with an agent, or resolved (a complaint whose result the customer has now been
   * told); {@code by} is the agent who closed it, empty when the customer did. False if it was closed already.
   */
  public boolean close(Connection c, long ticketId, Optional<Long> by, Instant now) throws SQLException {
    if (Sql.update(c, "UPDATE tickets SET status = ?, closed_at = ?, updated_at = ? WHERE id = ? AND status IN (?, ?, ?)",
        CLOSED, now, now, ticketId, WAITING, ASSIGNED, RESOLVED) == 0) {
      return false;
    }
    event(c, ticketId, Sql.name(CLOSED), by, Optional.empty(), now);
    if (closings != TicketClosings.NONE) {
      long customerId = Sql.one(c, "SELECT customer_id FROM tickets WHERE id = ?", row -> row.longValue("customer_id"), ticketId).orElseThrow();
      closings.closed(c, customerId, ticketId, now);
    }
    return true;
  }

  /**
   * The chat of a complaint ended before the customer was told the result: the ticket stays open, with its agent,
   * until they are (跟清楚). False if it was not with an agent.
   */
  public boolean resolve(Connection c, long ticketId, Optional<Long> by, Instant now) throws SQLException {
    if (Sql.update(c, "UPDATE tickets SET status = ?, updated_at = ? WHERE id = ? AND status = ?",
        RESOLVED, now, ticketId, ASSIGNED) == 0) {
      return false;
    }
    event(c, ticketId, Sql.name(RESOLVED), by, Optional.empty(), now);
    return true;
  }

  /** Waiting tickets older than {@code since} whose customer has not been offered the choice yet, oldest first. */
  public List<Ticket> waitingTooLong(Connection c, Instant since) throws SQLException {
    return Sql.list(c, "SELECT " + COLUMNS + " FROM tickets WHERE status = ? AND wait_offered_at IS NULL AND created_at < ?"
        + " ORDER BY created_at, id", TicketRepository::read, WAITING, since);
  }

  /**
   * The customer of a waiting ticket is offered to keep waiting or be called back, and their next message answers;
   * false if they were offered it already.
   */
  public boolean waitOffered(Connection c, long ticketId, Instant now) throws SQLException {
    prompted(c, ticketId, now);
    return Sql.update(c, "UPDATE tickets SET wait_offered_at = ? WHERE id = ? AND wait_offered_at IS NULL", now, ticketId) == 1;
  }

  /** The customer answered the offer: keeps waiting, or asks to be called back (recorded with the ticket's history). */
  public void answeredWaitOffer(Connection c, long ticketId, boolean callBack, Instant now) throws SQLException {
    if (callBack) {
      Sql.update(c, "UPDATE tickets SET callback_at = ? WHERE id = ?", now, ticketId);
    }
    event(c, ticketId, Sql.name(WAITING), Optional.empty(), Optional.of(callBack ? "call-back" : "keep-waiting"), now);
  }

  /** Whether the customer of the ticket asked to be called back. */
  public boolean callBack(Connection c, long ticketId) throws SQLException {
    return Sql.one(c, "SELECT callback_at FROM tickets WHERE id = ?", row -> row.optionalInstant("callback_at"), ticketId)
        .flatMap(at -> at).isPresent();
  }

  /** The customer was asked to rate the ticket's chat; their next message answers. */
  public void ratingAsked(Connection c, long ticketId, Instant now) throws SQLException {
    prompted(c, ticketId, now);
    Sql.update(c, "UPDATE tickets SET rating_asked_at = ? WHERE id = ?", now, ticketId);
  }

  /**
   * Marks the ticket's customer as asked something at {@code now}, so that their turns read {@link #lastPrompt}. The
   * customer's row first, as a turn locks it before it reads the ticket: the other order could wait on each other.
   */
  private static void prompted(Connection c, long ticketId, Instant now) throws SQLException {
    Sql.update(c, "UPDATE customers SET prompted_at = ? WHERE id = (SELECT customer_id FROM tickets WHERE id = ?)", now, ticketId);
  }

  /**
   * The latest question the customer was asked about their latest ticket (a rating, or whether to keep waiting
   * while still waiting), if any; whether it still stands is for the one who reads the answer to judge.
   */
  public Optional<TicketPrompt> lastPrompt(Connection c, long customerId) throws SQLException {
    return Sql.one(c, "SELECT id, status, rating_asked_at, wait_offered_at FROM tickets WHERE customer_id = ?"
        + " ORDER BY id DESC FETCH FIRST 1 ROWS ONLY", row -> {
          long id = row.longValue("id");
          boolean waiting = row.enumOf(Ticket.Status.class, "status") == WAITING;
          Optional<TicketPrompt> rating = row.optionalInstant("rating_asked_at")
              .map(at -> new TicketPrompt(TicketPrompt.Kind.RATING, id, at));
          Optional<TicketPrompt> wait = row.optionalInstant("wait_offered_at").filter(at -> waiting)
              .map(at -> new TicketPrompt(TicketPrompt.Kind.WAIT_CHOICE, id, at));
          return Stream.of(rating, wait).flatMap(Optional::stream).max(Comparator.comparing(TicketPrompt::at));
        }, customerId).flatMap(prompt -> prompt);
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
    Sql.update(c, "UPDATE tickets SET kind = ?, updated_at = ? WHERE id = ?", Ticket.Kind.COMPLAINT, now, ticketId);
    complaints.ensure(c, ticketId, now);
  }

  /** The agents who served the ticket, in the order they joined it. */
  public List<Long> servedBy(Connection c, long ticketId) throws SQLException {
    return Sql.list(c, "SELECT agent_id FROM ticket_agents WHERE ticket_id = ? ORDER BY joined_at, agent_id",
        row -> row.longValue("agent_id"), ticketId);
  }

  /** A change of a ticket: the status it moved to or {@code transferred}, who did it (empty: the customer or the bot). */
  public record Event(String action, Optional<Long> agentId, Optional<String> note, Instant at) {}

  /** The ticket's history, oldest first. */
  public List<Event> events(Connection c, long ticketId) throws SQLException {
    return Sql.list(c, "SELECT action, agent_id, note, created_at FROM ticket_events WHERE ticket_id = ? ORDER BY id",
        row -> new Event(row.string("action"), row.optionalLong("agent_id"), row.optionalString("note"), row.instant("created_at")),
        ticketId);
  }

  private static void event(Connection c, long ticketId, String action, Optional<Long> agentId, Optional<String> note, Instant now)
      throws SQLException {
    Sql.update(c, "INSERT INTO ticket_events (ticket_id, action, agent_id, note, created_at) VALUES (?, ?, ?, ?, ?)",
        ticketId, action, agentId, note, now);
  }

  /** The columns {@link #read} maps, of the tickets table named {@code alias}: for queries that join tickets to more. */
  public static String columns(String alias) {
    return Stream.of(COLUMNS.split(", ")).map(column -> alias + "." + column).collect(Collectors.joining(", "));
  }

  /** The ticket in a row of {@link #columns}. */
  public static Ticket read(Row row) throws SQLException {
    return new Ticket(row.longValue("id"), row.longValue("customer_id"), row.longValue("conversation_id"),
        row.enumOf(Ticket.Kind.class, "kind"), row.enumOf(Ticket.Reason.class, "reason"), row.enumOf(Ticket.Status.class, "status"),
        row.instant("created_at"), row.optionalLong("agent_id"));
  }
}
