package kefu.conversation;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;

/** Takes what a person writes to a customer to the customer's channel: queued with the message, sent after commit. */
public interface Delivery {

  /** Puts the stored outbound text {@code message} on its way to the customer, in the caller's transaction. */
  void queue(Connection c, long customerId, Message message, Instant now) throws SQLException;

  /** Sends what was queued; call once the transaction has committed. */
  void wake();

  /**
   * Settles the outbound {@code messageId}, whose delivery is unknown (its call to the channel may or may not have
   * arrived when the sender stopped): queued to be sent again if {@code resend}, otherwise recorded as delivered.
   * False if its delivery is not unknown (someone settled it already). Call {@link #wake} once committed.
   */
  boolean settle(Connection c, long messageId, boolean resend, Instant now) throws SQLException;

  /** How many more messages the channel lets the business send the customer now, and until when. */
  Allowance allowance(Connection c, long customerId, Instant now) throws SQLException;

  /**
   * What the channel allows: {@code left} messages before replies wait for the customer's next message, within the
   * window that closes at {@code closesAt} (empty when it is closed already).
   */
  record Allowance(int left, Optional<Instant> closesAt) {}
}
