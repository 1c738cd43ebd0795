package org.nexusreussite.secrets.spi.support;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Randomized delays, so a fleet of processes started together does not retry, renew or refresh together.
 * One formula for each use, shared by the resolver and the backends. Thread-safe.
 */
public final class Jitter {
  private Jitter() {}

  /**
   * A retry's wait: "equal jitter", a random duration between half of {@code base} and {@code base}
   * (inclusive), so waits still grow with {@code base} but spread out.
   *
   * @throws IllegalArgumentException when {@code base} is negative
   */
  public static Duration backoff(Duration base) {
    long millis = requireNotNegative(base, "base").toMillis();
    return Duration.ofMillis(millis / 2 + ThreadLocalRandom.current().nextLong(millis / 2 + 1));
  }

  /**
   * A scheduled time brought forward by a random part of {@code spread} (renewals, refreshes): never later
   * than {@code delay}, never earlier than {@code delay - spread}, never below 1 ms.
   *
   * @throws IllegalArgumentException when either duration is negative
   */
  public static Duration earlier(Duration delay, Duration spread) {
    long nanos = requireNotNegative(delay, "delay").toNanos();
    long by = (long) (requireNotNegative(spread, "spread").toNanos() * ThreadLocalRandom.current().nextDouble());
    return Duration.ofNanos(Math.max(1_000_000L, nanos - by));
  }

  /** {@code earlier(delay, delay * fraction)}: the refresh rule, e.g. {@code fraction} 0.1 spreads by 10%. */
  public static Duration earlier(Duration delay, double fraction) {
    if (!(fraction >= 0 && fraction <= 1)) {
      throw new IllegalArgumentException("fraction must be between 0 and 1");
    }
    return earlier(delay, Duration.ofNanos((long) (requireNotNegative(delay, "delay").toNanos() * fraction)));
  }

  private static Duration requireNotNegative(Duration d, String name) {
    if (d == null || d.isNegative()) {
      throw new IllegalArgumentException(name + " must be a duration that is not negative");
    }
    return d;
  }
}
