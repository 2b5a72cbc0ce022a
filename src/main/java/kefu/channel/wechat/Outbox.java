package kefu.channel.wechat;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import kefu.conversation.Message;
import kefu.customer.Customer;
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
  private static final String COLUMNS = "id, customer_id, message_id, kind, payload, status, attempts, created_at, route, template_id";
  private static final String INSERT = "INSERT INTO outbox (customer_id, message_id, kind, payload, channel, status,"
      + " next_attempt_at, created_at, sent_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
  private static final String INSERT_ROUTED = "INSERT INTO outbox (customer_id, message_id, kind, payload, status, next_attempt_at,"
      + " created_at, route, template_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
  /** Longer than any reason WeChat gives; the column holds 500. */
  private static final int ERROR_LENGTH = 400;
  private static final String CUT_OFF = "the sender stopped while it was being sent; not sent again, it may have arrived";
  private static final OutboxMessage.Status PENDING = OutboxMessage.Status.PENDING;
  private static final OutboxMessage.Status HELD = OutboxMessage.Status.HELD;
  private static final OutboxMessage.Status SENDING = OutboxMessage.Status.SENDING;
  private static final OutboxMessage.Status SENT = OutboxMessage.Status.SENT;

  /**
   * A message that already went back in the webhook's response. Written {@linkplain Sql#later later} in a group
   * commit: nothing sends it again, and the sender counts only what went through the API.
   */
  void addReplied(Connection c, long customerId, long messageId, Reply reply, Instant now) throws SQLException {
    Sql.later(c, INSERT, customerId, messageId, OutboxMessage.kind(reply), OutboxMessage.payload(reply),
        OutboxMessage.Channel.REPLY, SENT, now, now, now);
  }

  /** A message to send through the API, due now. */
  long addPending(Connection c, long customerId, long messageId, Reply reply, Instant now) throws SQLException {
    return Sql.insert(c, INSERT, customerId, messageId, OutboxMessage.kind(reply), OutboxMessage.payload(reply),
        null, PENDING, now, now, null);
  }

  /**
   * A message that may go by {@code route} only, due now: one it cannot go by is refused, not sent another way.
   *
   * @param templateId the subscription notice's template, for {@link OutboxMessage.Channel#SUBSCRIBE}
   */
  long addRouted(Connection c, long customerId, long messageId, Reply reply, OutboxMessage.Channel route, Optional<String> templateId,
      Instant now) throws SQLException {
    return Sql.insert(c, INSERT_ROUTED, customerId, messageId, OutboxMessage.kind(reply), OutboxMessage.payload(reply), PENDING, now, now,
        route, templateId);
  }

  /** Messages due to be sent to customers in {@code shards} (see {@link OutboxShards}), oldest first. */
  List<OutboxMessage> due(Connection c, Instant now, List<Integer> shards, int limit) throws SQLException {
    return Sql.list(c, "SELECT " + COLUMNS + " FROM outbox WHERE status = ? AND next_attempt_at <= ?" + inShards(shards)
        + " ORDER BY id FETCH FIRST ? ROWS ONLY", Outbox::read, PENDING, now, limit);
  }

  /** The condition that a row's customer is in {@code shards}: none when they are all. */
  private static String inShards(List<Integer> shards) {
    if (shards.size() == OutboxShards.COUNT) {
      return "";
    }
    // Shard numbers are the sender's own small integers, never input: written into the SQL as they are.
    return " AND MOD(customer_id, " + OutboxShards.COUNT + ") IN ("
        + String.join(", ", shards.stream().map(String::valueOf).toList()) + ")";
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
  boolean sendPassiveThroughApi(Connection c, long id, Instant now) throws SQLException {
    return Sql.update(c, "UPDATE outbox SET status = ?, channel = NULL, sent_at = NULL, next_attempt_at = ? WHERE id = ? AND channel = ?",
        PENDING, now, id, OutboxMessage.Channel.REPLY) == 1;
  }

  private static OutboxMessage read(Row row) throws SQLException {
    Optional<String> route = row.optionalString("route");
    return new OutboxMessage(row.longValue("id"), row.longValue("customer_id"), row.longValue("message_id"),
        OutboxMessage.reply(row.string("kind"), row.string("payload")), row.enumOf(OutboxMessage.Status.class, "status"),
        row.integer("attempts"), row.instant("created_at"),
        route.isEmpty() ? Optional.empty() : Optional.of(row.enumOf(OutboxMessage.Channel.class, "route")), row.optionalString("template_id"));
  }

  /**
   * Marks pending messages as being sent through {@code channel}, before the calls.
   *
   * @throws SQLException if one is no longer pending (a sender that took the shard over meanwhile has it): the
   *     caller's transaction is to roll back, claiming none
   */
  void claim(Connection c, List<Long> ids, OutboxMessage.Channel channel, Instant now) throws SQLException {
    int claimed = Sql.update(c, "UPDATE outbox SET status = ?, channel = ?, attempts = attempts + 1, next_attempt_at = ?"
        + " WHERE id IN (" + Sql.placeholders(ids.size()) + ") AND status = ?", params(List.of(SENDING, channel, now), ids, PENDING));
    if (claimed != ids.size()) {
      throw new SQLException("claimed " + claimed + " of " + ids.size() + " outbox messages: another sender took the others");
    }
  }

  /** Messages WeChat took. */
  void sent(Connection c, List<Long> ids, Instant now) throws SQLException {
    Sql.update(c, "UPDATE outbox SET status = ?, error_code = NULL, error = NULL, sent_at = ? WHERE id IN ("
        + Sql.placeholders(ids.size()) + ")", params(List.of(SENT, now), ids));
  }

  /** A permanent refusal, or a transient one that ran out of attempts. */
  void failed(Connection c, long id, Integer errorCode, String error, Instant now) throws SQLException {
    finish(c, id, OutboxMessage.Status.FAILED, errorCode, error, now);
  }

  /**
   * The call went out but its outcome is unknown: WeChat may have delivered it, so it is not sent again unless a
   * person says so.
   */
  void unknown(Connection c, long id, String error, Instant now) throws SQLException {
    finish(c, id, OutboxMessage.Status.UNKNOWN, null, error, now);
  }

  /** A person decided a message whose delivery was unknown goes again: due now, as a new attempt. False if it was not unknown. */
  boolean resend(Connection c, long messageId, Instant now) throws SQLException {
    return Sql.update(c, "UPDATE outbox SET status = ?, channel = NULL, error = NULL, next_attempt_at = ? WHERE message_id = ? AND status = ?",
        PENDING, now, messageId, OutboxMessage.Status.UNKNOWN) > 0;
  }

  /**
   * A person found a message whose delivery was unknown had arrived: sent, as of {@code now}, counting against
   * WeChat's quota like any other. False if it was not unknown.
   */
  boolean delivered(Connection c, long messageId, Instant now) throws SQLException {
    return Sql.update(c, "UPDATE outbox SET status = ?, error = ?, sent_at = ? WHERE message_id = ? AND status = ?",
        SENT, "marked delivered by a person", now, messageId, OutboxMessage.Status.UNKNOWN) > 0;
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

  /**
   * The call never left: pending again from {@code now}, as if it had not been claimed. Also from unknown, which a
   * node that took the shard over meanwhile may have marked it: this sender knows better.
   *
   * @param error why it did not leave; empty when it only waited for an earlier message of the customer that failed
   */
  void unclaim(Connection c, long id, Optional<String> error, Instant now) throws SQLException {
    Sql.update(c, "UPDATE outbox SET status = ?, channel = NULL, attempts = attempts - 1, error = ?, next_attempt_at = ?"
        + " WHERE id = ? AND status IN (?, ?)", PENDING, error.map(Outbox::truncate), now, id, SENDING, OutboxMessage.Status.UNKNOWN);
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
   * The customer wrote again: what was held for them is due now. Returns how many. {@code locked} is the customer as
   * read with their row locked: the outbox is looked at only if it says replies are held, so a message costs nothing
   * here.
   */
  int release(Connection c, Customer locked, Instant now) throws SQLException {
    if (!customers.releaseReplies(c, locked)) {
      return 0;
    }
    return Sql.update(c, "UPDATE outbox SET status = ?, error = NULL, next_attempt_at = ? WHERE customer_id = ? AND status = ?",
        PENDING, now, locked.id(), HELD);
  }

  /**
   * Messages of {@code shard} left being sent by a sender that stopped: their claim was on disk before the call, so
   * the call may have reached WeChat; they are marked unknown for a person to decide. Returns how many.
   */
  int unknownAll(Connection c, int shard) throws SQLException {
    return Sql.update(c, "UPDATE outbox SET status = ?, error = ? WHERE status = ? AND MOD(customer_id, ?) = ?",
        OutboxMessage.Status.UNKNOWN, CUT_OFF, SENDING, OutboxShards.COUNT, shard);
  }

  /** Whom a message goes to: their openid for the call, and what WeChat's rules need to know of them now. */
  record Addressee(String openid, DeliveryPolicy.Recipient recipient) {}

  /**
   * The customer's openid and what WeChat's rules need to know of them now, with the customer-service messages sent
   * since their last message and since their last click or follow; empty for an unknown customer.
   */
  Optional<Addressee> addressee(Connection c, long customerId) throws SQLException {
    Optional<CustomerRepository.Reach> reach = customers.reach(c, customerId);
    return reach.isEmpty() ? Optional.empty() : Optional.of(addressee(reach.get(), sentSince(c, List.of(customerId)).get(customerId)));
  }

  /** {@link #addressee} of each of {@code customerIds}, by id, with the customers locked in id order. */
  Map<Long, Addressee> lockAddressees(Connection c, List<Long> customerIds) throws SQLException {
    Map<Long, CustomerRepository.Reach> reach = customers.lockReach(c, customerIds);
    Map<Long, int[]> sent = sentSince(c, customerIds);
    Map<Long, Addressee> addressees = new HashMap<>();
    reach.forEach((id, r) -> addressees.put(id, addressee(r, sent.get(id))));
    return addressees;
  }

  private static Addressee addressee(CustomerRepository.Reach r, int[] since) {
    int[] counts = since == null ? new int[2] : since;
    return new Addressee(r.openid(), new DeliveryPolicy.Recipient(r.subscribed(), r.lastInbound(), counts[0], r.lastEvent(), counts[1]));
  }

  /**
   * The customer-service messages sent to each customer since their last message and since their last click or
   * follow, by customer; a customer sent none is left out.
   */
  private static Map<Long, int[]> sentSince(Connection c, List<Long> customerIds) throws SQLException {
    // A count against a time that never was (NULL) is 0: nothing was sent since something that never happened.
    Map<Long, int[]> counts = new HashMap<>();
    for (Map.Entry<Long, int[]> customer : Sql.list(c, "SELECT o.customer_id,"
        + " SUM(CASE WHEN o.sent_at >= c.last_inbound_at THEN 1 ELSE 0 END) AS inbound,"
        + " SUM(CASE WHEN o.sent_at >= c.last_event_at THEN 1 ELSE 0 END) AS event"
        + " FROM outbox o JOIN customers c ON c.id = o.customer_id"
        + " WHERE o.customer_id IN (" + Sql.placeholders(customerIds.size()) + ") AND o.channel = ? AND o.status = ?"
        + " GROUP BY o.customer_id",
        row -> Map.entry(row.longValue("customer_id"), new int[] {row.integer("inbound"), row.integer("event")}),
        params(List.of(), customerIds, OutboxMessage.Channel.SERVICE, SENT))) {
      counts.put(customer.getKey(), customer.getValue());
    }
    return counts;
  }

  /** The parameters of a statement with an IN list: {@code before} it, the {@code ids}, then {@code after}. */
  private static Object[] params(List<?> before, List<Long> ids, Object... after) {
    List<Object> params = new ArrayList<>(before);
    params.addAll(ids);
    params.addAll(List.of(after));
    return params.toArray();
  }

  /** What WeChat's rules need to know of the customer now; an unknown customer reads as one who unfollowed. */
  DeliveryPolicy.Recipient recipient(Connection c, long customerId) throws SQLException {
    return addressee(c, customerId).map(Addressee::recipient).orElse(DeliveryPolicy.Recipient.UNFOLLOWED);
  }

  private static String truncate(String text) {
    return text.length() <= ERROR_LENGTH ? text : text.substring(0, ERROR_LENGTH);
  }
}
