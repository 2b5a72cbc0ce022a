package kefu.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The contract for a single node, plus what a fake ticker can show exactly. */
class InProcessCoordinationTest extends CoordinationContract {
  // One node: both clients are the same store.
  private final InProcessCoordination shared = new InProcessCoordination();

  @Override
  protected Coordination newClient() {
    return shared;
  }

  @Test
  void expiryAndRefillFollowTheTicker() {
    AtomicLong now = new AtomicLong();
    try (InProcessCoordination coordination = new InProcessCoordination(now::get)) {
      coordination.set("key", "value", Duration.ofSeconds(10));
      RateLimit limit = new RateLimit(2, Duration.ofSeconds(10));
      assertThat(coordination.tryAcquire("bucket", limit)).isTrue();
      assertThat(coordination.tryAcquire("bucket", limit)).isTrue();
      assertThat(coordination.tryAcquire("bucket", limit)).isFalse();

      now.addAndGet(Duration.ofSeconds(5).toNanos());
      assertThat(coordination.get("key")).contains("value");
      assertThat(coordination.tryAcquire("bucket", limit)).isTrue();
      assertThat(coordination.tryAcquire("bucket", limit)).isFalse();

      now.addAndGet(Duration.ofSeconds(5).toNanos());
      assertThat(coordination.get("key")).isEmpty();
    }
  }

  @Test
  void renewingAnotherHoldersLeaseLeavesItsExpiry() {
    AtomicLong now = new AtomicLong();
    try (InProcessCoordination coordination = new InProcessCoordination(now::get)) {
      Lease first = coordination.tryLease("lease", Duration.ofSeconds(1)).orElseThrow();
      now.addAndGet(Duration.ofSeconds(1).toNanos());
      Lease second = coordination.tryLease("lease", Duration.ofSeconds(10)).orElseThrow();
      assertThat(first.renew(Duration.ofSeconds(100))).isFalse();
      now.addAndGet(Duration.ofSeconds(10).toNanos());
      assertThat(second.renew(Duration.ofSeconds(10))).isFalse();
    }
  }

  @Test
  void messagesArriveOnTheDeliveryThread() {
    AtomicReference<String> thread = new AtomicReference<>();
    shared.subscribe("channel", message -> thread.set(Thread.currentThread().getName()));
    shared.publish("channel", "message");
    await().atMost(Duration.ofSeconds(5)).until(() -> thread.get() != null);
    assertThat(thread.get()).isEqualTo("kefu-coordination-pubsub");
  }
}
