package org.nexusreussite.secrets.resolver;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.nexusreussite.secrets.BackendUnavailableException;
import org.nexusreussite.secrets.Secret;
import org.nexusreussite.secrets.SecretResolver;
import org.nexusreussite.secrets.VersionSelector;
import org.nexusreussite.secrets.spi.Capability;
import org.nexusreussite.secrets.spi.SecretBackend;
import org.nexusreussite.secrets.testkit.InMemorySecretBackend;

/**
 * Batch claiming under load: many keys loaded at different times, due tasks run by four threads at once
 * (as a timer pool would), and a backend that fails every other request. No key is ever in two requests
 * at the same time, and once the backend recovers every key is refreshed again (no claim is left stuck).
 */
class BatchClaimStressTest {

  /** Fails every other request; records keys in flight to catch a key claimed by two batches. */
  static final class FlappingBackend implements SecretBackend {
    final InMemorySecretBackend store;
    final Set<String> inFlight = ConcurrentHashMap.newKeySet();
    final AtomicInteger doubleClaims = new AtomicInteger();
    final AtomicLong requests = new AtomicLong();
    volatile boolean flapping = true;

    FlappingBackend(InMemorySecretBackend store) {
      this.store = store;
    }

    @Override
    public String id() {
      return "vault";
    }

    @Override
    public Set<Capability> capabilities() {
      return Set.of();
    }

    @Override
    public Optional<Secret> fetch(String key, VersionSelector version) {
      return store.fetch(key, version);
    }

    @Override
    public Map<String, Secret> fetchAll(Collection<String> keys) {
      for (String key : keys) {
        if (!inFlight.add(key)) {
          doubleClaims.incrementAndGet();
        }
      }
      try {
        if (flapping && requests.incrementAndGet() % 2 == 0) {
          throw new BackendUnavailableException("vault", "flapping");
        }
        return store.fetchAll(keys);
      } finally {
        inFlight.removeAll(keys);
      }
    }
  }

  private final ResolverFixture f = new ResolverFixture();

  @Test
  void manyKeysAFlappingBackendAndFourTimerThreads() throws Exception {
    InMemorySecretBackend store = f.backend("vault");
    FlappingBackend backend = new FlappingBackend(store);
    int keys = 2_000;
    for (int i = 0; i < keys; i++) {
      store.put("KEY_" + i, "v1-" + i);
    }
    ExecutorService timers = Executors.newFixedThreadPool(4);
    try (SecretResolver r = f.builder().backend(backend, 300).build()) {
      backend.flapping = false;
      for (int i = 0; i < keys; i++) {
        r.resolve("KEY_" + i);
        if (i % 100 == 0) {
          f.clock.advance(Duration.ofSeconds(7)); // loaded over several minutes: many due times
        }
      }
      backend.flapping = true;
      for (int round = 0; round < 200; round++) {
        f.clock.advance(Duration.ofSeconds(5));
        List<Future<Integer>> runs = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
          runs.add(timers.submit(f.scheduler::runDue));
        }
        for (Future<Integer> run : runs) {
          run.get(30, TimeUnit.SECONDS);
        }
        for (int i = 0; i < keys; i += 97) {
          assertThat(r.resolve("KEY_" + i)).as("served within max-stale").startsWith("v");
        }
      }
      assertThat(backend.doubleClaims.get()).as("a key in two requests at once").isZero();

      backend.flapping = false;
      for (int i = 0; i < keys; i++) {
        store.put("KEY_" + i, "v2-" + i);
      }
      f.scheduler.advance(ResolverFixture.REFRESH.plus(Duration.ofSeconds(30)));
      for (int i = 0; i < keys; i++) {
        assertThat(r.resolve("KEY_" + i)).as("every key refreshed after recovery").isEqualTo("v2-" + i);
      }
    } finally {
      timers.shutdownNow();
    }
  }
}
