package kefu.channel.wechat;

import java.time.Duration;
import java.util.Optional;
import kefu.store.Coordination;
import kefu.store.CoordinationException;
import org.slf4j.LoggerFactory;

/**
 * Recognises WeChat's retries of a message (three within about 15 s when it got no answer), also when a retry
 * reaches another node, and remembers the passive reply's text so a retry gets the same reply. Blocks on the coordination
 * store: call it on a worker thread.
 *
 * <p>While the coordination store (Redis) is down, every arrival counts as the first: customers keep getting
 * answers, a message's MsgId in the database still keeps a retry from being stored twice, and only a retried event
 * (which has no MsgId) may be answered twice.
 */
final class RetryGuard {
  private static final ThrottledWarning storeDown = new ThrottledWarning(LoggerFactory.getLogger(RetryGuard.class));

  /** Far longer than WeChat's retries last, short enough to keep few keys. */
  private static final Duration REMEMBER = Duration.ofMinutes(5);
  private static final String IN_PROGRESS = "pending";
  private static final String NO_REPLY = "done";
  private static final String REPLY = "reply:";

  /** What is known of a message on arrival. */
  sealed interface Seen {}

  /** Never seen: handle it. */
  record First() implements Seen {}

  /** Being handled now: its reply, if any, will not come from this request. */
  record InProgress() implements Seen {}

  /** Handled; {@code passiveReply} is the text that went back to WeChat, if anything did. */
  record Handled(Optional<String> passiveReply) implements Seen {}

  private final Coordination coordination;

  RetryGuard(Coordination coordination) {
    this.coordination = coordination;
  }

  Seen arrive(String key) {
    String value;
    try {
      if (coordination.setIfAbsent(key, IN_PROGRESS, REMEMBER)) {
        return new First();
      }
      value = coordination.get(key).orElse(IN_PROGRESS);
    } catch (CoordinationException e) {
      unavailable(e);
      return new First();
    }
    if (value.equals(IN_PROGRESS)) {
      return new InProgress();
    }
    return new Handled(value.startsWith(REPLY) ? Optional.of(value.substring(REPLY.length())) : Optional.empty());
  }

  void handled(String key, Optional<String> passiveReply) {
    try {
      coordination.set(key, passiveReply.map(text -> REPLY + text).orElse(NO_REPLY), REMEMBER);
    } catch (CoordinationException e) {
      unavailable(e);
    }
  }

  /** The handling failed before anything was stored: WeChat's next retry is handled afresh. */
  void forget(String key) {
    try {
      coordination.delete(key);
    } catch (CoordinationException e) {
      unavailable(e);
    }
  }

  private static void unavailable(CoordinationException e) {
    storeDown.warn("WeChat retries are not recognised across nodes while the coordination store is down ({});"
        + " messages are still answered, and stored once by their MsgId", e.getMessage());
  }
}
