package kefu.channel.wechat;

import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;

/**
 * A warning logged at most once a minute: what keeps failing during an outage (Redis, the database) is said once,
 * not for every message or every second. Thread-safe.
 */
final class ThrottledWarning {
  private static final long EVERY_NANOS = 60_000_000_000L;

  private final Logger log;
  private final AtomicLong last = new AtomicLong();

  ThrottledWarning(Logger log) {
    this.log = log;
  }

  void warn(String format, Object... args) {
    // Elapsed time, not a time of day: the monotonic timer, which no clock change moves.
    long now = System.nanoTime();
    long before = last.get();
    if ((before == 0 || now - before >= EVERY_NANOS) && last.compareAndSet(before, now)) {
      log.warn(format, args);
    }
  }
}
