package kefu.conversation;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.YearMonth;
import java.util.List;
import java.util.Optional;

/**
 * Mass messages (群发) to followers within the channel's monthly budget: how much of it each follower has used, and a
 * message queued to a group in the caller's transaction (its slots taken at once, so that nothing can plan a fifth),
 * sent once committed; and WeChat's preview of one to a test follower. Greetings and campaigns share the budget.
 */
public interface Broadcasts {

  /** What a mass message is for: greetings may use the reserve campaigns leave them. */
  enum Purpose { GREETING, CAMPAIGN }

  /** The month (in the business's zone) whose budget a message sent at {@code now} counts against. */
  YearMonth month(Instant now);

  /**
   * Locks the customers {@code ids} (in id order) and returns those for whom one more mass message for {@code purpose}
   * fits this month's budget; the others are refused. Queue to the returned ones in the same transaction.
   */
  List<Long> fitting(Connection c, List<Long> ids, Purpose purpose, Instant now) throws SQLException;

  /** Mass messages the customer got or has coming in {@code month}: kefu's own and those reported for all followers. */
  int used(Connection c, long customerId, YearMonth month) throws SQLException;

  /**
   * Queues {@code text} as mass messages to {@code customerIds} (in lists of at most 10,000; one alone by a temporary
   * tag), each recipient's slot of the month taken now. Returns the ids of the sends.
   */
  List<Long> queue(Connection c, Purpose purpose, String label, List<Long> customerIds, String text, Instant now) throws SQLException;

  /** As {@link #queue(Connection, Purpose, String, List, String, Instant)}, an article: uploaded when it is sent, then sent by its media_id. */
  List<Long> queue(Connection c, Purpose purpose, String label, List<Long> customerIds, Article article, Instant now) throws SQLException;

  /** Sends what was queued; call once the transaction has committed. */
  void wake();

  /** A preview's refusal when the API's calls of the minute are used up or the channel has not started: try again soon. */
  int BUSY = -1;

  /**
   * Sends {@code text} to the one follower {@code openid} as WeChat's preview of a mass message (100 a day; no budget
   * used). Blocks: call it on a worker thread. Empty if it went, else WeChat's error code or {@link #BUSY}.
   */
  Optional<Integer> preview(String openid, String text);
}
