package kefu.store;

import java.net.SocketTimeoutException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Connection;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.RedisProtocol;
import redis.clients.jedis.SslOptions;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.params.SetParams;
import redis.clients.jedis.util.JedisURIHelper;

/**
 * Coordination shared by several nodes through one Redis server.
 *
 * <p>Every key and channel starts with the key prefix, so several deployments can share a server; after it come
 * {@code key:}, {@code lease:} or {@code rate:} and the caller's name, so the three kinds never collide. Commands go
 * through a connection pool; one that fails because its connection broke is retried once on a fresh connection.
 * Messages arrive on one daemon thread holding its own connection, which reconnects and subscribes again after an
 * outage.
 */
public final class RedisCoordination implements Coordination {
  private static final Logger log = LoggerFactory.getLogger(RedisCoordination.class);
  private static final int DEFAULT_PORT = 6379;
  private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);
  private static final long FIRST_BACKOFF_MILLIS = 100;
  private static final long MAX_BACKOFF_MILLIS = 5_000;

  private static final String RENEW =
      "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end return 0";
  private static final String RELEASE =
      "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0";
  // Redis's own clock keeps every node on one time line; the hash expires once the bucket would be full again.
  private static final String TAKE_TOKEN =
      """
      local capacity = tonumber(ARGV[1])
      local period = tonumber(ARGV[2])
      local time = redis.call('TIME')
      local now = tonumber(time[1]) * 1000000 + tonumber(time[2])
      local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
      local tokens = capacity
      if state[1] then
        tokens = math.min(capacity, tonumber(state[1]) + (now - tonumber(state[2])) * capacity / period)
      end
      local taken = 0
      if tokens >= 1 then
        tokens = tokens - 1
        taken = 1
      end
      redis.call('HSET', KEYS[1], 'tokens', string.format('%.17g', tokens), 'at', string.format('%.0f', now))
      redis.call('PEXPIRE', KEYS[1], math.max(1, math.ceil((capacity - tokens) * period / capacity / 1000)))
      return taken
      """;

  private final String prefix;
  private final HostAndPort address;
  private final JedisClientConfig config;
  private final RedisClient client;
  private final Thread subscriber;
  private final CountDownLatch closing = new CountDownLatch(1);
  private final Map<String, List<Listener>> listeners = new ConcurrentHashMap<>();

  // Guards the subscriber connection's state below, shared by callers and the subscriber thread.
  private final Object lock = new Object();
  private volatile boolean closed;
  private Connection connection;
  private Handler handler;
  private boolean live;
  private final Set<String> requested = new HashSet<>();
  private final Set<String> confirmed = new HashSet<>();
  private boolean outage;

  /** Connects to {@code redisUri} as client "kefu", with 2-second timeouts. */
  public RedisCoordination(URI redisUri, String keyPrefix) {
    this(redisUri, keyPrefix, "kefu", DEFAULT_TIMEOUT);
  }

  /**
   * Connects to {@code redisUri}, {@code redis[s]://[[user]:password@]host[:port][/database]}, naming each connection
   * {@code clientName}; {@code timeout} bounds connecting, each reply, waiting for a pooled connection and confirming
   * a subscription.
   */
  public RedisCoordination(URI redisUri, String keyPrefix, String clientName, Duration timeout) {
    boolean redisScheme = JedisURIHelper.isRedisScheme(redisUri) || JedisURIHelper.isRedisSSLScheme(redisUri);
    if (!redisScheme || redisUri.getHost() == null) {
      throw new IllegalArgumentException("not a redis:// or rediss:// URI with a host");
    }
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive: " + timeout);
    }
    this.prefix = Objects.requireNonNull(keyPrefix, "keyPrefix");
    // Jedis's own URI check insists on a port; Redis's default is meant when there is none.
    int port = redisUri.getPort() == -1 ? DEFAULT_PORT : redisUri.getPort();
    this.address = new HostAndPort(redisUri.getHost(), port);
    this.config = clientConfig(redisUri, clientName, timeout);
    ConnectionPoolConfig pool = new ConnectionPoolConfig();
    // Without a limit a caller would wait for ever when every pooled connection is busy.
    pool.setMaxWait(timeout);
    this.client = RedisClient.builder().hostAndPort(address).clientConfig(config).poolConfig(pool).build();
    this.subscriber = new Thread(this::receive, "kefu-redis-subscriber");
    subscriber.setDaemon(true);
    subscriber.start();
  }

  private static JedisClientConfig clientConfig(URI uri, String clientName, Duration timeout) {
    int millis = Math.toIntExact(timeout.toMillis());
    DefaultJedisClientConfig.Builder builder =
        DefaultJedisClientConfig.builder()
            .clientName(clientName)
            .connectionTimeoutMillis(millis)
            .socketTimeoutMillis(millis)
            .user(JedisURIHelper.getUser(uri))
            .password(JedisURIHelper.getPassword(uri));
    if (JedisURIHelper.isRedisSSLScheme(uri)) {
      // The JDK's trust store, with the host name checked against the certificate.
      builder.sslOptions(SslOptions.defaults());
    }
    if (JedisURIHelper.hasDbIndex(uri)) {
      builder.database(JedisURIHelper.getDBIndex(uri));
    }
    RedisProtocol protocol = JedisURIHelper.getRedisProtocol(uri);
    if (protocol != null) {
      builder.protocol(protocol);
    }
    return builder.build();
  }

  @Override
  public boolean setIfAbsent(String key, String value, Duration ttl) {
    SetParams params = SetParams.setParams().nx().px(millis(ttl));
    return call(redis -> redis.set(prefix + "key:" + key, value, params)) != null;
  }

  @Override
  public void set(String key, String value, Duration ttl) {
    SetParams params = SetParams.setParams().px(millis(ttl));
    call(redis -> redis.set(prefix + "key:" + key, value, params));
  }

  @Override
  public Optional<String> get(String key) {
    return Optional.ofNullable(call(redis -> redis.get(prefix + "key:" + key)));
  }

  @Override
  public Optional<Duration> ttl(String key) {
    long millis = call(redis -> redis.pttl(prefix + "key:" + key));
    // PTTL answers -2 for a missing key; kefu's keys always have a ttl, so -1 does not occur.
    return millis < 0 ? Optional.empty() : Optional.of(Duration.ofMillis(millis));
  }

  @Override
  public boolean delete(String key) {
    return call(redis -> redis.del(prefix + "key:" + key)) > 0;
  }

  @Override
  public Optional<Lease> tryLease(String name, Duration ttl) {
    String key = prefix + "lease:" + name;
    String token = UUID.randomUUID().toString();
    SetParams params = SetParams.setParams().nx().px(millis(ttl));
    boolean taken = call(redis -> redis.set(key, token, params)) != null;
    return taken ? Optional.of(new RedisLease(name, key, token)) : Optional.empty();
  }

  @Override
  public void publish(String channel, String message) {
    call(redis -> redis.publish(prefix + channel, message));
  }

  @Override
  public boolean tryAcquire(String name, RateLimit limit) {
    long periodMicros = Math.max(1, TimeUnit.MICROSECONDS.convert(limit.refillPeriod()));
    List<String> args = List.of(Integer.toString(limit.capacity()), Long.toString(periodMicros));
    Object taken = call(redis -> redis.eval(TAKE_TOKEN, List.of(prefix + "rate:" + name), args));
    return Long.valueOf(1).equals(taken);
  }

  @Override
  public void ping() {
    call(RedisClient::ping);
  }

  /**
   * Registers {@code listener} and returns once Redis has confirmed the subscription, so that every message
   * published afterwards reaches it; throws {@link CoordinationException} if that takes longer than the timeout.
   */
  @Override
  public Subscription subscribe(String channel, Consumer<String> listener) {
    String fullChannel = prefix + channel;
    Listener registered = new Listener(Objects.requireNonNull(listener, "listener"));
    synchronized (lock) {
      if (closed) {
        throw new IllegalStateException("coordination is closed");
      }
      listeners.computeIfAbsent(fullChannel, c -> new CopyOnWriteArrayList<>()).add(registered);
      reconcile();
      lock.notifyAll();
      boolean confirmedInTime;
      try {
        confirmedInTime = awaitConfirmed(fullChannel);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        unsubscribe(fullChannel, registered);
        throw new CoordinationException("interrupted while subscribing", e);
      }
      if (!confirmedInTime) {
        unsubscribe(fullChannel, registered);
        throw new CoordinationException("Redis did not confirm the subscription in time", null);
      }
    }
    return () -> unsubscribe(fullChannel, registered);
  }

  /** Waits, called holding the lock, until Redis confirms {@code fullChannel} or the timeout passes. */
  private boolean awaitConfirmed(String fullChannel) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(config.getSocketTimeoutMillis());
    while (!confirmed.contains(fullChannel)) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      TimeUnit.NANOSECONDS.timedWait(lock, left);
    }
    return true;
  }

  @Override
  public void close() {
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      closing.countDown();
      lock.notifyAll();
      if (connection != null) {
        // Closing the socket ends the subscriber's blocking read at once.
        connection.close();
      }
    }
    try {
      subscriber.join(MAX_BACKOFF_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    client.close();
  }

  private <T> T call(Function<RedisClient, T> command) {
    if (closed) {
      throw new IllegalStateException("coordination is closed");
    }
    try {
      try {
        return command.apply(client);
      } catch (JedisConnectionException first) {
        if (first.getCause() instanceof SocketTimeoutException) {
          // Redis may have run the command and only the reply was late: running it again could take a
          // second token or turn a successful setIfAbsent into a false "already set".
          throw first;
        }
        // The connection was closed under us, so the command never ran. The idle connections most likely
        // broke along with this one: drop them so the retry opens a fresh one.
        client.getPool().clear();
        return command.apply(client);
      }
    } catch (JedisException e) {
      throw new CoordinationException("Redis command failed: " + e.getMessage(), e);
    }
  }

  private static long millis(Duration ttl) {
    if (ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException("ttl must be positive: " + ttl);
    }
    // PX takes whole milliseconds; rounding up keeps a sub-millisecond ttl valid.
    return ttl.plusNanos(999_999).toMillis();
  }

  private void unsubscribe(String fullChannel, Listener registered) {
    registered.deactivate();
    synchronized (lock) {
      listeners.computeIfPresent(
          fullChannel,
          (c, list) -> {
            list.remove(registered);
            return list.isEmpty() ? null : list;
          });
      reconcile();
    }
  }

  /** Brings the live subscriber connection's channels in line with the listeners; called holding the lock. */
  private void reconcile() {
    if (!live) {
      // The subscriber thread subscribes to every wanted channel when it connects.
      return;
    }
    List<String> subscribe = new ArrayList<>();
    for (String channel : listeners.keySet()) {
      if (requested.add(channel)) {
        confirmed.remove(channel);
        subscribe.add(channel);
      }
    }
    List<String> unsubscribe = new ArrayList<>();
    for (String channel : List.copyOf(requested)) {
      if (!listeners.containsKey(channel)) {
        requested.remove(channel);
        unsubscribe.add(channel);
      }
    }
    try {
      if (!subscribe.isEmpty()) {
        handler.subscribe(subscribe.toArray(String[]::new));
      }
      if (!unsubscribe.isEmpty()) {
        handler.unsubscribe(unsubscribe.toArray(String[]::new));
      }
    } catch (JedisException e) {
      // The subscriber thread sees the broken connection too, and subscribes again once reconnected.
      log.debug("Could not change subscriptions: {}", e.toString());
    }
  }

  /** The subscriber thread: holds a connection subscribed to every channel with listeners, until closed. */
  private void receive() {
    long backoff = FIRST_BACKOFF_MILLIS;
    while (true) {
      List<String> channels;
      synchronized (lock) {
        while (!closed && listeners.isEmpty()) {
          try {
            lock.wait();
          } catch (InterruptedException e) {
            return;
          }
        }
        if (closed) {
          return;
        }
        channels = List.copyOf(listeners.keySet());
      }
      Handler current = new Handler();
      boolean failed = false;
      try (Connection opened = new Connection(address, config)) {
        synchronized (lock) {
          if (closed) {
            return;
          }
          connection = opened;
          handler = current;
          requested.addAll(channels);
        }
        // Returns once every channel is unsubscribed; the loop then waits for the next subscription.
        current.proceed(opened, channels.toArray(String[]::new));
      } catch (RuntimeException e) {
        failed = true;
        synchronized (lock) {
          if (closed) {
            return;
          }
          if (!outage) {
            outage = true;
            log.warn("Lost the Redis subscriber connection, reconnecting: {}", e.toString());
          }
        }
      } finally {
        synchronized (lock) {
          connection = null;
          handler = null;
          live = false;
          requested.clear();
          confirmed.clear();
        }
      }
      if (failed) {
        if (current.confirmedOnce) {
          backoff = FIRST_BACKOFF_MILLIS;
        }
        try {
          if (closing.await(backoff, TimeUnit.MILLISECONDS)) {
            return;
          }
        } catch (InterruptedException e) {
          return;
        }
        backoff = Math.min(backoff * 2, MAX_BACKOFF_MILLIS);
      }
    }
  }

  private void deliver(String fullChannel, String message) {
    for (Listener listener : listeners.getOrDefault(fullChannel, List.of())) {
      listener.deliver(message);
    }
  }

  /** Receives the subscriber connection's replies and messages, on the subscriber thread. */
  private final class Handler extends JedisPubSub {
    private boolean confirmedOnce;

    @Override
    public void onMessage(String channel, String message) {
      deliver(channel, message);
    }

    @Override
    public void onSubscribe(String channel, int subscribedChannels) {
      confirmedOnce = true;
      synchronized (lock) {
        if (outage) {
          outage = false;
          log.info("Redis subscriber connection recovered");
        }
        live = true;
        confirmed.add(channel);
        reconcile();
        lock.notifyAll();
      }
    }

    @Override
    public void onUnsubscribe(String channel, int subscribedChannels) {
      synchronized (lock) {
        confirmed.remove(channel);
        // At zero channels Jedis stops reading, so the connection can no longer take new subscriptions.
        live = subscribedChannels > 0;
        reconcile();
        lock.notifyAll();
      }
    }
  }

  private final class RedisLease implements Lease {
    private final String name;
    private final String key;
    private final String token;

    RedisLease(String name, String key, String token) {
      this.name = name;
      this.key = key;
      this.token = token;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public boolean renew(Duration ttl) {
      List<String> args = List.of(token, Long.toString(millis(ttl)));
      return Long.valueOf(1).equals(call(redis -> redis.eval(RENEW, List.of(key), args)));
    }

    @Override
    public void release() {
      call(redis -> redis.eval(RELEASE, List.of(key), List.of(token)));
    }
  }
}
