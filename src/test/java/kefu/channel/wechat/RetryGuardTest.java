package kefu.channel.wechat;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.util.Optional;
import kefu.store.Coordination;
import kefu.store.CoordinationException;
import kefu.store.InProcessCoordination;
import org.junit.jupiter.api.Test;

/** Retries recognised through the coordination store, and messages still handled while it is down. */
class RetryGuardTest {

  @Test
  void aRetryIsRecognisedWhileInProgressAndAfterwardsGetsTheSameReply() {
    RetryGuard guard = new RetryGuard(new InProcessCoordination());
    assertThat(guard.arrive("msg-1")).isInstanceOf(RetryGuard.First.class);
    assertThat(guard.arrive("msg-1")).isInstanceOf(RetryGuard.InProgress.class);
    guard.handled("msg-1", Optional.of("您好"));
    assertThat(guard.arrive("msg-1")).isEqualTo(new RetryGuard.Handled(Optional.of("您好")));
  }

  @Test
  void whileTheStoreIsDownEveryArrivalIsHandled() {
    // Proves a Redis outage does not turn WeChat's messages into errors: each arrival is handled (the MsgId in
    // the database still keeps a message from being stored twice), and recording the outcome does not throw.
    RetryGuard guard = new RetryGuard(down());
    assertThat(guard.arrive("msg-2")).isInstanceOf(RetryGuard.First.class);
    assertThat(guard.arrive("msg-2")).isInstanceOf(RetryGuard.First.class);
    guard.handled("msg-2", Optional.empty());
    guard.forget("msg-2");
  }

  /** A coordination store that cannot be reached: every call throws. */
  static Coordination down() {
    return (Coordination) Proxy.newProxyInstance(Coordination.class.getClassLoader(),
        new Class<?>[] {Coordination.class}, (proxy, method, args) -> {
          throw new CoordinationException("Redis is down", null);
        });
  }
}
