package kefu.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link Coordination} must share, run against two clients that see the same state, as two
 * nodes would.
 */
abstract class CoordinationContract {
  private static final Duration SHORT = Duration.ofMillis(200);
  private static final Duration LONG = Duration.ofMinutes(5);
  private static final Duration WAIT = Duration.ofSeconds(5);

  protected Coordination a;
  protected Coordination b;
  // Names are unique per test, since the clients of one test class may share a store.
  private final String unique = UUID.randomUUID().toString();

  /** A client of the store under test; every client made for one test must share the same state. */
  protected abstract Coordination newClient();

  @BeforeEach
  void createClients() {
    a = newClient();
    b = newClient();
  }

  @AfterEach
  void closeClients() {
    if (a != null) {
      a.close();
    }
    if (b != null) {
      b.close();
    }
  }

  protected String name(String base) {
    return base + "-" + unique;
  }

  @Test
  void ttlTellsWhatIsLeft() {
    String key = name("ttl");
    assertThat(b.ttl(key)).isEmpty();
    a.set(key, "v", LONG);
    assertThat(b.ttl(key)).hasValueSatisfying(left -> assertThat(left).isPositive().isLessThanOrEqualTo(LONG));
    a.delete(key);
    assertThat(b.ttl(key)).isEmpty();
  }

  @Test
  void setIfAbsentSetsOnlyOnce() {
    String key = name("once");
    assertThat(a.setIfAbsent(key, "first", LONG)).isTrue();
    assertThat(b.setIfAbsent(key, "second", LONG)).isFalse();
    assertThat(b.get(key)).contains("first");
  }

  @Test
  void setGetAndDelete() {
    String key = name("key");
    assertThat(a.get(key)).isEmpty();
    a.set(key, "one", LONG);
    a.set(key, "two", LONG);
    assertThat(b.get(key)).contains("two");
    assertThat(b.delete(key)).isTrue();
    assertThat(a.get(key)).isEmpty();
    assertThat(a.delete(key)).isFalse();
  }

  @Test
  void keysExpireAfterTheirTtl() {
    String key = name("short");
    a.set(key, "value", SHORT);
    await().atMost(WAIT).until(() -> b.get(key).isEmpty());
    assertThat(b.delete(key)).isFalse();
  }

  @Test
  void setIfAbsentSucceedsAgainAfterExpiry() {
    String key = name("again");
    assertThat(a.setIfAbsent(key, "first", SHORT)).isTrue();
    await().atMost(WAIT).until(() -> b.setIfAbsent(key, "second", LONG));
    assertThat(a.get(key)).contains("second");
  }

  @Test
  void aLeaseHasOneHolder() {
    String lease = name("lease");
    Optional<Lease> held = a.tryLease(lease, LONG);
    assertThat(held).isPresent();
    assertThat(held.get().name()).isEqualTo(lease);
    assertThat(b.tryLease(lease, LONG)).isEmpty();
    assertThat(a.tryLease(lease, LONG)).isEmpty();
  }

  @Test
  void releaseLetsAnotherTakeTheLease() {
    String lease = name("release");
    Lease first = a.tryLease(lease, LONG).orElseThrow();
    first.release();
    first.release();
    Lease second = b.tryLease(lease, LONG).orElseThrow();
    // The first holder can no longer touch the lease now held by the second.
    first.release();
    assertThat(first.renew(LONG)).isFalse();
    assertThat(a.tryLease(lease, LONG)).isEmpty();
    assertThat(second.renew(LONG)).isTrue();
  }

  @Test
  void aLeaseNotRenewedIsLost() {
    String lease = name("lost");
    Lease first = a.tryLease(lease, SHORT).orElseThrow();
    await().atMost(WAIT).until(() -> b.tryLease(lease, LONG).isPresent());
    assertThat(first.renew(LONG)).isFalse();
    assertThat(a.tryLease(lease, LONG)).isEmpty();
  }

