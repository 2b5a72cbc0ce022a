package kefu.channel.wechat;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The one passive reply a webhook request can carry, raced for by the turn (which fills it if its first reply is
 * ready in time) and by the reply budget's timer (which closes it and answers WeChat without a reply). Whoever
 * comes first wins; the other learns it lost.
 */
final class PassiveSlot {
  private static final int OPEN = 0;
  private static final int TAKEN = 1;
  private static final int CLOSED = 2;

  private final AtomicInteger state = new AtomicInteger(OPEN);

  /**
   * The turn takes the slot for its first reply; false if the budget ran out first. True again if the turn takes it
   * again: its writes may be run a second time (a group commit's batch failed and each turn runs again alone).
   */
  boolean take() {
    return state.compareAndSet(OPEN, TAKEN) || state.get() == TAKEN;
  }

  /** The request is answered without a passive reply; false if the turn took the slot first. */
  boolean close() {
    return state.compareAndSet(OPEN, CLOSED);
  }
}
