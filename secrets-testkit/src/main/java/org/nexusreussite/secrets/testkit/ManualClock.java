package org.nexusreussite.secrets.testkit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A clock that moves only when told to. Thread-safe. Pair it with {@link ManualScheduler} so advancing
 * time runs the refreshes that fall due.
 */
public final class ManualClock extends Clock {

  private final AtomicReference<Instant> now;
  private final ZoneId zone;

  /** A clock at {@code 2026-01-01T00:00:00Z}. */
  public ManualClock() {
    this(Instant.parse("2026-01-01T00:00:00Z"));
  }

  /** A clock at {@code start}. */
  public ManualClock(Instant start) {
    this(new AtomicReference<>(Objects.requireNonNull(start, "start")), ZoneOffset.UTC);
  }

  private ManualClock(AtomicReference<Instant> now, ZoneId zone) {
    this.now = now;
    this.zone = zone;
  }

  /** Moves the clock forward by {@code amount} (not negative). */
  public void advance(Duration amount) {
    if (amount.isNegative()) {
      throw new IllegalArgumentException("a clock does not go back: " + amount);
    }
    now.updateAndGet(t -> t.plus(amount));
  }

  /** Sets the clock to {@code instant}, which may not be earlier than now. */
  public void set(Instant instant) {
    now.updateAndGet(t -> {
      if (instant.isBefore(t)) {
        throw new IllegalArgumentException("a clock does not go back: " + instant + " < " + t);
      }
      return instant;
    });
  }

  @Override
  public Instant instant() {
    return java.util.Objects.requireNonNull(now.get(), "now");
  }

  @Override
  public ZoneId getZone() {
    return zone;
  }

  @Override
  public Clock withZone(ZoneId newZone) {
    return new ManualClock(now, newZone);
  }

  @Override
  public String toString() {
    return "ManualClock[" + now.get() + "]";
  }
}
