package kefu.channel.wechat;

import java.time.Duration;
import java.util.Optional;
import kefu.store.Coordination;

/**
 * Recognises WeChat's retries of a message (three within about 15 s when it got no answer), also when a retry
 * reaches another node, and remembers the passive reply's text so a retry gets the same reply. Blocks on the coordination
 * store: call it on a worker thread.
 */
final class RetryGuard {
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
    if (coordination.setIfAbsent(key, IN_PROGRESS, REMEMBER)) {
      return new First();
    }
    String value = coordination.get(key).orElse(IN_PROGRESS);
    if (value.equals(IN_PROGRESS)) {
      return new InProgress();
    }
    return new Handled(value.startsWith(REPLY) ? Optional.of(value.substring(REPLY.length())) : Optional.empty());
  }

  void handled(String key, Optional<String> passiveReply) {
    coordination.set(key, passiveReply.map(text -> REPLY + text).orElse(NO_REPLY), REMEMBER);
  }

  /** The handling failed before anything was stored: WeChat's next retry is handled afresh. */
  boolean forget(String key) {
    return coordination.delete(key);
  }
}
