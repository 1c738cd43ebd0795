package org.nexusreussite.secrets.spring;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;
import org.nexusreussite.secrets.SecretsException;
import org.nexusreussite.secrets.SecretsListener;

/**
 * Counts what the resolver reports, from its first lookup at start-up (before any meter registry exists), so
 * that the Micrometer binder can publish it later. Keyed by backend id and outcome only, never by key or
 * value, and bounded ({@link #MAX_SERIES}): a resolver has a handful of backends. Thread-safe, lock-free.
 */
final class SecretsMetricsRecorder implements SecretsListener {
  /** The bound on (backend, outcome) series and on failure series. */
  static final int MAX_SERIES = 64;

  /** Count and total time of one (backend, outcome) series. */
  static final class Timing {
    final LongAdder count = new LongAdder();
    final LongAdder nanos = new LongAdder();
  }

  private final Map<String, Timing> lookups = new ConcurrentHashMap<>();
  private final Map<String, Timing> refreshes = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> failures = new ConcurrentHashMap<>();
  private final LongAdder rotations = new LongAdder();

  @Override
  public void onLookup(String key, String backend, Outcome outcome, Duration elapsed) {
    Timing t = timing(backend, outcome);
    if (t != null) {
      t.count.increment();
      t.nanos.add(elapsed.toNanos());
    }
  }

  @Override
  public void onRefresh(String backend, int keys, boolean succeeded, Duration elapsed) {
    Timing t = refreshTiming(backend, succeeded);
    if (t != null) {
      t.count.increment();
      t.nanos.add(elapsed.toNanos());
    }
  }

  @Override
  public void onBackendFailure(String backend, SecretsException error) {
    LongAdder a = failures(backend);
    if (a != null) {
      a.increment();
    }
  }

  void rotated() {
    rotations.increment();
  }

  /** The series of (backend, outcome), created on first use while under the bound; else null. */
  @Nullable Timing timing(String backend, Outcome outcome) {
    return series(lookups, backend + '\u0000' + outcome.name());
  }

  /** The series of refresh batches of (backend, succeeded), created on first use while under the bound. */
  @Nullable Timing refreshTiming(String backend, boolean succeeded) {
    return series(refreshes, backend + '\u0000' + succeeded);
  }

  private static @Nullable Timing series(Map<String, Timing> all, String id) {
    Timing t = all.get(id);
    if (t == null && all.size() < MAX_SERIES) {
      t = all.computeIfAbsent(id, k -> new Timing());
    }
    return t;
  }

  @Nullable LongAdder failures(String backend) {
    LongAdder a = failures.get(backend);
    if (a == null && failures.size() < MAX_SERIES) {
      a = failures.computeIfAbsent(backend, k -> new LongAdder());
    }
    return a;
  }

  long rotations() {
    return rotations.sum();
  }
}
