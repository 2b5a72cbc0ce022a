package kefu.desk;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import kefu.store.Sql;
import kefu.ticket.Ticket;
import kefu.ticket.TicketRepository;

/**
 * Gives waiting customers, longest waiting first, to online agents with room (fewer than {@code desk.max-chats}):
 * to the agent who served the customer last if they can take it, otherwise to the one with the fewest chats. Runs
 * in the caller's transaction, holding a lock that keeps two nodes from doing it at once.
 */
public final class Assigner {
  private final Chats chats;
  private final int maxChats;
  private final Duration sessionIdleTimeout;
  private final TicketRepository tickets = new TicketRepository();
  private final AgentRepository agents = new AgentRepository();

  public Assigner(Chats chats, int maxChats, Duration sessionIdleTimeout) {
    this.chats = chats;
    this.maxChats = maxChats;
    this.sessionIdleTimeout = sessionIdleTimeout;
  }

  /** A ticket given out, and to whom. */
  public record Given(Ticket ticket, Agent agent) {}

  /**
   * Takes the desk's lock until the transaction ends: one node at a time gives out chats (or closes quiet ones, or
   * apologises for long waits), so that no agent is given more than allowed and nobody is told twice.
   */
  public static void lock(Connection c) throws SQLException {
    Sql.one(c, "SELECT id FROM assignment_lock WHERE id = 1 FOR UPDATE", row -> row.longValue("id"));
  }

  /** Gives out what can be given now; the tickets given, in order. */
  public List<Given> assignWaiting(Connection c, Instant now) throws SQLException {
    lock(c);
    List<Ticket> waiting = tickets.waiting(c);
    if (waiting.isEmpty()) {
      return List.of();
    }
    // An agent whose session ended is not at the console, whatever their presence says.
    List<Agent> online = agents.available(c, now.minus(sessionIdleTimeout));
    Map<Long, Integer> loads = tickets.loads(c);
    List<Given> given = new ArrayList<>();
    for (Ticket ticket : waiting) {
      Optional<Agent> agent = pick(c, ticket, online, loads);
      if (agent.isEmpty()) {
        break; // nobody has room: the others wait too
      }
      chats.accept(c, ticket, agent.get(), now);
      loads.merge(agent.get().id(), 1, Integer::sum);
      given.add(new Given(ticket, agent.get()));
    }
    if (!given.isEmpty()) {
      chats.tellFirst(c, given.get(0).ticket(), now);
    }
    return given;
  }

  private Optional<Agent> pick(Connection c, Ticket ticket, List<Agent> online, Map<Long, Integer> loads) throws SQLException {
    List<Agent> withRoom = online.stream().filter(a -> loads.getOrDefault(a.id(), 0) < maxChats).toList();
    if (withRoom.isEmpty()) {
      return Optional.empty();
    }
    Optional<Long> previous = tickets.previousAgent(c, ticket.customerId(), ticket.id());
    Optional<Agent> known = withRoom.stream().filter(a -> previous.equals(Optional.of(a.id()))).findFirst();
    return known.or(() -> withRoom.stream().min(Comparator.comparingInt((Agent a) -> loads.getOrDefault(a.id(), 0))
        .thenComparingLong(Agent::id)));
  }
}
