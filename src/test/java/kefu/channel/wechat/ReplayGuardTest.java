package kefu.channel.wechat;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.Map;
import java.util.UUID;
import kefu.TestServices;
import kefu.store.InProcessCoordination;
import kefu.store.RedisCoordination;
import org.junit.jupiter.api.Test;

/** Signatures replayed with another message, recognised through the coordination store, on one node and across nodes. */
class ReplayGuardTest {
  static final Map<String, String> MESSAGE = Map.of("FromUserName", "o-replay-a", "MsgType", "text", "Content", "你好", "MsgId", "1");
  static final Map<String, String> ANOTHER = Map.of("FromUserName", "o-replay-b", "MsgType", "text", "Content", "你好", "MsgId", "2");

  @Test
  void aSignatureSeenWithOneMessageIsRefusedWithAnother() {
    // Proves the rule on one node: a new signature passes, the same message again (WeChat's retry) passes, another
    // message under it is refused, and another signature is new.
    ReplayGuard guard = new ReplayGuard(new InProcessCoordination());
    assertThat(guard.allows("sig-1", MESSAGE)).isTrue();
    assertThat(guard.allows("sig-1", Map.copyOf(MESSAGE))).isTrue();
    assertThat(guard.allows("sig-1", ANOTHER)).isFalse();
    assertThat(guard.allows("sig-2", ANOTHER)).isTrue();
  }

  @Test
  void aReplayToAnotherNodeIsRefused() {
    // Proves the signatures are shared through Redis: two nodes, each with its own connection, see one another's.
    String prefix = "kefu-test-replay-" + UUID.randomUUID() + ":";
    URI redis = URI.create(TestServices.redisUrl());
    try (RedisCoordination one = new RedisCoordination(redis, prefix); RedisCoordination two = new RedisCoordination(redis, prefix)) {
      assertThat(new ReplayGuard(one).allows("sig-3", MESSAGE)).isTrue();
      assertThat(new ReplayGuard(two).allows("sig-3", ANOTHER)).isFalse();
      assertThat(new ReplayGuard(two).allows("sig-3", MESSAGE)).isTrue();
    }
  }

  @Test
  void whileTheStoreIsDownEveryRequestPasses() {
    // Proves a Redis outage does not turn WeChat's messages into errors: the check passes, as RetryGuard's does.
    ReplayGuard guard = new ReplayGuard(RetryGuardTest.down());
    assertThat(guard.allows("sig-4", MESSAGE)).isTrue();
    assertThat(guard.allows("sig-4", ANOTHER)).isTrue();
  }
}
