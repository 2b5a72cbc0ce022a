package kefu.rating;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import kefu.store.Sql;

/** Stores ratings; every method runs inside the caller's transaction. */
public final class RatingRepository {

  /** The levels (1 非常满意 … 5) the customer gave their tickets, by ticket id. */
  public Map<Long, Integer> byTicket(Connection c, long customerId) throws SQLException {
    Map<Long, Integer> levels = new HashMap<>();
    Sql.list(c, "SELECT ticket_id, level FROM ratings WHERE customer_id = ? AND ticket_id IS NOT NULL ORDER BY id",
        row -> levels.put(row.longValue("ticket_id"), row.integer("level")), customerId);
    return levels;
  }

  /**
   * A rating with one agent it credits: a ticket's rating credits every agent who served it (transfers included), so
   * a rating of a ticket two agents served comes twice, once for each; a rating of no ticket, or of a ticket no agent
   * served, comes once with no agent.
   */
  public record Credit(long ratingId, Instant at, Optional<Long> ticketId, Rating rating, Optional<Long> agentId,
      Optional<String> agentName) {}

  /**
   * The ratings given in [{@code from}, {@code to}) with the agents they credit, oldest first, each rating's agents
   * in the order they joined its ticket: what an agent's scores are computed from.
   */
  public List<Credit> credited(Connection c, Instant from, Instant to) throws SQLException {
    return Sql.list(c, "SELECT r.id, r.created_at, r.ticket_id, r.level, s.agent_id, a.name AS agent_name FROM ratings r"
        + " LEFT JOIN ticket_agents s ON s.ticket_id = r.ticket_id LEFT JOIN agents a ON a.id = s.agent_id"
        + " WHERE r.created_at >= ? AND r.created_at < ? ORDER BY r.created_at, r.id, s.joined_at, s.agent_id",
        row -> new Credit(row.longValue("id"), row.instant("created_at"), row.optionalLong("ticket_id"),
            Rating.ofLevel(row.integer("level")), row.optionalLong("agent_id"), row.optionalString("agent_name")),
        from, to);
  }

  /** Stores the customer's rating, of {@code ticketId} if it rates a ticket. */
  public void add(Connection c, long customerId, OptionalLong ticketId, Rating rating, Instant now) throws SQLException {
    Sql.update(c, "INSERT INTO ratings (customer_id, ticket_id, level, score, created_at) VALUES (?, ?, ?, ?, ?)",
        customerId, ticketId.isPresent() ? ticketId.getAsLong() : null, rating.level(), rating.score(), now);
  }
}