  @Test
  void renewKeepsTheLease() {
    String lease = name("renewed");
    Lease held = a.tryLease(lease, SHORT).orElseThrow();
    assertThat(held.renew(LONG)).isTrue();
    assertThat(b.tryLease(lease, LONG)).isEmpty();
    assertThat(held.renew(LONG)).isTrue();
  }

  @Test
  void publishedMessagesReachSubscribersOnOtherClients() {
    String channel = name("channel");
    List<String> received = new CopyOnWriteArrayList<>();
    b.subscribe(channel, received::add);
    a.publish(channel, "hello");
    await().atMost(WAIT).until(() -> received.contains("hello"));
  }

  @Test
  void aClosedSubscriptionReceivesNothingMore() {
    String channel = name("closing");
    List<String> closedOne = new CopyOnWriteArrayList<>();
    List<String> openOne = new CopyOnWriteArrayList<>();
    Subscription closing = b.subscribe(channel, closedOne::add);
    b.subscribe(channel, openOne::add);
    a.publish(channel, "first");
    await().atMost(WAIT).until(() -> closedOne.contains("first") && openOne.contains("first"));
    closing.close();
    closing.close();
    a.publish(channel, "second");
    // Listeners of a channel get each message in turn, so once the open one has the second, the closed one would too.
    await().atMost(WAIT).until(() -> openOne.contains("second"));
    assertThat(closedOne).containsExactly("first");
  }

  @Test
  void messagesStayOnTheirChannel() {
    String channel = name("mine");
    String other = name("other");
    List<String> mine = new CopyOnWriteArrayList<>();
    List<String> others = new CopyOnWriteArrayList<>();
    b.subscribe(channel, mine::add);
    b.subscribe(other, others::add);
    a.publish(channel, "one");
    a.publish(other, "two");
    await().atMost(WAIT).until(() -> mine.contains("one") && others.contains("two"));
    assertThat(mine).containsExactly("one");
    assertThat(others).containsExactly("two");
  }

  @Test
  void aFailingListenerDoesNotStopOthers() {
    String channel = name("failing");
    List<String> received = new CopyOnWriteArrayList<>();
    b.subscribe(
        channel,
        message -> {
          throw new IllegalStateException("listener failure on purpose");
        });
    b.subscribe(channel, received::add);
    a.publish(channel, "one");
    a.publish(channel, "two");
    await().atMost(WAIT).until(() -> received.size() == 2);
    assertThat(received).containsExactly("one", "two");
  }

  @Test
  void rateLimitsTakeTokensUntilTheBucketIsEmpty() {
    RateLimit limit = new RateLimit(3, Duration.ofHours(1));
    String bucket = name("bucket");
    assertThat(a.tryAcquire(bucket, limit)).isTrue();
    assertThat(a.tryAcquire(bucket, limit)).isTrue();
    assertThat(a.tryAcquire(bucket, limit)).isTrue();
    assertThat(a.tryAcquire(bucket, limit)).isFalse();
    assertThat(a.tryAcquire(name("another-bucket"), limit)).isTrue();
  }

  @Test
  void rateLimitsAreSharedBetweenClients() {
    RateLimit limit = new RateLimit(3, Duration.ofHours(1));
    String bucket = name("shared-bucket");
    assertThat(a.tryAcquire(bucket, limit)).isTrue();
    assertThat(a.tryAcquire(bucket, limit)).isTrue();
    assertThat(b.tryAcquire(bucket, limit)).isTrue();
    assertThat(a.tryAcquire(bucket, limit)).isFalse();
    assertThat(b.tryAcquire(bucket, limit)).isFalse();
  }

  @Test
  void rateLimitsRefillOverTime() {
    RateLimit limit = new RateLimit(1, SHORT);
    String bucket = name("refilling");
    assertThat(a.tryAcquire(bucket, limit)).isTrue();
    await().atMost(WAIT).until(() -> b.tryAcquire(bucket, limit));
  }

  @Test
  void pingAnswers() {
    a.ping();
    b.ping();
  }
}
