package kefu.rating;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
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

  /** Stores the customer's rating, of {@code ticketId} if it rates a ticket. */
  public void add(Connection c, long customerId, OptionalLong ticketId, Rating rating, Instant now) throws SQLException {
    Sql.update(c, "INSERT INTO ratings (customer_id, ticket_id, level, score, created_at) VALUES (?, ?, ?, ?, ?)",
        customerId, ticketId.isPresent() ? ticketId.getAsLong() : null, rating.level(), rating.score(), now);
  }
}
