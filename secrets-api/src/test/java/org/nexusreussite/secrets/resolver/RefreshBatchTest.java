package org.nexusreussite.secrets.resolver;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.nexusreussite.secrets.Secret;
import org.nexusreussite.secrets.SecretResolver;
import org.nexusreussite.secrets.VersionSelector;
import org.nexusreussite.secrets.spi.Capability;
import org.nexusreussite.secrets.spi.SecretBackend;
import org.nexusreussite.secrets.testkit.InMemorySecretBackend;

class RefreshBatchTest {

  private final ResolverFixture f = new ResolverFixture();
  private final InMemorySecretBackend store = f.backend("vault");

  /** Holds the first batch read inside the backend until released; later reads pass straight through. */
  private static final class GatedBackend implements SecretBackend {
    final InMemorySecretBackend delegate;
    final CountDownLatch entered = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);
    final AtomicInteger batches = new AtomicInteger();
    /** Cold loads pass; the gate closes on the first batch after arming. */
    final java.util.concurrent.atomic.AtomicBoolean armed = new java.util.concurrent.atomic.AtomicBoolean();

    GatedBackend(InMemorySecretBackend delegate) {
      this.delegate = delegate;
    }

    @Override
    public String id() {
      return delegate.id();
    }

    @Override
    public Set<Capability> capabilities() {
      return Set.of();
    }

    @Override
    public Optional<Secret> fetch(String key, VersionSelector version) {
      return delegate.fetch(key, version);
    }

    @Override
    public Map<String, Secret> fetchAll(Collection<String> keys) {
      batches.incrementAndGet();
      if (armed.compareAndSet(true, false)) {
        entered.countDown();
        try {
          release.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      return delegate.fetchAll(keys);
    }
  }

  @Test
  void aDueTaskFiringWhileItsEntryIsInAnotherThreadsBatchDoesNotAskTheBackendAgain() throws Exception {
    store.put("A", "a");
    store.put("B", "b");
    GatedBackend backend = new GatedBackend(store);
    ExecutorService other = Executors.newSingleThreadExecutor();
    try (SecretResolver r = f.builder().backend(backend, 300).build()) {
      r.resolve("A");
      r.resolve("B");
      store.resetCounters();
      backend.batches.set(0);
      backend.armed.set(true);
      f.clock.advance(ResolverFixture.REFRESH); // both entries are due now
      Future<Integer> first = other.submit(f.scheduler::runDue); // takes one due task: a batch of A and B
      assertThat(backend.entered.await(10, TimeUnit.SECONDS)).isTrue();

      f.scheduler.runDue(); // the other entry's due task, as a second scheduler thread would run it

      backend.release.countDown();
      first.get(10, TimeUnit.SECONDS);
      assertThat(backend.batches.get()).as("one request for both keys").isEqualTo(1);
      assertThat(store.fetchCount()).as("no single reads either").isZero();
    } finally {
      other.shutdownNow();
    }
  }
  @Test
  void keysLoadedAtDifferentTimesAreRefreshedInOneRequestFromTheFirstRound() {
    store.put("A", "a");
    store.put("B", "b");
    try (SecretResolver r = f.builder().backend(store, 300).build()) {
      r.resolve("A");
      f.clock.advance(ResolverFixture.REFRESH.multipliedBy(3).dividedBy(10));
      r.resolve("B");
      store.resetCounters();

      // each round comes after 90 to 100 % of the interval (jitter): exactly three rounds
      f.scheduler.advance(ResolverFixture.REFRESH.multipliedBy(3));

      assertThat(store.fetchAllCount()).as("one batch per round").isEqualTo(3);
      assertThat(store.fetchCount()).as("no key refreshed on its own").isZero();
    }
  }
}
