package kefu.store;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Coordination for a single node, kept in memory.
 *
 * <p>Keys, leases and rate-limit buckets live in Caffeine caches whose entries carry their own deadline, so expiry
 * follows the given ticker and an entry left unchanged by an atomic compare keeps its deadline. Messages are
 * delivered asynchronously, as Redis does, on one daemon thread in publish order.
 */
public final class InProcessCoordination implements Coordination {
  private static final Logger log = LoggerFactory.getLogger(InProcessCoordination.class);

  private final Ticker ticker;
  private final Cache<String, Entry> keys;
  private final Cache<String, Entry> leases;
  private final Cache<String, Bucket> buckets;
  private final Map<String, List<Listener>> listeners = new ConcurrentHashMap<>();
  private final ExecutorService delivery =
      Executors.newSingleThreadExecutor(
          task -> {
            Thread thread = new Thread(task, "kefu-coordination-pubsub");
            thread.setDaemon(true);
            return thread;
          });

  public InProcessCoordination() {
    this(Ticker.systemTicker());
  }

  /** Uses {@code ticker} for expiry and refills, so tests can move time themselves. */
  public InProcessCoordination(Ticker ticker) {
    this.ticker = Objects.requireNonNull(ticker, "ticker");
    this.keys = newCache();
    this.leases = newCache();
    this.buckets = newCache();
  }

  @Override
  public boolean setIfAbsent(String key, String value, Duration ttl) {
    return keys.asMap().putIfAbsent(key, new Entry(value, deadline(ttl))) == null;
  }

  @Override
  public void set(String key, String value, Duration ttl) {
    keys.put(key, new Entry(value, deadline(ttl)));
  }

  @Override
  public Optional<String> get(String key) {
    return Optional.ofNullable(keys.getIfPresent(key)).map(Entry::value);
  }

  @Override
  public Optional<Duration> ttl(String key) {
    return Optional.ofNullable(keys.getIfPresent(key)).map(e -> Duration.ofNanos(Math.max(0, e.deadline() - ticker.read())));
  }

  @Override
  public boolean delete(String key) {
    return keys.asMap().remove(key) != null;
  }

  @Override
  public Optional<Lease> tryLease(String name, Duration ttl) {
    String token = UUID.randomUUID().toString();
    boolean taken = leases.asMap().putIfAbsent(name, new Entry(token, deadline(ttl))) == null;
    return taken ? Optional.of(new LocalLease(name, token)) : Optional.empty();
  }

  @Override
  public void publish(String channel, String message) {
    // The subscribers are those present now, as with Redis, even if delivery happens later.
    List<Listener> current = List.copyOf(listeners.getOrDefault(channel, List.of()));
    try {
      delivery.execute(() -> current.forEach(listener -> listener.deliver(message)));
    } catch (RejectedExecutionException e) {
      throw new IllegalStateException("coordination is closed", e);
    }
  }

  @Override
  public Subscription subscribe(String channel, Consumer<String> listener) {
    Listener registered = new Listener(Objects.requireNonNull(listener, "listener"));
    // Added inside compute, so a concurrent close cannot drop the list this listener joins.
    listeners.compute(
        channel,
        (c, list) -> {
          List<Listener> joined = list == null ? new CopyOnWriteArrayList<>() : list;
          joined.add(registered);
          return joined;
        });
    return () -> {
      registered.deactivate();
      listeners.computeIfPresent(
          channel,
          (c, list) -> {
            list.remove(registered);
            return list.isEmpty() ? null : list;
          });
    };
  }

  @Override
  public boolean tryAcquire(String name, RateLimit limit) {
    boolean[] taken = {false};
    buckets
        .asMap()
        .compute(
            name,
            (n, bucket) -> {
              long now = ticker.read();
              double capacity = limit.capacity();
              double period = limit.refillPeriod().toNanos();
              // A bucket that expired had refilled completely, so a missing one is full.
              double tokens =
                  bucket == null ? capacity : Math.min(capacity, bucket.tokens() + (now - bucket.at()) * capacity / period);
              taken[0] = tokens >= 1;
              double left = taken[0] ? tokens - 1 : tokens;
              return new Bucket(left, now, now + (long) Math.ceil((capacity - left) * period / capacity));
            });
    return taken[0];
  }

  @Override
  public void ping() {}

  @Override
  public void close() {
    delivery.shutdownNow();
  }

  private long deadline(Duration ttl) {
    if (ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException("ttl must be positive: " + ttl);
    }
    return ticker.read() + ttl.toNanos();
  }

  private <V extends Expiring> Cache<String, V> newCache() {
    return Caffeine.newBuilder()
        .ticker(ticker)
        .expireAfter(
            new Expiry<String, V>() {
              @Override
              public long expireAfterCreate(String key, V value, long currentTime) {
                return value.deadline() - currentTime;
              }

              @Override
              public long expireAfterUpdate(String key, V value, long currentTime, long currentDuration) {
                return value.deadline() - currentTime;
              }

              @Override
              public long expireAfterRead(String key, V value, long currentTime, long currentDuration) {
                return currentDuration;
              }
            })
        .build();
  }

  private interface Expiring {
    /** When the entry expires, in nanoseconds of the ticker. */
    long deadline();
  }

  private record Entry(String value, long deadline) implements Expiring {}

  /** A token bucket holding {@code tokens} at time {@code at}; it is full again at its deadline. */
  private record Bucket(double tokens, long at, long deadline) implements Expiring {}

  private final class LocalLease implements Lease {
    private final String name;
    private final String token;

    LocalLease(String name, String token) {
      this.name = name;
      this.token = token;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public boolean renew(Duration ttl) {
      long deadline = deadline(ttl);
      Entry renewed = new Entry(token, deadline);
      // Another holder's entry is returned unchanged, and with it its own deadline.
      Entry result = leases.asMap().computeIfPresent(name, (n, entry) -> entry.value().equals(token) ? renewed : entry);
      return result == renewed;
    }

    @Override
    public void release() {
      leases.asMap().computeIfPresent(name, (n, entry) -> entry.value().equals(token) ? null : entry);
    }
  }
}
