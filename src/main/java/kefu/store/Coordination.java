package kefu.store;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * What several kefu nodes must share: short-lived keys, leases, messages between nodes and rate limits.
 *
 * <p>Two implementations keep the same contract: {@link InProcessCoordination} for a single node and
 * {@link RedisCoordination} for several. Calls may block on the network, so call them from worker threads,
 * never from an event loop. A store that cannot be reached throws {@link CoordinationException}.
 */
public interface Coordination extends AutoCloseable {

  /** Sets {@code key} to {@code value} for {@code ttl} unless it is already set; true if this call set it. */
  boolean setIfAbsent(String key, String value, Duration ttl);

  /** Sets {@code key} to {@code value} for {@code ttl}, replacing any earlier value. */
  void set(String key, String value, Duration ttl);

  /** The value of {@code key}, if it is set and has not expired. */
  Optional<String> get(String key);

  /** How long {@code key} has left, if it is set. */
  Optional<Duration> ttl(String key);

  /** Removes {@code key}; true if it was set. */
  boolean delete(String key);

  /**
   * Takes the lease {@code name} for {@code ttl} if nobody holds it. The holder keeps it by renewing it
   * before the ttl runs out; a lease not renewed in time is lost and may be taken by another node.
   */
  Optional<Lease> tryLease(String name, Duration ttl);

  /** Sends {@code message} to every current subscriber of {@code channel}, on every node. */
  void publish(String channel, String message);

  /**
   * Calls {@code listener} with each message published on {@code channel} from now on, on a thread of the
   * coordination layer. Listeners must not block: hand the work to Vert.x.
   */
  Subscription subscribe(String channel, Consumer<String> listener);

  /** Takes one token from the bucket {@code name} shaped by {@code limit}; false if the bucket is empty. */
  boolean tryAcquire(String name, RateLimit limit);

  /** Checks that the store answers; throws {@link CoordinationException} if it does not. */
  void ping();

  @Override
  void close();
}
