package kefu.channel.wechat;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import kefu.conversation.Message;
import kefu.customer.CustomerRepository;
import kefu.dialog.Reply;
import kefu.store.Row;
import kefu.store.Sql;

/**
 * The outbox table: every outbound message is written here before it is sent, and its delivery recorded; every
 * method runs inside the caller's transaction.
 */
final class Outbox {
  private final CustomerRepository customers = new CustomerRepository();
  private static final String COLUMNS = "id, customer_id, kind, payload, status, attempts, created_at";
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

  /** A reply that went back to WeChat in the webhook's answer: its outbox row and its text. */
  record Passive(long id, String text) {}

  /**
   * The passive reply to the customer's message {@code channelMessageId}, if one went back: the first reply stored
   * after that message, before the customer's next one.
   */
  Optional<Passive> passiveReplyTo(Connection c, String channelMessageId) throws SQLException {
    return Sql.one(c, "SELECT o.id, o.kind, o.payload FROM messages m"
        + " JOIN messages r ON r.conversation_id = m.conversation_id AND r.id > m.id"
        + " JOIN outbox o ON o.message_id = r.id"
        + " WHERE m.wechat_msg_id = ? AND o.channel = ? AND NOT EXISTS (SELECT 1 FROM messages n"
        + " WHERE n.conversation_id = m.conversation_id AND n.direction = ? AND n.id > m.id AND n.id < r.id)"
        + " ORDER BY r.id FETCH FIRST 1 ROWS ONLY",
        row -> new Passive(row.longValue("id"), OutboxMessage.reply(row.string("kind"), row.string("payload")).asText()),
        channelMessageId, OutboxMessage.Channel.REPLY, Message.Direction.IN);
  }

  /**
   * A passive reply whose answer never reached WeChat (WeChat sent the message again), which the retry's answer
   * cannot carry either: due through the API now. False if it is no longer a passive reply (another retry did this).
   */
  boolean resend(Connection c, long id, Instant now) throws SQLException {
    return Sql.update(c, "UPDATE outbox SET status = ?, channel = NULL, sent_at = NULL, next_attempt_at = ? WHERE id = ? AND channel = ?",
        PENDING, now, id, OutboxMessage.Channel.REPLY) == 1;
  }

  /** Messages due to be sent, oldest first. */
  List<OutboxMessage> due(Connection c, Instant now, int limit) throws SQLException {
    return Sql.list(c, "SELECT " + COLUMNS
        + " FROM outbox WHERE status = ? AND next_attempt_at <= ? ORDER BY id FETCH FIRST ? ROWS ONLY", Outbox::read, PENDING, now, limit);
  }


  private static OutboxMessage read(Row row) throws SQLException {
    return new OutboxMessage(row.longValue("id"), row.longValue("customer_id"),
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

  /** The call never left: pending again from {@code now}, as if it had not been claimed; true if it was being sent. */
  boolean unclaim(Connection c, long id, String error, Instant now) throws SQLException {
    return Sql.update(c, "UPDATE outbox SET status = ?, channel = NULL, attempts = attempts - 1, error = ?, next_attempt_at = ?"
        + " WHERE id = ? AND status = ?", PENDING, truncate(error), now, id, SENDING) == 1;
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
    customers.holdReplies(c, customerId, now);
  }

  /**
   * The customer wrote again: what was held for them is due now. Returns how many. Looks at the outbox only if
   * the customer is marked as having replies waiting, so a message costs one primary-key update here.
   */
  int release(Connection c, long customerId, Instant now) throws SQLException {
    if (!customers.releaseReplies(c, customerId)) {
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

  /** Whom a message goes to: their openid for the call, and what WeChat's rules need to know of them now. */
  record Addressee(String openid, DeliveryPolicy.Recipient recipient) {}

  /**
   * The customer's openid and what WeChat's rules need to know of them now, with the customer-service messages sent
   * since their last message and since their last click or follow; empty for an unknown customer.
   */
  Optional<Addressee> addressee(Connection c, long customerId) throws SQLException {
    Optional<CustomerRepository.Reach> reach = customers.reach(c, customerId);
    if (reach.isEmpty()) {
      return Optional.empty();
    }
    CustomerRepository.Reach r = reach.get();
    // A count against a time that never was (NULL) is 0: nothing was sent since something that never happened.
    int[] since = Sql.one(c, "SELECT COALESCE(SUM(CASE WHEN sent_at >= ? THEN 1 ELSE 0 END), 0) AS inbound,"
        + " COALESCE(SUM(CASE WHEN sent_at >= ? THEN 1 ELSE 0 END), 0) AS event"
        + " FROM outbox WHERE customer_id = ? AND channel = ? AND status = ?",
        row -> new int[] {row.integer("inbound"), row.integer("event")},
        r.lastInbound(), r.lastEvent(), customerId, OutboxMessage.Channel.SERVICE, SENT)
        .orElse(new int[2]);
    return Optional.of(new Addressee(r.openid(),
        new DeliveryPolicy.Recipient(r.subscribed(), r.lastInbound(), since[0], r.lastEvent(), since[1])));
  }

  /** What WeChat's rules need to know of the customer now; an unknown customer reads as one who unfollowed. */
  DeliveryPolicy.Recipient recipient(Connection c, long customerId) throws SQLException {
    return addressee(c, customerId).map(Addressee::recipient).orElse(DeliveryPolicy.Recipient.UNFOLLOWED);
  }

  private static String truncate(String text) {
    return text.length() <= ERROR_LENGTH ? text : text.substring(0, ERROR_LENGTH);
  }
}
