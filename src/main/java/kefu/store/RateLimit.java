package kefu.store;

import java.time.Duration;
import java.util.Objects;

/**
 * The shape of a token bucket for {@link Coordination#tryAcquire}: at most {@code capacity} tokens, refilled
 * continuously at {@code capacity} tokens per {@code refillPeriod}. A bucket not used before starts full.
 */
public record RateLimit(int capacity, Duration refillPeriod) {

  public RateLimit {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1: " + capacity);
    }
    Objects.requireNonNull(refillPeriod, "refillPeriod");
    if (refillPeriod.isNegative() || refillPeriod.isZero()) {
      throw new IllegalArgumentException("refillPeriod must be positive: " + refillPeriod);
    }
  }
}
