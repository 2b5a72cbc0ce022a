package kefu.channel.wechat;

import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;

/**
 * A warning logged at most once a minute: what keeps failing during an outage (Redis, the database) is said once,
 * not for every message or every second. Thread-safe.
 */
final class ThrottledWarning {
  private static final long EVERY_MILLIS = 60_000;

  private final Logger log;
  private final AtomicLong last = new AtomicLong();

  ThrottledWarning(Logger log) {
    this.log = log;
  }

  void warn(String format, Object... args) {
    long now = System.currentTimeMillis();
    long before = last.get();
    if (now - before >= EVERY_MILLIS && last.compareAndSet(before, now)) {
      log.warn(format, args);
    }
  }
}
