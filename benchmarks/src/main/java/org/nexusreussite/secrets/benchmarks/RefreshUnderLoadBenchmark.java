package org.nexusreussite.secrets.benchmarks;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.nexusreussite.secrets.SecretResolver;
import org.nexusreussite.secrets.testkit.InMemorySecretBackend;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Benchmark 4: refresh never blocks readers. The backend answers after 50 ms and the resolver refreshes
 * every 5 ms on its real default scheduler, so a refresh is always in flight; two reader threads sample
 * the latency of a hit. The baseline is the same hit on a resolver that is not refreshing.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@Threads(2)
public class RefreshUnderLoadBenchmark {
  static final Duration BACKEND_LATENCY = Duration.ofMillis(50);
  static final Duration REFRESH_INTERVAL = Duration.ofMillis(5);

  /** A resolver whose backend is slow and which refreshes all the time. */
  @State(Scope.Benchmark)
  public static class Refreshing {
    String key;
    InMemorySecretBackend backend;
    SecretResolver resolver;

    @Setup
    public void setUp() {
      key = new String(Fixtures.HOT_KEY.toCharArray());
      backend = Fixtures.backend(Fixtures.KEYS);
      resolver = Fixtures.resolver(backend, REFRESH_INTERVAL);
      Fixtures.warm(resolver, Fixtures.KEYS);
      backend.latency(BACKEND_LATENCY);
    }

    @Setup(Level.Iteration)
    public void resetCounters() {
      backend.resetCounters();
    }

    @TearDown(Level.Iteration)
    public void reportRefreshes() {
      // shows that refreshes really ran during the iteration (JMH prints a forked VM's output)
      System.out.println("backend requests during the iteration: " + backend.fetchAllCount() + " batch, "
          + backend.fetchCount() + " single; refreshes of the read key: " + backend.fetchCount(key));
    }

    @TearDown
    public void tearDown() {
      resolver.close();
    }
  }

  /** The same resolver and key, but nothing refreshes (5 minute interval). */
  @State(Scope.Benchmark)
  public static class Quiet {
    String key;
    SecretResolver resolver;

    @Setup
    public void setUp() {
      key = new String(Fixtures.HOT_KEY.toCharArray());
      resolver = Fixtures.resolver(Fixtures.backend(Fixtures.KEYS), Duration.ofMinutes(5));
      Fixtures.warm(resolver, Fixtures.KEYS);
    }

    @TearDown
    public void tearDown() {
      resolver.close();
    }
  }

  @Benchmark
  public String hitWhileRefreshing(Refreshing s) {
    return s.resolver.resolve(s.key);
  }

  @Benchmark
  public String hitWithoutRefresh(Quiet s) {
    return s.resolver.resolve(s.key);
  }
}
