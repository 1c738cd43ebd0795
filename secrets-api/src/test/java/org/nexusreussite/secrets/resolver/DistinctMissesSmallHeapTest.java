package org.nexusreussite.secrets.resolver;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.nexusreussite.secrets.SecretResolver;
import org.nexusreussite.secrets.SecretsConfig;

/**
 * Millions of distinct missing keys from many threads, with the default scheduler and threads, in a
 * 64 MB heap: the resolver's state stays bounded by {@code maximumSize}, so nothing runs out of memory.
 * Runs in its own surefire execution with {@code -Xmx64m} (see this module's pom); before the fix, each
 * evicted not-found entry stayed referenced by its scheduled expiry and this ran out of memory.
 */
class DistinctMissesSmallHeapTest {

  @Test
  void twoMillionDistinctMissesFitInASmallHeap() throws Exception {
    int threads = 8;
    int perThread = 250_000;
    AtomicLong misses = new AtomicLong();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try (SecretResolver r = SecretResolver.builder().config(SecretsConfig.empty())
        .backend(new BoundedStateTest.EmptyBackend(), 300).maximumSize(10_000).build()) {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        done.add(pool.submit(() -> {
          for (int i = 0; i < perThread; i++) {
            if (r.find("REQUEST_" + thread + "_" + i).isEmpty()) {
              misses.incrementAndGet();
            }
          }
        }));
      }
      for (Future<?> f : done) {
        f.get(5, TimeUnit.MINUTES);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(misses.get()).isEqualTo((long) threads * perThread);
    assertThat(Runtime.getRuntime().maxMemory()).as("run with -Xmx64m").isLessThanOrEqualTo(80L << 20);
  }
}
