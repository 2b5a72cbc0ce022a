package kefu.channel.wechat;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import kefu.dialog.Reply;
import kefu.store.Row;
import kefu.store.Sql;

/**
 * The outbox table: every outbound message is written here before it is sent, and its delivery recorded; every
 * method runs inside the caller's transaction.
 */
final class Outbox {
  private static final String COLUMNS = "o.id, o.customer_id, c.openid, o.kind, o.payload, o.status, o.attempts, o.created_at";
  /** Longer than any reason WeChat gives; the column holds 500. */
  private static final int ERROR_LENGTH = 400;
  private static final String CUT_OFF = "the sender stopped during the call; not sent again, it may have arrived";
  private static final OutboxMessage.Status PENDING = OutboxMessage.Status.PENDING;
  private static final OutboxMessage.Status HELD = OutboxMessage.Status.HELD;
  private static final OutboxMessage.Status SENDING = OutboxMessage.Status.SENDING;
  private static final OutboxMessage.Status SENT = OutboxMessage.Status.SENT;

  /** A message that already went back in the webhook's response. */
  long addReplied(Connection c, long customerId, long messageId, Reply reply, Instant now) throws SQLException {
    return insert(c, customerId, messageId, reply, SENT, Optional.of(OutboxMessage.Channel.REPLY), now);
  }

  /** A message to send through the API, due now. */
  long addPending(Connection c, long customerId, long messageId, Reply reply, Instant now) throws SQLException {
    return insert(c, customerId, messageId, reply, PENDING, Optional.empty(), now);
  }

  /** @param channel how it went, for a message sent already; empty for one still to send */
  private long insert(Connection c, long customerId, long messageId, Reply reply, OutboxMessage.Status status,
      Optional<OutboxMessage.Channel> channel, Instant now) throws SQLException {
    return Sql.insert(c, "INSERT INTO outbox (customer_id, message_id, kind, payload, channel, status, next_attempt_at, created_at, sent_at) "
        + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", customerId, messageId, OutboxMessage.kind(reply), OutboxMessage.payload(reply),
        channel, status, now, now, status == SENT ? now : null);
  }

  /** Messages due to be sent, oldest first. */
  List<OutboxMessage> due(Connection c, Instant now, int limit) throws SQLException {
    return Sql.list(c, "SELECT " + COLUMNS
        + " FROM outbox o JOIN customers c ON c.id = o.customer_id WHERE o.status = ? AND o.next_attempt_at <= ?"
        + " ORDER BY o.id FETCH FIRST ? ROWS ONLY", Outbox::read, PENDING, now, limit);
  }


  private static OutboxMessage read(Row row) throws SQLException {
    return new OutboxMessage(row.longValue("id"), row.longValue("customer_id"), row.string("openid"),
        OutboxMessage.reply(row.string("kind"), row.string("payload")), row.enumOf(OutboxMessage.Status.class, "status"),
        row.integer("attempts"), row.instant("created_at"));
  }

  /**
   * Marks a pending message as being sent through {@code channel}, before the call. False if it is no longer
   * pending (another sender took it).
   */
  boolean claim(Connection c, long id, OutboxMessage.Channel channel, Instant now) throws SQLException {
    return Sql.update(c, "UPDATE outbox SET status = ?, channel = ?, attempts = attempts + 1, next_attempt_at = ? WHERE id = ? AND status = ?",
        SENDING, channel, now, id, PENDING) == 1;
  }

  void sent(Connection c, long id, Instant now) throws SQLException {
    finish(c, id, SENT, null, null, now);
  }

  /** A permanent refusal, or a transient one that ran out of attempts. */
  void failed(Connection c, long id, Integer errorCode, String error, Instant now) throws SQLException {
    finish(c, id, OutboxMessage.Status.FAILED, errorCode, error, now);
  }

  /** The call went out but its outcome is unknown: WeChat may have delivered it, so it is never sent again. */
  void interrupted(Connection c, long id, String error, Instant now) throws SQLException {
    finish(c, id, OutboxMessage.Status.INTERRUPTED, null, error, now);
  }

