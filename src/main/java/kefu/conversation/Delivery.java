package kefu.conversation;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;

/** Takes what a person writes to a customer to the customer's channel: queued with the message, sent after commit. */
public interface Delivery {

  /** Puts the stored outbound text {@code message} on its way to the customer, in the caller's transaction. */
  void queue(Connection c, long customerId, Message message, Instant now) throws SQLException;

  /** Sends what was queued; call once the transaction has committed. */
  void wake();
}
