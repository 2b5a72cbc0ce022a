package kefu;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A clock the test moves on: the wall time plus however far {@link #advance} has moved it, so that a test reaches a
 * deadline (a long wait, a quiet chat, an idle dialogue) by saying so rather than by rewriting stored times, while
 * retries and timers still see time pass.
 */
public final class TestClock extends Clock {
  private final AtomicReference<Duration> ahead;
  private final ZoneId zone;

  private TestClock(AtomicReference<Duration> ahead, ZoneId zone) {
    this.ahead = ahead;
    this.zone = zone;
  }

  /** The wall time, in the business's zone of the test configurations. */
  public static TestClock wall() {
    return new TestClock(new AtomicReference<>(Duration.ZERO), ZoneId.of("Asia/Shanghai"));
  }

  /** Moves the time on by {@code by}; every node and component sharing this clock sees it at once. */
  public void advance(Duration by) {
    ahead.updateAndGet(d -> d.plus(by));
  }

  /**
   * Moves the time on to just past the next midnight in this clock's zone when less than {@code span} is left of the
   * day, so that a test counting what happened "today" does not see its day end half way through.
   */
  public void keepOneDayFor(Duration span) {
    ZonedDateTime now = instant().atZone(zone);
    ZonedDateTime midnight = now.toLocalDate().plusDays(1).atStartOfDay(zone);
    if (now.plus(span).isAfter(midnight)) {
      advance(Duration.between(now, midnight).plusMinutes(1));
    }
  }

  /**
   * Moves the time on to {@code time} today in this clock's zone if it is earlier, so that a test running the day's
   * steps or greetings at a fixed hour (10:30) runs them in the past, as at any hour after it, and the outbox sends them
   * at once rather than at that hour. Returns how far it moved the time.
   */
  public Duration notBefore(LocalTime time) {
    ZonedDateTime now = instant().atZone(zone);
    ZonedDateTime then = now.toLocalDate().atTime(time).atZone(zone);
    Duration by = now.isBefore(then) ? Duration.between(now, then) : Duration.ZERO;
    advance(by);
    return by;
  }

  @Override
  public Instant instant() {
    return Instant.now().plus(ahead.get());
  }

  @Override
  public ZoneId getZone() {
    return zone;
  }

  /** The same time in another zone; advancing either moves both. */
  @Override
  public Clock withZone(ZoneId other) {
    return new TestClock(ahead, other);
  }
}
