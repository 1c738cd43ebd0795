package org.nexusreussite.secrets.benchmarks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.nexusreussite.secrets.SecretResolver;
import org.nexusreussite.secrets.testkit.InMemorySecretBackend;

/**
 * Benchmark 3, single flight: counts backend requests rather than timing them, so it is a plain
 * harness. Run with {@code java -cp benchmarks.jar org.nexusreussite.secrets.benchmarks.SingleFlightCheck}.
 *
 * <ul>
 *   <li>64 threads released together on one cold key, many rounds, each round on a fresh resolver:
 *       backend calls per round (target exactly 1).</li>
 *   <li>1000 keys in one backend (a Vault path: one {@code fetchAll} is one read of the path), the
 *       resolver refreshing them on its real scheduler: backend requests per refresh round (target 1),
 *       both for the scheduled refresh and for {@code SecretResolver.refresh()}.</li>
 * </ul>
 * Exits with status 1 when a target is missed.
 */
public final class SingleFlightCheck {
  private static final int THREADS = 64;
  private static final int ROUNDS = 200;
  private static final int PATH_KEYS = 1000;

  private SingleFlightCheck() {}

  public static void main(String[] args) throws Exception {
    boolean ok = coldKey(Duration.ZERO);
    ok &= coldKey(Duration.ofMillis(20));
    ok &= scheduledRefresh();
    ok &= forcedRefresh();
    System.out.println(ok ? "ALL TARGETS MET" : "TARGET MISSED");
    System.exit(ok ? 0 : 1);
  }

  private static boolean coldKey(Duration latency) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    long min = Long.MAX_VALUE;
    long max = 0;
    long total = 0;
    try {
      for (int round = 0; round < ROUNDS; round++) {
        InMemorySecretBackend backend = Fixtures.backend(1);
        backend.latency(latency);
        try (SecretResolver resolver = Fixtures.resolver(backend, Duration.ofMinutes(5))) {
          CyclicBarrier start = new CyclicBarrier(THREADS);
          List<Future<String>> reads = new ArrayList<>();
          for (int t = 0; t < THREADS; t++) {
            reads.add(pool.submit(() -> {
              start.await();
              return resolver.resolve(Fixtures.key(0));
            }));
          }
          for (Future<String> read : reads) {
            if (!Fixtures.value(0).equals(read.get(10, TimeUnit.SECONDS))) {
              throw new IllegalStateException("a reader got the wrong value");
            }
          }
          long calls = backend.fetchCount() + backend.fetchAllCount();
          min = Math.min(min, calls);
          max = Math.max(max, calls);
          total += calls;
        }
      }
    } finally {
      pool.shutdownNow();
    }
    boolean met = min == 1 && max == 1;
    System.out.printf("cold key, %d threads, backend latency %d ms, %d rounds: backend calls per round "
        + "min %d max %d mean %.3f -> %s%n", THREADS, latency.toMillis(), ROUNDS, min, max,
        (double) total / ROUNDS, met ? "met (exactly 1)" : "MISSED");
    return met;
  }

  private static boolean scheduledRefresh() throws InterruptedException {
    InMemorySecretBackend backend = Fixtures.backend(PATH_KEYS);
    Duration interval = Duration.ofMillis(200);
    try (SecretResolver resolver = Fixtures.resolver(backend, interval)) {
      Fixtures.warm(resolver, PATH_KEYS);
      // first refresh lines the entries up (they were loaded one by one); measure the steady state after it
      Thread.sleep(interval.toMillis() * 2);
      backend.resetCounters();
      Thread.sleep(5_000);
      long requests = backend.fetchCount() + backend.fetchAllCount();
      int minRounds = Integer.MAX_VALUE;
      int maxRounds = 0;
      long sumRounds = 0;
      for (String key : Fixtures.keys(PATH_KEYS)) {
        int n = backend.fetchCount(key);
        minRounds = Math.min(minRounds, n);
        maxRounds = Math.max(maxRounds, n);
        sumRounds += n;
      }
      double rounds = (double) sumRounds / PATH_KEYS;
      double perRound = requests / rounds;
      boolean met = minRounds > 0 && perRound <= 1.0 + 1e-9;
      System.out.printf("scheduled refresh, %d keys, interval %d ms, 5 s: %.2f refreshes per key (min %d max %d), "
          + "%d batch + %d single backend requests -> %.3f requests per refresh round -> %s%n", PATH_KEYS,
          interval.toMillis(), rounds, minRounds, maxRounds, backend.fetchAllCount(), backend.fetchCount(),
          perRound, met ? "met (1 per path)" : "MISSED");
      return met;
    }
  }

  private static boolean forcedRefresh() throws InterruptedException {
    InMemorySecretBackend backend = Fixtures.backend(PATH_KEYS);
    int refreshes = 20;
    try (SecretResolver resolver = Fixtures.resolver(backend, Duration.ofMinutes(5))) {
      Fixtures.warm(resolver, PATH_KEYS);
      backend.resetCounters();
      for (int i = 1; i <= refreshes; i++) {
        resolver.admin().refresh();
        // refresh() hands the work to the scheduler: wait (bounded) until every key was fetched again
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!allFetched(backend, i)) {
          if (System.nanoTime() > deadline) {
            throw new IllegalStateException("refresh " + i + " did not complete within 10 s");
          }
          Thread.sleep(1);
        }
      }
      long requests = backend.fetchCount() + backend.fetchAllCount();
      boolean met = requests == refreshes;
      System.out.printf("SecretResolver.refresh(), %d keys, %d calls: %d batch + %d single backend requests "
          + "-> %.3f requests per refresh -> %s%n", PATH_KEYS, refreshes, backend.fetchAllCount(),
          backend.fetchCount(), (double) requests / refreshes, met ? "met (1 per path)" : "MISSED");
      return met;
    }
  }

  private static boolean allFetched(InMemorySecretBackend backend, int times) {
    for (String key : Fixtures.keys(PATH_KEYS)) {
      if (backend.fetchCount(key) < times) {
        return false;
      }
    }
    return true;
  }
}
