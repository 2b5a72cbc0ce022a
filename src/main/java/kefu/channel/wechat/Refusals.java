package kefu.channel.wechat;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;

/**
 * Told when a message that was to go one way only ({@link kefu.conversation.Delivery.Route}) does not go: WeChat
 * refused it, or WeChat's rules as kefu keeps them do not allow it. Called in the transaction that records it, so
 * that the feature that chose the way (follow-up journeys) chooses the next one atomically with the refusal.
 */
@FunctionalInterface
public interface Refusals {
  Refusals NONE = (c, messageId, code, reason, now) -> {};

  /**
   * @param messageId the refused message ({@code messages.id})
   * @param code WeChat's errcode (45015, 45047, 43101, 40037, 43004 …), or 0 when kefu's own rules held it back
   * @param reason what was refused and why, in words
   */
  void refused(Connection c, long messageId, int code, String reason, Instant now) throws SQLException;
}
