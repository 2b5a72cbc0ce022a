package kefu.channel.wechat;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;
import kefu.store.Coordination;
import kefu.store.Lease;
import me.chanjar.weixin.common.redis.WxRedisOps;

/**
 * WxJava's store for the access token, over kefu's coordination layer: Redis when several nodes run, memory on
 * one. Written because WxJava's own {@code JedisWxRedisOps} is built for Jedis 3 and breaks on current Jedis.
 */
final class CoordinationRedisOps implements WxRedisOps {
  /** Longer than a token request takes; a node that dies holding the lock frees it after this. */
  private static final Duration LOCK_TTL = Duration.ofSeconds(10);
  private static final long POLL_MILLIS = 50;

  private final Coordination coordination;

  CoordinationRedisOps(Coordination coordination) {
    this.coordination = coordination;
  }

  @Override
  public String getValue(String key) {
    return coordination.get(key).orElse(null);
  }

  @Override
  public void setValue(String key, String value, int expire, TimeUnit timeUnit) {
    coordination.set(key, value, Duration.ofMillis(timeUnit.toMillis(expire)));
  }

  /** Seconds left, or -2 (as Redis answers) for a key that is not set. */
  @Override
  public Long getExpire(String key) {
    return coordination.ttl(key).map(Duration::toSeconds).orElse(-2L);
  }

  @Override
  public void expire(String key, int expire, TimeUnit timeUnit) {
    if (expire <= 0) {
      coordination.delete(key);
      return;
    }
    coordination.get(key).ifPresent(value -> coordination.set(key, value, Duration.ofMillis(timeUnit.toMillis(expire))));
  }

  @Override
  public Lock getLock(String key) {
    return new LeaseLock(key);
  }

  /**
   * A lock held as a lease, so only one node at a time asks WeChat for a new token (each request invalidates the
   * last token after a grace period). Waiting polls: the lease store has no wake-up.
   */
  private final class LeaseLock implements Lock {
    private final String name;
    private volatile Lease held;

    LeaseLock(String name) {
      this.name = name;
    }

    @Override
    public void lock() {
      while (!tryLock()) {
        pause();
      }
    }

    @Override
    public void lockInterruptibly() throws InterruptedException {
      while (!tryLock()) {
        Thread.sleep(POLL_MILLIS);
      }
    }

    @Override
    public boolean tryLock() {
      Optional<Lease> lease = coordination.tryLease(name, LOCK_TTL);
      lease.ifPresent(l -> held = l);
      return lease.isPresent();
    }

    @Override
    public boolean tryLock(long time, TimeUnit unit) throws InterruptedException {
      long deadline = System.nanoTime() + unit.toNanos(time);
      while (!tryLock()) {
        if (System.nanoTime() >= deadline) {
          return false;
        }
        Thread.sleep(Math.min(POLL_MILLIS, Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()))));
      }
      return true;
    }

    @Override
    public void unlock() {
      Lease lease = held;
      held = null;
      if (lease != null) {
        lease.release();
      }
    }

    @Override
    public Condition newCondition() {
      throw new UnsupportedOperationException("a lease lock has no conditions");
    }

    private void pause() {
      try {
        Thread.sleep(POLL_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for " + name, e);
      }
    }
  }
}
