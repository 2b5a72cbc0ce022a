package kefu.desk;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import kefu.store.Sql;

/**
 * The log of agents revealing customers' phone numbers, which the console otherwise masks: who, for which customer and
 * ticket, and the reason they gave. Runs in the caller's transaction.
 */
public final class PhoneReveals {

  /** {@code agentId} saw the customer's phone number while serving {@code ticketId}, for {@code reason}. */
  public void record(Connection c, long customerId, long agentId, long ticketId, String reason, Instant now) throws SQLException {
    Sql.update(c, "INSERT INTO customer_reveals (customer_id, agent_id, ticket_id, reason, created_at) VALUES (?, ?, ?, ?, ?)",
        customerId, agentId, ticketId, reason, now);
  }
}
