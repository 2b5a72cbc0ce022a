package kefu.rating;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;
import kefu.store.Database;

/** Stores ratings; every method runs inside the caller's transaction. */
public final class RatingRepository {

  /** The levels (1 非常满意 … 5) the customer gave their tickets, by ticket id. */
  public Map<Long, Integer> byTicket(Connection c, long customerId) throws SQLException {
    try (PreparedStatement select = c.prepareStatement(
        "SELECT ticket_id, level FROM ratings WHERE customer_id = ? AND ticket_id IS NOT NULL ORDER BY id")) {
      select.setLong(1, customerId);
      try (ResultSet rs = select.executeQuery()) {
        Map<Long, Integer> levels = new HashMap<>();
        while (rs.next()) {
          levels.put(rs.getLong(1), rs.getInt(2));
        }
        return levels;
      }
    }
  }

  /** Stores the customer's rating, of {@code ticketId} if it rates a ticket. */
  public void add(Connection c, long customerId, OptionalLong ticketId, Rating rating, Instant now) throws SQLException {
    try (PreparedStatement insert = c.prepareStatement(
        "INSERT INTO ratings (customer_id, ticket_id, level, score, created_at) VALUES (?, ?, ?, ?, ?)")) {
      insert.setLong(1, customerId);
      if (ticketId.isPresent()) {
        insert.setLong(2, ticketId.getAsLong());
      } else {
        insert.setNull(2, Types.BIGINT);
      }
      insert.setInt(3, rating.level());
      insert.setBigDecimal(4, rating.score());
      insert.setObject(5, Database.timestamp(now));
      insert.executeUpdate();
    }
  }
}
