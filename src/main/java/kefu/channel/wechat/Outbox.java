package kefu.channel.wechat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import kefu.dialog.Reply;
import kefu.store.Database;

/**
 * The outbox table: every outbound message is written here before it is sent, and its delivery recorded; every
 * method runs inside the caller's transaction.
 */
final class Outbox {
  private static final String COLUMNS = "o.id, o.customer_id, c.openid, o.kind, o.payload, o.status, o.attempts, o.created_at";
  /** Longer than any reason WeChat gives; the column holds 500. */
  private static final int ERROR_LENGTH = 400;

  /** A message that already went back in the webhook's response. */
  long addReplied(Connection c, long customerId, long messageId, Reply reply, Instant now) throws SQLException {
    return insert(c, customerId, messageId, reply, "sent", "reply", now);
  }

  /** A message to send through the API, due now. */
  long addPending(Connection c, long customerId, long messageId, Reply reply, Instant now) throws SQLException {
    return insert(c, customerId, messageId, reply, "pending", null, now);
  }

  private long insert(Connection c, long customerId, long messageId, Reply reply, String status, String channel, Instant now)
      throws SQLException {
    try (PreparedStatement insert = c.prepareStatement(
        "INSERT INTO outbox (customer_id, message_id, kind, payload, channel, status, next_attempt_at, created_at, sent_at) "
            + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", Statement.RETURN_GENERATED_KEYS)) {
      insert.setLong(1, customerId);
      insert.setLong(2, messageId);
      insert.setString(3, OutboxMessage.kind(reply));
      insert.setString(4, OutboxMessage.payload(reply));
      insert.setString(5, channel);
      insert.setString(6, status);
      insert.setObject(7, Database.timestamp(now));
      insert.setObject(8, Database.timestamp(now));
      insert.setObject(9, channel == null ? null : Database.timestamp(now));
      insert.executeUpdate();
      try (ResultSet keys = insert.getGeneratedKeys()) {
        keys.next();
        return keys.getLong(1);
      }
    }
  }

  /** Messages due to be sent, oldest first. */
  List<OutboxMessage> due(Connection c, Instant now, int limit) throws SQLException {
    try (PreparedStatement select = c.prepareStatement("SELECT " + COLUMNS
        + " FROM outbox o JOIN customers c ON c.id = o.customer_id WHERE o.status = 'pending' AND o.next_attempt_at <= ?"
        + " ORDER BY o.id FETCH FIRST ? ROWS ONLY")) {
      select.setObject(1, Database.timestamp(now));
      select.setInt(2, limit);
      return read(select);
    }
  }

  /** Every outbox message of the customer, oldest first: what reached them and what did not, and why. */
  List<OutboxMessage> forCustomer(Connection c, long customerId) throws SQLException {
    try (PreparedStatement select = c.prepareStatement("SELECT " + COLUMNS
        + " FROM outbox o JOIN customers c ON c.id = o.customer_id WHERE o.customer_id = ? ORDER BY o.id")) {
      select.setLong(1, customerId);
      return read(select);
    }
  }

  private static List<OutboxMessage> read(PreparedStatement select) throws SQLException {
    try (ResultSet rs = select.executeQuery()) {
      List<OutboxMessage> rows = new ArrayList<>();
      while (rs.next()) {
        rows.add(new OutboxMessage(rs.getLong("id"), rs.getLong("customer_id"), rs.getString("openid"),
            OutboxMessage.reply(rs.getString("kind"), rs.getString("payload")),
            OutboxMessage.Status.valueOf(rs.getString("status").toUpperCase(Locale.ROOT)),
            rs.getInt("attempts"), rs.getObject("created_at", OffsetDateTime.class).toInstant()));
      }
      return rows;
    }
  }

  /**
   * Marks a pending message as being sent through {@code channel}, before the call. False if it is no longer
   * pending (another sender took it).
   */
  boolean claim(Connection c, long id, OutboxMessage.Channel channel, Instant now) throws SQLException {
    try (PreparedStatement update = c.prepareStatement(
        "UPDATE outbox SET status = 'sending', channel = ?, attempts = attempts + 1, next_attempt_at = ? WHERE id = ? AND status = 'pending'")) {
      update.setString(1, name(channel));
      update.setObject(2, Database.timestamp(now));
      update.setLong(3, id);
      return update.executeUpdate() == 1;
    }
  }

  void sent(Connection c, long id, Instant now) throws SQLException {
    finish(c, id, "sent", null, null, now);
  }

  /** A permanent refusal, or a transient one that ran out of attempts. */
  void failed(Connection c, long id, Integer errorCode, String error, Instant now) throws SQLException {
    finish(c, id, "failed", errorCode, error, now);
  }

  /** The call went out but its outcome is unknown: WeChat may have delivered it, so it is never sent again. */
  void interrupted(Connection c, long id, String error, Instant now) throws SQLException {
    finish(c, id, "interrupted", null, error, now);
  }

  /** WeChat's rules do not allow it to be sent; {@code reason} says which. */
  void undeliverable(Connection c, long id, String reason, Instant now) throws SQLException {
    finish(c, id, "undeliverable", null, reason, now);
  }

  private static void finish(Connection c, long id, String status, Integer errorCode, String error, Instant now) throws SQLException {
    try (PreparedStatement update = c.prepareStatement(
        "UPDATE outbox SET status = ?, error_code = ?, error = ?, sent_at = ? WHERE id = ?")) {
      update.setString(1, status);
      if (errorCode == null) {
        update.setNull(2, Types.INTEGER);
      } else {
        update.setInt(2, errorCode);
      }
      update.setString(3, error == null ? null : truncate(error));
      update.setObject(4, status.equals("sent") ? Database.timestamp(now) : null);
      update.setLong(5, id);
      update.executeUpdate();
    }
  }

  /** A transient failure: pending again at {@code next}. */
  void retryAt(Connection c, long id, Integer errorCode, String error, Instant next) throws SQLException {
    try (PreparedStatement update = c.prepareStatement(
        "UPDATE outbox SET status = 'pending', channel = NULL, error_code = ?, error = ?, next_attempt_at = ? WHERE id = ?")) {
      if (errorCode == null) {
        update.setNull(1, Types.INTEGER);
      } else {
        update.setInt(1, errorCode);
      }
      update.setString(2, truncate(error));
      update.setObject(3, Database.timestamp(next));
      update.setLong(4, id);
      update.executeUpdate();
    }
  }

  /**
   * WeChat's quota for the customer is used up: the message waits for the customer's next message, and the
   * customer is marked as having replies waiting. Call it with the customer locked.
   */
  void hold(Connection c, long id, long customerId, String reason, Instant now) throws SQLException {
    try (PreparedStatement update = c.prepareStatement("UPDATE outbox SET status = 'held', error = ? WHERE id = ? AND status = 'pending'")) {
      update.setString(1, reason);
      update.setLong(2, id);
      update.executeUpdate();
    }
    try (PreparedStatement mark = c.prepareStatement("UPDATE customers SET held_since = COALESCE(held_since, ?) WHERE id = ?")) {
      mark.setObject(1, Database.timestamp(now));
      mark.setLong(2, customerId);
      mark.executeUpdate();
    }
  }

  /**
   * The customer wrote again: what was held for them is due now. Returns how many. Looks at the outbox only if
   * the customer is marked as having replies waiting, so a message costs one primary-key update here.
   */
  int release(Connection c, long customerId, Instant now) throws SQLException {
    try (PreparedStatement unmark = c.prepareStatement("UPDATE customers SET held_since = NULL WHERE id = ? AND held_since IS NOT NULL")) {
      unmark.setLong(1, customerId);
      if (unmark.executeUpdate() == 0) {
        return 0;
      }
    }
    try (PreparedStatement update = c.prepareStatement(
        "UPDATE outbox SET status = 'pending', error = NULL, next_attempt_at = ? WHERE customer_id = ? AND status = 'held'")) {
      update.setObject(1, Database.timestamp(now));
      update.setLong(2, customerId);
      return update.executeUpdate();
    }
  }

  /**
   * Messages left 'sending' by a sender that is gone: their call may have reached WeChat, so they are not sent
   * again. Returns how many.
   */
  int interruptAll(Connection c) throws SQLException {
    try (PreparedStatement update = c.prepareStatement(
        "UPDATE outbox SET status = 'interrupted', error = 'the sender stopped during the call; not sent again, it may have arrived' WHERE status = 'sending'")) {
      return update.executeUpdate();
    }
  }

  /** How many messages went to the customer through {@code channel} since {@code since}. */
  int sentSince(Connection c, long customerId, OutboxMessage.Channel channel, Instant since) throws SQLException {
    try (PreparedStatement count = c.prepareStatement(
        "SELECT COUNT(*) FROM outbox WHERE customer_id = ? AND channel = ? AND status = 'sent' AND sent_at >= ?")) {
      count.setLong(1, customerId);
      count.setString(2, name(channel));
      count.setObject(3, Database.timestamp(since));
      try (ResultSet rs = count.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    }
  }

  /** What WeChat's rules need to know of the customer. */
  Optional<DeliveryPolicy.Customer> recipient(Connection c, long customerId) throws SQLException {
    try (PreparedStatement select = c.prepareStatement(
        "SELECT subscribed, last_inbound_at, last_event_at FROM customers WHERE id = ?")) {
      select.setLong(1, customerId);
      try (ResultSet rs = select.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        return Optional.of(new DeliveryPolicy.Customer(rs.getBoolean("subscribed"),
            Optional.ofNullable(rs.getObject("last_inbound_at", OffsetDateTime.class)).map(OffsetDateTime::toInstant),
            Optional.ofNullable(rs.getObject("last_event_at", OffsetDateTime.class)).map(OffsetDateTime::toInstant)));
      }
    }
  }

  private static String name(OutboxMessage.Channel channel) {
    return channel.name().toLowerCase(Locale.ROOT);
  }

  private static String truncate(String text) {
    return text.length() <= ERROR_LENGTH ? text : text.substring(0, ERROR_LENGTH);
  }
}