  /** WeChat's rules do not allow it to be sent; {@code reason} says which. */
  void undeliverable(Connection c, long id, String reason, Instant now) throws SQLException {
    finish(c, id, OutboxMessage.Status.UNDELIVERABLE, null, reason, now);
  }

  private static void finish(Connection c, long id, OutboxMessage.Status status, Integer errorCode, String error, Instant now)
      throws SQLException {
    Sql.update(c, "UPDATE outbox SET status = ?, error_code = ?, error = ?, sent_at = ? WHERE id = ?",
        status, errorCode, error == null ? null : truncate(error), status == SENT ? now : null, id);
  }

  /** A transient failure: pending again at {@code next}. */
  void retryAt(Connection c, long id, Integer errorCode, String error, Instant next) throws SQLException {
    Sql.update(c, "UPDATE outbox SET status = ?, channel = NULL, error_code = ?, error = ?, next_attempt_at = ? WHERE id = ?",
        PENDING, errorCode, truncate(error), next, id);
  }

  /**
   * WeChat's quota for the customer is used up: the message waits for the customer's next message, and the
   * customer is marked as having replies waiting. Call it with the customer locked.
   */
  void hold(Connection c, long id, long customerId, String reason, Instant now) throws SQLException {
    Sql.update(c, "UPDATE outbox SET status = ?, error = ? WHERE id = ? AND status = ?", HELD, reason, id, PENDING);
    Sql.update(c, "UPDATE customers SET held_since = COALESCE(held_since, ?) WHERE id = ?", now, customerId);
  }

  /**
   * The customer wrote again: what was held for them is due now. Returns how many. Looks at the outbox only if
   * the customer is marked as having replies waiting, so a message costs one primary-key update here.
   */
  int release(Connection c, long customerId, Instant now) throws SQLException {
    if (Sql.update(c, "UPDATE customers SET held_since = NULL WHERE id = ? AND held_since IS NOT NULL", customerId) == 0) {
      return 0;
    }
    return Sql.update(c, "UPDATE outbox SET status = ?, error = NULL, next_attempt_at = ? WHERE customer_id = ? AND status = ?",
        PENDING, now, customerId, HELD);
  }

  /**
   * Messages left being sent by a sender that is gone: their call may have reached WeChat, so they are not sent
   * again. Returns how many.
   */
  int interruptAll(Connection c) throws SQLException {
    return Sql.update(c, "UPDATE outbox SET status = ?, error = ? WHERE status = ?", OutboxMessage.Status.INTERRUPTED, CUT_OFF, SENDING);
  }

  /**
   * What WeChat's rules need to know of the customer now, with the customer-service messages sent since their last
   * message and since their last click or follow; an unknown customer reads as one who unfollowed.
   */
  DeliveryPolicy.Recipient recipient(Connection c, long customerId) throws SQLException {
    // A count against a NULL time is 0: nothing was sent since something that never happened.
    String sentSince = "(SELECT COUNT(*) FROM outbox o WHERE o.customer_id = c.id AND o.channel = ? AND o.status = ? AND o.sent_at >= c.%s)";
    return Sql.one(c, "SELECT c.subscribed, c.last_inbound_at, c.last_event_at, "
        + sentSince.formatted("last_inbound_at") + " AS since_inbound, " + sentSince.formatted("last_event_at") + " AS since_event"
        + " FROM customers c WHERE c.id = ?", row -> new DeliveryPolicy.Recipient(row.bool("subscribed"),
            row.optionalInstant("last_inbound_at"), row.integer("since_inbound"),
            row.optionalInstant("last_event_at"), row.integer("since_event")),
        OutboxMessage.Channel.SERVICE, SENT, OutboxMessage.Channel.SERVICE, SENT, customerId)
        .orElse(DeliveryPolicy.Recipient.UNFOLLOWED);
  }

  private static String truncate(String text) {
    return text.length() <= ERROR_LENGTH ? text : text.substring(0, ERROR_LENGTH);
  }
}
