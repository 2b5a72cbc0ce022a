package kefu.conversation;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;

/** Takes what a person writes to a customer to the customer's channel: queued with the message, sent after commit. */
public interface Delivery {

  /** Puts the stored outbound text {@code message} on its way to the customer, in the caller's transaction. */
  void queue(Connection c, long customerId, Message message, Instant now) throws SQLException;

  /**
   * Puts {@code message} on its way by {@code route} only, in the caller's transaction: if the channel cannot send it
   * that way, it is refused (told to whoever listens for refusals), not sent another way.
   *
   * @param templateId the subscription notice's template, for {@link Route#SUBSCRIBE}
   */
  void queue(Connection c, long customerId, Message message, Route route, Optional<String> templateId, Instant now)
      throws SQLException;

  /**
   * Puts the stored outbound {@code message} on its way as {@code article}'s news card (图文), as a customer-service
   * message only (refused, not sent another way, when the window is closed), in the caller's transaction.
   *
   * @throws UnsupportedOperationException from a channel that has no news cards
   */
  default void queue(Connection c, long customerId, Message message, Article article, Instant now) throws SQLException {
    throw new UnsupportedOperationException(getClass().getSimpleName() + " sends no articles");
  }

  /** The one way a message is to go, when its sender chose it. */
  enum Route {
    /** A customer-service message, within the window after the customer's last message and its quota. */
    SERVICE,
    /** The configured template message, for a service notice. */
    TEMPLATE,
    /** A one-time subscription notice, which the customer allowed beforehand. */
    SUBSCRIBE
  }

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
