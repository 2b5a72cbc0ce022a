package kefu.desk;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import kefu.store.Database;

/**
 * The log of agents revealing customers' phone numbers, which the console otherwise masks: who, for which customer and
 * ticket, and the reason they gave. Runs in the caller's transaction.
 */
public final class PhoneReveals {

  /** {@code agentId} saw the customer's phone number while serving {@code ticketId}, for {@code reason}. */
  public void record(Connection c, long customerId, long agentId, long ticketId, String reason, Instant now) throws SQLException {
    try (PreparedStatement insert = c.prepareStatement(
        "INSERT INTO customer_reveals (customer_id, agent_id, ticket_id, reason, created_at) VALUES (?, ?, ?, ?, ?)")) {
      insert.setLong(1, customerId);
      insert.setLong(2, agentId);
      insert.setLong(3, ticketId);
      insert.setString(4, reason);
      insert.setObject(5, Database.timestamp(now));
      insert.executeUpdate();
    }
  }
}
