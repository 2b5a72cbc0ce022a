package kefu.ticket;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;

/**
 * Told of each ticket closed, in the transaction that closes it, so that a feature that follows customers up
 * (their records' milestones) can take it as a milestone atomically with the close.
 */
@FunctionalInterface
public interface TicketClosings {
  TicketClosings NONE = (c, customerId, ticketId, now) -> {};

  void closed(Connection c, long customerId, long ticketId, Instant now) throws SQLException;
}
